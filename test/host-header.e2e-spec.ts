import { UsersService } from '../src/accounts/users.service';
import { rawRequest } from './support/raw-http';
import { startTestApp, type TestApp } from './support/test-app';

/** Links never come from Host (issue 27): PUBLIC_URL is their base; a bad Host is a 400. */
const PASSWORD = 'Host-Pass-123';
const PUBLIC_URL = 'https://auth.example.com';
const FORGED = {
  host: 'evil.example',
  'x-forwarded-host': 'evil-forwarded.example',
  'x-forwarded-proto': 'http',
};

function portOf(t: TestApp): number {
  return Number(new URL(t.baseUrl).port);
}

describe('absolute links, whatever Host or X-Forwarded-Host says', () => {
  let t: TestApp;
  let staff: Record<string, string>;

  beforeAll(async () => {
    // TRUST_PROXY: Fastify believes X-Forwarded-Host and -Proto from the peer.
    t = await startTestApp({ env: { PUBLIC_URL, TRUST_PROXY: 'true' } });
    const users = t.app.get(UsersService);
    await users.create({ email: 'staff@example.com', password: PASSWORD, isStaff: true });
    for (const name of ['ann', 'bob', 'cid']) {
      await users.create({ email: `${name}@example.com`, password: PASSWORD, isVerified: true });
    }
    const login = await t.http.post('/api/token/', {
      email: 'staff@example.com',
      password: PASSWORD,
    });
    staff = { authorization: `Bearer ${login.body.access as string}` };
    // Events for the audit list's pages.
    for (let i = 0; i < 2; i++) {
      await t.http.post('/api/token/', { email: 'ann@example.com', password: 'wrong-password' });
    }
  });
  afterAll(() => t.close());

  it.each(['/api/users/', '/api/auth-events/'])(
    'writes the pagination links of %s from PUBLIC_URL',
    async (path) => {
      const first = await rawRequest(portOf(t), {
        path: `${path}?page_size=1`,
        headers: { ...staff, ...FORGED },
      });
      expect(first.status).toBe(200);
      expect(first.body.next).toBe(`${PUBLIC_URL}${path}?page_size=1&page=2`);
      const second = await rawRequest(portOf(t), {
        path: `${path}?page_size=1&page=2`,
        headers: { ...staff, ...FORGED },
      });
      expect(second.body.previous).toBe(`${PUBLIC_URL}${path}?page_size=1`);
    },
  );

  it('writes the login link from PUBLIC_URL', async () => {
    const login = await t.http.post('/auth/login/', {
      email: 'bob@example.com',
      password: PASSWORD,
    });
    const link = await rawRequest(portOf(t), {
      method: 'POST',
      path: '/auth/login-link/',
      headers: { authorization: `Token ${login.body.key as string}`, ...FORGED },
      json: {},
    });
    expect(link.status).toBe(200);
    expect(link.body.url).toMatch(/^https:\/\/auth\.example\.com\/auth\/login-link\/\?ticket=/);
  });

  it.each([
    ['a DRF path', 'GET', '/api/users/', { detail: 'Malformed request.' }],
    ['a DRF login', 'POST', '/api/token/', { detail: 'Malformed request.' }],
    ['a fastapi-users path', 'GET', '/users/me', { detail: 'Bad Request' }],
    ['no path at all', 'GET', '/no/such/path/', { detail: 'Malformed request.' }],
    ['the liveness probe', 'GET', '/health/live', { detail: 'Malformed request.' }],
  ])(
    'answers an unparsable Host on %s with 400 in its dialect',
    async (_what, method, path, body) => {
      for (const host of ['[', 'a b', 'evil.example/path', 'x:y:z']) {
        const res = await rawRequest(portOf(t), {
          method,
          path,
          headers: { ...staff, host },
          json: method === 'POST' ? {} : undefined,
        });
        expect(res.status).toBe(400);
        expect(res.body).toEqual(body);
      }
    },
  );

  it('answers an unparsable X-Forwarded-Host from a trusted proxy with 400 too', async () => {
    const res = await rawRequest(portOf(t), {
      path: '/api/users/',
      headers: { ...staff, 'x-forwarded-host': '[' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: 'Malformed request.' });
  });

  it('serves any well-formed Host by default (ALLOWED_HOSTS=*)', async () => {
    for (const host of ['evil.example', 'EXAMPLE.com:8443', '[::1]:8000', '192.0.2.1']) {
      const res = await rawRequest(portOf(t), { path: '/health/live', headers: { host } });
      expect(res.status).toBe(200);
    }
  });
});

describe('ALLOWED_HOSTS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { ALLOWED_HOSTS: 'auth.example.com, .example.org' } });
  });
  afterAll(() => t.close());

  it('serves the listed hosts (any port; a leading dot takes the subdomains too)', async () => {
    for (const host of [
      'auth.example.com',
      'AUTH.example.com:8443',
      'example.org',
      'api.example.org',
    ]) {
      const res = await rawRequest(portOf(t), { path: '/health/live', headers: { host } });
      expect(res.status).toBe(200);
    }
  });

  it('answers any other Host with 400 in the dialect of the path', async () => {
    for (const host of ['evil.example', '127.0.0.1', 'example.com', 'badexample.org']) {
      const drf = await rawRequest(portOf(t), {
        method: 'POST',
        path: '/api/token/',
        headers: { host },
        json: { email: 'a@example.com', password: 'x' },
      });
      expect(drf.status).toBe(400);
      expect(drf.body).toEqual({ detail: 'Malformed request.' });
      const fastapi = await rawRequest(portOf(t), { path: '/users/me', headers: { host } });
      expect(fastapi.status).toBe(400);
      expect(fastapi.body).toEqual({ detail: 'Bad Request' });
    }
  });

  it('does not take X-Forwarded-Host from a peer TRUST_PROXY does not trust', async () => {
    const res = await rawRequest(portOf(t), {
      path: '/health/live',
      headers: { host: 'evil.example', 'x-forwarded-host': 'auth.example.com' },
    });
    expect(res.status).toBe(400);
  });
});
