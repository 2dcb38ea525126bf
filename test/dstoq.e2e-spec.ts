import { DataSource } from 'typeorm';
import { User } from '../src/accounts/user.entity';
import { UsersService } from '../src/accounts/users.service';
import { TokenKey } from '../src/token-key/token-key.entity';
import { TokenKeyService } from '../src/token-key/token-key.service';
import { decodeJwt } from './support/jwt';
import { runCli } from './support/processes';
import { startTestApp, testEnvironment, type TestApp } from './support/test-app';

const SEED_KEY = 'GCXETER4MRRY7WNOLIXETD6OZ46P6KGUMOORXF2JCJUXIKBW2BS6GZGA';

describe('seed 000 — the DSTOQ surface', () => {
  let t: TestApp;
  let staffAuth: Record<string, string>;
  let christian: User;

  beforeAll(async () => {
    t = await startTestApp({
      env: { JWT_CLAIMS: 'dstoq', REFERRAL_BASE_URL: 'https://app.dstoq.com' },
    });
    const users = t.app.get(UsersService);
    christian = await users.create({
      email: 'emailaddressofuser@dstoq.com',
      password: 'AVerySecretPassword',
      firstName: 'Christian',
      lastName: 'Peters',
    });
    await users.create({ email: 'staff@dstoq.com', password: 'staff-pass-1', isStaff: true });
    const { body } = await t.http.post('/accounts/auth/jwt/create/', {
      username: 'staff@dstoq.com',
      password: 'staff-pass-1',
    });
    staffAuth = { Authorization: `JWT ${body.access}` };
    // The seed's user: KYC passed, deposited, Brazilian, with Stellar keys — set by staff.
    const patched = await t.http.request('PATCH', `/api/users/${christian.id}/`, {
      headers: staffAuth,
      json: {
        country_code: 'BR',
        kyc_status: 'pending',
        status: 'kyc_passed',
        has_deposited: true,
        public_key: SEED_KEY,
        signer_key: SEED_KEY,
      },
    });
    expect(patched.status).toBe(200);
  });
  afterAll(() => t.close());

  it("follows the seed's curl flow: create token → JWT header → auth information → trading information", async () => {
    const created = await t.http.post('/accounts/auth/jwt/create/', {
      username: 'emailaddressofuser@dstoq.com',
      password: 'AVerySecretPassword',
    });
    expect(created.status).toBe(200);
    expect(Object.keys(created.body)).toEqual(['refresh', 'access']);
    const claims = decodeJwt(created.body.access).payload;
    expect(claims).toMatchObject({
      token_type: 'access',
      user_id: christian.id,
      scopes: ['user'],
      is_staff: false,
      is_superuser: false,
    });

    const auth = { Authorization: `JWT ${created.body.access}` };
    const expectedAuthInfo = {
      country_code: 'br',
      email: 'emailaddressofuser@dstoq.com',
      kyc_status: 'pending',
    };
    for (const path of ['/accounts/auth/users/me/', '/accounts/accounts/user/']) {
      const res = await t.http.get(path, { headers: auth });
      expect(res.status).toBe(200);
      expect(res.text).toBe(JSON.stringify(expectedAuthInfo));
    }

    const trading = await t.http.get('/core/accounts/accounts/me/', { headers: auth });
    expect(trading.status).toBe(200);
    expect(Object.keys(trading.body)).toEqual([
      'account_provider',
      'country_code',
      'email',
      'first_name',
      'has_deposited',
      'id',
      'last_name',
      'public_key',
      'referral_short_link',
      'signer_key',
      'status',
    ]);
    expect(trading.body).toEqual({
      account_provider: 1,
      country_code: 'br',
      email: 'emailaddressofuser@dstoq.com',
      first_name: 'Christian',
      has_deposited: true,
      id: christian.id,
      last_name: 'Peters',
      public_key: SEED_KEY,
      referral_short_link: `https://app.dstoq.com/${christian.referralCode}`,
      signer_key: SEED_KEY,
      status: 'kyc_passed',
    });
  });

  it('accepts {email, password} in place of {username, password}, and refreshes and verifies', async () => {
    const created = await t.http.post('/accounts/auth/jwt/create/', {
      email: 'emailaddressofuser@dstoq.com',
      password: 'AVerySecretPassword',
    });
    expect(created.status).toBe(200);
    const refreshed = await t.http.post('/accounts/auth/jwt/refresh/', {
      refresh: created.body.refresh,
    });
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.body)).toEqual(['access']);
    const verified = await t.http.post('/accounts/auth/jwt/verify/', {
      token: refreshed.body.access,
    });
    expect(verified.status).toBe(200);
    expect(verified.text).toBe('{}');
    const bad = await t.http.post('/accounts/auth/jwt/verify/', { token: 'garbage' });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ detail: 'Token is invalid or expired', code: 'token_not_valid' });
  });

  it('answers djoser/SimpleJWT errors', async () => {
    const wrong = await t.http.post('/accounts/auth/jwt/create/', {
      username: 'emailaddressofuser@dstoq.com',
      password: 'nope',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ detail: 'No active account found with the given credentials' });
    const missing = await t.http.post('/accounts/auth/jwt/create/', {});
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      username: ['This field is required.'],
      password: ['This field is required.'],
    });
    const noUser = await t.http.post('/accounts/auth/jwt/create/', { password: 'x' });
    expect(noUser.body).toEqual({ username: ['This field is required.'] });
  });

  it("accepts Bearer on the same endpoints; no header is 401 with a challenge; garbage is SimpleJWT's 401", async () => {
    const { body } = await t.http.post('/accounts/auth/jwt/create/', {
      username: 'emailaddressofuser@dstoq.com',
      password: 'AVerySecretPassword',
    });
    const bearer = await t.http.get('/core/accounts/accounts/me/', {
      headers: { Authorization: `Bearer ${body.access}` },
    });
    expect(bearer.status).toBe(200);

    const none = await t.http.get('/accounts/accounts/user/');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ detail: 'Authentication credentials were not provided.' });
    expect(none.headers.get('www-authenticate')).toBe('JWT realm="api"');

    const garbage = await t.http.get('/accounts/auth/users/me/', {
      headers: { Authorization: 'JWT garbage' },
    });
    expect(garbage.status).toBe(401);
    expect(garbage.body).toEqual({
      detail: 'Given token not valid for any token type',
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

  it('accepts Token keys on the same endpoints, with DRF TokenAuthentication errors', async () => {
    const keys = t.app.get(TokenKeyService);
    const { key, record } = await keys.mint(christian);
    expect(key).toMatch(/^[0-9a-f]{40}$/);
    const second = await keys.mint(christian);

    for (const path of [
      '/accounts/auth/users/me/',
      '/accounts/accounts/user/',
      '/core/accounts/accounts/me/',
    ]) {
      const res = await t.http.get(path, { headers: { Authorization: `Token ${key}` } });
      expect(res.status).toBe(200);
      expect(res.body.email).toBe('emailaddressofuser@dstoq.com');
    }
    // The database holds no clear key.
    const stored = await t.app.get(DataSource).getRepository(TokenKey).find();
    expect(stored.length).toBeGreaterThanOrEqual(2);
    for (const row of stored) expect(JSON.stringify(row)).not.toContain(key);

    await keys.revoke(record.id);
    const revoked = await t.http.get('/accounts/accounts/user/', {
      headers: { Authorization: `Token ${key}` },
    });
    expect(revoked.status).toBe(401);
    expect(revoked.body).toEqual({ detail: 'Invalid token.' });
    expect(revoked.headers.get('www-authenticate')).toBe('Token');
    const other = await t.http.get('/accounts/accounts/user/', {
      headers: { Authorization: `Token ${second.key}` },
    });
    expect(other.status).toBe(200);

    const bare = await t.http.get('/accounts/accounts/user/', {
      headers: { Authorization: 'Token' },
    });
    expect(bare.body).toEqual({ detail: 'Invalid token header. No credentials provided.' });
    const spaced = await t.http.get('/accounts/accounts/user/', {
      headers: { Authorization: `Token ${second.key} x` },
    });
    expect(spaced.body).toEqual({
      detail: 'Invalid token header. Token string should not contain spaces.',
    });
  });

  describe('white-label account providers', () => {
    it('users of two providers see their own provider id and referral link', async () => {
      const created = await t.http.post(
        '/api/account-providers/',
        {
          name: 'Acme',
          slug: 'acme',
          referral_base_url: 'https://invest.acme.example/',
          allowed_countries: ['DE', 'at'],
        },
        { headers: staffAuth },
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'Acme',
        slug: 'acme',
        allowed_countries: ['de', 'at'],
      });
      const acmeId = created.body.id as number;

      const result = await runCli(
        [
          'users:create',
          '--email',
          'hans@acme.example',
          '--password',
          'Hans-Quartz-71',
          '--provider',
          String(acmeId),
        ],
        testEnvironment(t.database.url),
      );
      expect(result.code).toBe(0);
      const hans = (await t.app.get(UsersService).findByEmail('hans@acme.example'))!;

      const login = await t.http.post('/accounts/auth/jwt/create/', {
        username: 'hans@acme.example',
        password: 'Hans-Quartz-71',
      });
      const trading = await t.http.get('/core/accounts/accounts/me/', {
        headers: { Authorization: `JWT ${login.body.access}` },
      });
      expect(trading.body).toMatchObject({
        account_provider: acmeId,
        referral_short_link: `https://invest.acme.example/${hans.referralCode}`,
      });

      const platform = await t.http.post('/accounts/auth/jwt/create/', {
        username: 'emailaddressofuser@dstoq.com',
        password: 'AVerySecretPassword',
      });
      const own = await t.http.get('/core/accounts/accounts/me/', {
        headers: { Authorization: `JWT ${platform.body.access}` },
      });
      expect(own.body).toMatchObject({
        account_provider: 1,
        referral_short_link: `https://app.dstoq.com/${christian.referralCode}`,
      });
      expect(hans.referralCode).not.toBe(christian.referralCode);

      const notServed = await t.http.request('PATCH', `/api/users/${hans.id}/`, {
        headers: staffAuth,
        json: { country_code: 'br' },
      });
      expect(notServed.status).toBe(400);
      expect(notServed.body).toEqual({
        country_code: ['This country is not served by the account provider.'],
      });
      const served = await t.http.request('PATCH', `/api/users/${hans.id}/`, {
        headers: staffAuth,
        json: { country_code: 'de' },
      });
      expect(served.body).toMatchObject({ country_code: 'de' });
    });

    it('lists, retrieves and changes providers; refuses bad input and a taken slug', async () => {
      const list = await t.http.get('/api/account-providers/', { headers: staffAuth });
      expect(list.body[0]).toEqual({
        id: 1,
        name: 'Platform',
        slug: 'platform',
        referral_base_url: null,
        allowed_countries: null,
      });
      const dup = await t.http.post(
        '/api/account-providers/',
        { name: 'Again', slug: 'acme' },
        { headers: staffAuth },
      );
      expect(dup.body).toEqual({ slug: ['account provider with this slug already exists.'] });
      const bad = await t.http.post(
        '/api/account-providers/',
        {
          name: '',
          slug: 'no spaces',
          referral_base_url: 'javascript:alert(1)',
          allowed_countries: 'br',
        },
        { headers: staffAuth },
      );
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({
        name: ['This field may not be blank.'],
        slug: ['Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'],
        referral_base_url: ['Enter a valid URL.'],
        allowed_countries: ['Expected a list of items but got type "str".'],
      });
      const changed = await t.http.request('PATCH', '/api/account-providers/1/', {
        headers: staffAuth,
        json: { referral_base_url: 'https://app.dstoq.com' },
      });
      expect(changed.body).toMatchObject({ id: 1, referral_base_url: 'https://app.dstoq.com' });
      expect((await t.http.get('/api/account-providers/999/', { headers: staffAuth })).status).toBe(
        404,
      );
    });

    it('refuses non-staff users with 403', async () => {
      const { body } = await t.http.post('/accounts/auth/jwt/create/', {
        username: 'emailaddressofuser@dstoq.com',
        password: 'AVerySecretPassword',
      });
      const auth = { Authorization: `JWT ${body.access}` };
      for (const [method, path] of [
        ['GET', '/api/account-providers/'],
        ['POST', '/api/account-providers/'],
        ['GET', '/api/account-providers/1/'],
        ['PATCH', '/api/account-providers/1/'],
      ] as const) {
        const res = await t.http.request(method, path, {
          headers: auth,
          json: method === 'GET' ? undefined : { name: 'x', slug: 'x' },
        });
        expect(res.status).toBe(403);
        expect(res.body).toEqual({ detail: 'You do not have permission to perform this action.' });
      }
    });
  });

  it('rejects invalid Stellar keys and unknown KYC values with field errors, writing nothing', async () => {
    const before = await t.app
      .get(DataSource)
      .getRepository(User)
      .findOneByOrFail({ id: christian.id });
    const res = await t.http.request('PATCH', `/api/users/${christian.id}/`, {
      headers: staffAuth,
      json: {
        first_name: 'Changed',
        kyc_status: 'approved',
        status: 'done',
        public_key: SEED_KEY.slice(0, -1) + 'B',
        signer_key: 'SCXETER4MRRY7WNOLIXETD6OZ46P6KGUMOORXF2JCJUXIKBW2BS6GZGA',
        country_code: 'bra',
        account_provider: 'acme',
      },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      kyc_status: ['"approved" is not a valid choice.'],
      status: ['"done" is not a valid choice.'],
      public_key: ['Enter a valid Stellar public key (G…, 56 characters).'],
      signer_key: ['Enter a valid Stellar public key (G…, 56 characters).'],
      country_code: ['Enter a valid ISO 3166-1 alpha-2 country code.'],
      account_provider: ['Incorrect type. Expected pk value, received str.'],
    });
    const missingProvider = await t.http.request('PATCH', `/api/users/${christian.id}/`, {
      headers: staffAuth,
      json: { first_name: 'Changed', account_provider: 999 },
    });
    expect(missingProvider.body).toEqual({
      account_provider: ['Invalid pk "999" - object does not exist.'],
    });
    const after = await t.app
      .get(DataSource)
      .getRepository(User)
      .findOneByOrFail({ id: christian.id });
    expect(after).toEqual(before);

    const cleared = await t.http.request('PATCH', `/api/users/${christian.id}/`, {
      headers: staffAuth,
      json: { signer_key: null, kyc_status: 'kyc_in_review' },
    });
    expect(cleared.body).toMatchObject({
      signer_key: null,
      kyc_status: 'kyc_in_review',
      public_key: SEED_KEY,
    });
  });
});
