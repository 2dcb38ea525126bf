import { UsersService } from '../src/accounts/users.service';
import { decodeJwt } from './support/jwt';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The verified-token cache (src/jwt-auth/verified-tokens.ts) skips the signature
 * check for a token seen before; nothing else may change: an expired token, a
 * forged signature on the same claims, and a deactivated user are refused as
 * without it.
 */
describe('access tokens verified before', () => {
  let t: TestApp;
  const me = '/accounts/auth/users/me/';

  beforeAll(async () => {
    // exp is whole seconds (as SimpleJWT's), so a token lives between 4 and 5 s:
    // room for a login and three requests on a loaded CI machine.
    t = await startTestApp({ env: { ACCESS_TOKEN_LIFETIME: '5' } });
    await t.app
      .get(UsersService)
      .create({ email: 'cache@example.com', password: 'cache-pass-123' });
  });
  afterAll(() => t?.close());

  async function access(): Promise<string> {
    const res = await t.http.post('/api/token/', {
      email: 'cache@example.com',
      password: 'cache-pass-123',
    });
    expect(res.status).toBe(200);
    return (res.body as { access: string }).access;
  }

  it('are refused once expired, though verified a moment before', async () => {
    const token = await access();
    for (let i = 0; i < 3; i++) {
      expect((await t.http.get(me, { headers: { Authorization: `JWT ${token}` } })).status).toBe(
        200,
      );
    }
    const { exp } = decodeJwt(token).payload as { exp: number };
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
    const res = await t.http.get(me, { headers: { Authorization: `JWT ${token}` } });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({
      code: 'token_not_valid',
      messages: [
        {
          token_class: 'AccessToken',
          token_type: 'access',
          message: 'Token is invalid or expired',
        },
      ],
    });
  });

  it('match by their exact text: another signature on the same claims is refused', async () => {
    const token = await access();
    expect((await t.http.get(me, { headers: { Authorization: `JWT ${token}` } })).status).toBe(200);
    const [header, payload, signature] = token.split('.');
    const forged = `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    const res = await t.http.get(me, { headers: { Authorization: `JWT ${forged}` } });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'token_not_valid' });
  });

  it('still name a user who must be active', async () => {
    const token = await access();
    expect((await t.http.get(me, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(
      200,
    );
    const users = t.app.get(UsersService);
    const user = await users.findByEmail('cache@example.com');
    await users.update(user!, { isActive: false });
    const res = await t.http.get(me, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    await users.update((await users.findByEmail('cache@example.com'))!, { isActive: true });
  });
});
