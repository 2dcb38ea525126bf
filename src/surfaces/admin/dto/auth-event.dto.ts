import { ApiProperty } from '@nestjs/swagger';
import type { authEventView } from '../../../audit/audit.service';

type AuthEventView = ReturnType<typeof authEventView>;

/** One authentication event, as the staff API shows it. */
export class AuthEventDto implements AuthEventView {
  @ApiProperty({ example: 42 })
  id: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T21:10:48.857Z' })
  occurred_at: string;

  @ApiProperty({ example: 'login', description: '`login`, `logout`, `token_refresh`, …' })
  type: string;

  @ApiProperty({ enum: ['success', 'failure'], example: 'failure' })
  outcome: 'success' | 'failure';

  @ApiProperty({ type: Number, nullable: true, example: 1, description: "The user's id" })
  user: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'johndoe@example.com',
    description: 'The e-mail or username given',
  })
  identifier: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'simplejwt' })
  surface: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'bad_credentials' })
  reason: string | null;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  address: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Mozilla/5.0' })
  user_agent: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Counts of an import, and the like',
  })
  details: string | null;
}

/** DRF's PageNumberPagination of events. */
export class AuthEventPageDto {
  @ApiProperty({ example: 1 })
  count: number;

  @ApiProperty({ type: String, format: 'uri', nullable: true, example: null })
  next: string | null;

  @ApiProperty({ type: String, format: 'uri', nullable: true, example: null })
  previous: string | null;

  @ApiProperty({ type: () => [AuthEventDto] })
  results: AuthEventDto[];
}
