import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { UsersService } from '../src/accounts/users.service';
import { hasLegacyPython } from './support/legacy';
import { rawRequest } from './support/raw-http';
import { startTestApp, type TestApp } from './support/test-app';

/** OPTIONS as DRF's SimpleMetadata answers it on the DRF surfaces; Starlette's 405 on fastapi-users' (issue 26). */
const PASSWORD = 'Options-Pass-123';
const RENDERS = ['application/json', 'text/html'];
const PARSES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];

describe('OPTIONS', () => {
  let t: TestApp;
  let user: Record<string, string>;
  let staff: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    const users = t.app.get(UsersService);
    await users.create({ email: 'user@example.com', password: PASSWORD, isVerified: true });
    await users.create({ email: 'staff@example.com', password: PASSWORD, isStaff: true });
    const login = async (email: string) => ({
      authorization: `Bearer ${(await t.http.post('/api/token/', { email, password: PASSWORD })).body.access as string}`,
    });
    user = await login('user@example.com');
    staff = await login('staff@example.com');
  });
  afterAll(() => t.close());

  it('describes an open DRF view and its POST serializer, with DRF’s Allow', async () => {
    const res = await t.http.request('OPTIONS', '/auth/password/reset/');
    expect(res.status).toBe(200);
    expect(res.headers.get('allow')).toBe('POST, OPTIONS');
    expect(res.body).toEqual({
      name: 'Password Reset',
      description:
        'Calls Django Auth PasswordResetForm save method.\n\n' +
        'Accepts the following POST parameters: email\nReturns the success/fail message.',
      renders: RENDERS,
      parses: PARSES,
      actions: {
        POST: {
          email: {
            type: 'email',
            required: true,
            read_only: false,
            label: 'Email',
            max_length: 254,
          },
        },
      },
    });
  });

  it('answers every DRF path without and with its trailing slash', async () => {
    for (const path of [
      '/api/token',
      '/accounts/auth/jwt/verify/',
      '/auth/login',
      '/auth/logout/',
    ]) {
      const res = await t.http.request('OPTIONS', path);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ renders: RENDERS, parses: PARSES });
    }
  });

  it('lists no actions where the view has no serializer (logout)', async () => {
    const res = await t.http.request('OPTIONS', '/auth/logout/');
    expect(res.body).toEqual({
      name: 'Logout',
      description:
        'Calls Django logout method and delete the Token object\n' +
        'assigned to the current User object.\n\nAccepts/Returns nothing.',
      renders: RENDERS,
      parses: PARSES,
    });
  });

  it('runs the view’s permission check first: 401 without credentials, 403 without staff', async () => {
    const anonymous = await t.http.request('OPTIONS', '/auth/user/');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ detail: 'Authentication credentials were not provided.' });
    expect(anonymous.headers.get('www-authenticate')).toBe('JWT realm="api"');
    const notStaff = await t.http.request('OPTIONS', '/api/users/', { headers: user });
    expect(notStaff.status).toBe(403);
    expect(notStaff.body).toEqual({ detail: 'You do not have permission to perform this action.' });
  });

  it('lists the PUT serializer to its user, and the staff POST serializer to staff', async () => {
    const details = await t.http.request('OPTIONS', '/auth/user/', { headers: user });
    expect(details.status).toBe(200);
    expect(details.headers.get('allow')).toBe('GET, PUT, PATCH, HEAD, OPTIONS');
    expect(details.body.name).toBe('User Details');
    expect(Object.keys(details.body.actions as object)).toEqual(['PUT']);
    expect(details.body.actions.PUT.username).toMatchObject({ type: 'string', read_only: false });

    const admin = await t.http.request('OPTIONS', '/api/users/', { headers: staff });
    expect(admin.status).toBe(200);
    expect(admin.body.actions.POST).toMatchObject({
      email: { type: 'email', required: true, read_only: false },
      password: { type: 'string', required: true },
    });
  });

  it('answers 405 on fastapi-users’ routes, as Starlette does', async () => {
    for (const [path, allow] of [
      ['/auth/jwt/login', 'POST'],
      ['/auth/register', 'POST'],
    ]) {
      const res = await t.http.request('OPTIONS', path);
      expect(res.status).toBe(405);
      expect(res.body).toEqual({ detail: 'Method Not Allowed' });
      expect(res.headers.get('allow')).toBe(allow);
    }
  });

  it('keeps OPTIONS out of the OpenAPI document', async () => {
    const document = await t.http.get('/docs-json');
    const operations = Object.values(document.body.paths as Record<string, object>).flatMap(
      (item) => Object.keys(item),
    );
    expect(operations).not.toContain('options');
  });
});

(hasLegacyPython ? describe : describe.skip)(
  'OPTIONS against the real DRF + SimpleJWT (Debian’s), on loopback',
  () => {
    let t: TestApp;
    let django: ChildProcess;
    let djangoPort: number;

    beforeAll(async () => {
      t = await startTestApp();
      django = spawn(
        '/usr/bin/python3',
        [join(process.cwd(), 'test/fixtures/drf-options/serve.py')],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      djangoPort = await new Promise<number>((resolve, reject) => {
        django.once('exit', (code) => reject(new Error(`serve.py exited with ${String(code)}`)));
        createInterface({ input: django.stdout! }).once('line', (line) => resolve(Number(line)));
      });
    }, 60_000);
    afterAll(async () => {
      django?.kill();
      await t.close();
    });

    it.each(['/api/token/', '/api/token/refresh/', '/api/token/verify/'])(
      'answers OPTIONS %s as SimpleJWT’s view does',
      async (path) => {
        const real = await rawRequest(djangoPort, { method: 'OPTIONS', path });
        const ours = await rawRequest(Number(new URL(t.baseUrl).port), { method: 'OPTIONS', path });
        expect(real.status).toBe(200);
        expect(ours.status).toBe(real.status);
        // Key order included: a client may print or hash the body.
        expect(JSON.stringify(ours.body)).toBe(JSON.stringify(real.body));
        expect(ours.headers.allow).toBe(real.headers.allow);
        expect(ours.headers.vary).toBe(real.headers.vary);
      },
    );
  },
);

describe('OPTIONS with CORS_ALLOWED_ORIGINS', () => {
  const ORIGIN = 'https://app.example.com';
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CORS_ALLOWED_ORIGINS: ORIGIN } });
  });
  afterAll(() => t.close());

  it('answers a preflight from CORS, on DRF and FastAPI paths alike', async () => {
    for (const path of ['/api/token/', '/auth/jwt/login']) {
      const res = await t.http.request('OPTIONS', path, {
        headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    }
  });

  it('passes any other OPTIONS on to the route: DRF’s metadata, Starlette’s 405', async () => {
    const drf = await t.http.request('OPTIONS', '/api/token/', { headers: { origin: ORIGIN } });
    expect(drf.status).toBe(200);
    expect(drf.body.name).toBe('Token Obtain Pair');
    expect(drf.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const fastapi = await t.http.request('OPTIONS', '/auth/jwt/login');
    expect(fastapi.status).toBe(405);
    expect(fastapi.body).toEqual({ detail: 'Method Not Allowed' });
    expect(fastapi.headers.get('allow')).toBe('POST');
    const nowhere = await t.http.request('OPTIONS', '/no/such/path/');
    expect(nowhere.status).toBe(404);
    expect(nowhere.body).toEqual({ detail: 'Not found.' });
  });
});
