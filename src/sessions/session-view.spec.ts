import { sessionView } from './session-view';

describe('sessionView', () => {
  const session = {
    id: '9a1e7d34-0c2b-4f8e-b6a5-27c9d3e4f108',
    kind: 'token',
    surface: 'rest-auth',
    createdAt: new Date('2026-11-18T17:40:11Z'),
    lastUsedAt: new Date('2026-11-22T18:02:37Z'),
    userAgent: 'Firefox/133.0',
    ipAddress: '198.51.100.7',
  };

  it('shows the wire fields, `current` for the requesting session only', () => {
    expect(sessionView(session, session.id)).toEqual({
      id: session.id,
      kind: 'token',
      surface: 'rest-auth',
      created: '2026-11-18T17:40:11.000Z',
      last_used: '2026-11-22T18:02:37.000Z',
      user_agent: 'Firefox/133.0',
      ip_address: '198.51.100.7',
      amr: null,
      current: true,
    });
    expect(sessionView(session, 'c45b0f92-7e3a-4d61-8b2c-e0f9a6d71b3c').current).toBe(false);
    // Staff and the CLI have no session of the user's: none is current.
    expect(sessionView(session).current).toBe(false);
  });

  it('shows the methods of a login with a second factor as a list', () => {
    expect(sessionView({ ...session, amr: 'pwd otp' }).amr).toEqual(['pwd', 'otp']);
  });

  it('shows what is unknown as null', () => {
    const view = sessionView({ id: session.id, kind: 'jwt', createdAt: session.createdAt });
    expect(view).toMatchObject({
      surface: null,
      last_used: null,
      user_agent: null,
      ip_address: null,
      amr: null,
    });
  });
});
