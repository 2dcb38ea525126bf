import { ApiProperty } from '@nestjs/swagger';

/** One session as every surface shows it, the caller's own or (to staff) a user's. */
export interface SessionView {
  id: string;
  kind: string;
  surface: string | null;
  created: string;
  last_used: string | null;
  user_agent: string | null;
  ip_address: string | null;
  /** RFC 8176 methods of a login that took a second factor (`["pwd", "otp"]`); null otherwise. */
  amr: string[] | null;
  /** True for the session making the request. */
  current: boolean;
}

/** The session fields a view reads (the core's `Session` entity has them). */
export interface SessionFacts {
  id: string;
  kind: string;
  surface?: string | null;
  createdAt: Date;
  lastUsedAt?: Date | null;
  userAgent?: string | null;
  ipAddress?: string | null;
  /** Space-separated RFC 8176 methods (auth_sessions.amr). */
  amr?: string | null;
}

/** The wire shape of a session; `currentId` is the requesting credential's session, if any. */
export function sessionView(session: SessionFacts, currentId?: string): SessionView {
  return {
    id: session.id,
    kind: session.kind,
    surface: session.surface ?? null,
    created: session.createdAt.toISOString(),
    last_used: session.lastUsedAt ? session.lastUsedAt.toISOString() : null,
    user_agent: session.userAgent ?? null,
    ip_address: session.ipAddress ?? null,
    amr: session.amr ? session.amr.split(' ') : null,
    current: currentId !== undefined && session.id === currentId,
  };
}

/** An example session list: the caller's phone (current), laptop and KYC app. */
export const SESSION_EXAMPLES: SessionView[] = [
  {
    id: '3f6c2a8e-5b1d-4c7a-9e2f-8d4b6a1c0e57',
    kind: 'jwt',
    surface: 'djoser',
    created: '2026-11-20T08:15:02.000Z',
    last_used: '2026-11-22T21:09:48.000Z',
    user_agent: 'DSTOQ/4.2 (iPhone; iOS 18.1)',
    ip_address: '203.0.113.24',
    amr: ['pwd', 'otp'],
    current: true,
  },
  {
    id: '9a1e7d34-0c2b-4f8e-b6a5-27c9d3e4f108',
    kind: 'token',
    surface: 'rest-auth',
    created: '2026-11-18T17:40:11.000Z',
    last_used: '2026-11-22T18:02:37.000Z',
    user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0',
    ip_address: '198.51.100.7',
    amr: null,
    current: false,
  },
  {
    id: 'c45b0f92-7e3a-4d61-8b2c-e0f9a6d71b3c',
    kind: 'fastapi',
    surface: 'fastapi-users',
    created: '2026-11-02T10:03:55.000Z',
    last_used: null,
    user_agent: 'kyc-web/1.8',
    ip_address: '192.0.2.61',
    amr: null,
    current: false,
  },
];

export class SessionDto implements SessionView {
  @ApiProperty({ format: 'uuid', example: SESSION_EXAMPLES[0].id })
  id: string;

  @ApiProperty({
    enum: ['jwt', 'token', 'fastapi', 'dashboard', 'login_link'],
    description:
      'What the session is: a refresh-token family (`jwt`), a Token key (`token`), a fastapi-users token ' +
      '(`fastapi`), a dashboard login (`dashboard`) or a login-link login (`login_link`)',
    example: 'jwt',
  })
  kind: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The surface it was opened on',
    example: 'djoser',
  })
  surface: string | null;

  @ApiProperty({ format: 'date-time', description: 'When it was opened' })
  created: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it was last used (to the minute)',
  })
  last_used: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The user agent as of the last use' })
  user_agent: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The client address as of the last use',
    example: '203.0.113.24',
  })
  ip_address: string | null;

  @ApiProperty({
    type: [String],
    nullable: true,
    description:
      'RFC 8176 authentication methods, when the login took a second factor: `["pwd", "otp"]` ' +
      '(a password and a TOTP or recovery code), `["mfa", "otp"]` (a login link and a code); null otherwise',
    example: ['pwd', 'otp'],
  })
  amr: string[] | null;

  @ApiProperty({ description: 'True for the session making this request' })
  current: boolean;
}

/** DRF's PageNumberPagination of sessions. */
export class SessionPageDto {
  @ApiProperty({ example: 3 })
  count: number;

  @ApiProperty({ type: String, format: 'uri', nullable: true, example: null })
  next: string | null;

  @ApiProperty({ type: String, format: 'uri', nullable: true, example: null })
  previous: string | null;

  @ApiProperty({ type: () => [SessionDto] })
  results: SessionDto[];
}

/** The DRF surfaces' example answer: one page. */
export const SESSION_PAGE_EXAMPLE = {
  count: SESSION_EXAMPLES.length,
  next: null,
  previous: null,
  results: SESSION_EXAMPLES,
};
