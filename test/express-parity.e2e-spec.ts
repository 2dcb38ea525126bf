import type { HttpResponse } from './support/test-app';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The same app on Fastify (the standalone service) and in a plain
 * `NestFactory.create(AppModule)` Express app, each on its own database: the
 * same requests get the same answers — status, body (tokens, dates and ids
 * normalised) and the headers a client acts on.
 */
const ENV = { JWT_AUTH_COOKIE: 'jwt-auth', JWT_AUTH_REFRESH_COOKIE: 'jwt-refresh' };
const PASSWORD = 'Parity-pass-w0rd!';
const HEADERS = [
  'content-type',
  'allow',
  'retry-after',
  'cache-control',
  'www-authenticate',
  'x-frame-options',
  'content-security-policy',
  'x-content-type-options',
  'referrer-policy',
];

interface Answer {
  request: string;
  status: number;
  body: string;
  headers: Record<string, string | null>;
  cookies: string[];
}

/** What may differ between two runs: tokens, keys, dates, request ids. */
function normalise(text: string): string {
  return text
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g, '<jwt>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uuid>')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?/g, '<date>')
    .replace(/"(key|csrf_token|csrftoken)":"[^"]+"/g, '"$1":"<secret>"')
    .replace(/\b[0-9a-f]{40}\b/g, '<key>')
    .replace(/"responseTime":\d+/g, '"responseTime":0');
}

function answer(label: string, res: HttpResponse): Answer {
  const headers: Record<string, string | null> = {};
  for (const name of HEADERS) headers[name] = res.headers.get(name);
  // Names and attributes, not values.
  const cookies = res.headers
    .getSetCookie()
    .map((cookie) => cookie.replace(/^([^=]+)=[^;]*/, '$1=<value>'))
    .sort();
  return { request: label, status: res.status, body: normalise(res.text), headers, cookies };
}

async function scenario(t: TestApp): Promise<Answer[]> {
  const out: Answer[] = [];
  const send = async (
    method: string,
    path: string,
    options: Parameters<TestApp['http']['request']>[2] = {},
  ): Promise<HttpResponse> => {
    const res = await t.http.request(method, path, options);
    out.push(answer(`${method} ${path}`, res));
    return res;
  };
  const json = (body: unknown, headers: Record<string, string> = {}) => ({ json: body, headers });

  // djoser + SimpleJWT (mounted under /accounts)
  await send(
    'POST',
    '/accounts/auth/users/',
    json({ email: 'dj@example.com', username: 'dj', password: PASSWORD, re_password: PASSWORD }),
  );
  await send('POST', '/accounts/auth/users/', json({ email: 'not-an-email', password: 'x' }));
  const djLogin = await send(
    'POST',
    '/accounts/auth/jwt/create/',
    json({ username: 'dj@example.com', password: PASSWORD }),
  );
  await send(
    'POST',
    '/accounts/auth/jwt/create',
    json({ username: 'dj@example.com', password: 'wrong' }),
  );
  const djAccess = (djLogin.body as { access?: string })?.access ?? '';
  const djRefresh = (djLogin.body as { refresh?: string })?.refresh ?? '';
  await send('GET', '/accounts/auth/users/me/', { headers: { Authorization: `JWT ${djAccess}` } });
  await send('GET', '/accounts/auth/users/me', {
    headers: { Authorization: `Bearer ${djAccess}` },
  });
  await send('GET', '/accounts/auth/users/me/', { headers: { Authorization: 'JWT not-a-token' } });
  await send('GET', '/accounts/auth/users/me/');
  await send('POST', '/accounts/auth/jwt/refresh/', json({ refresh: djRefresh }));
  await send('POST', '/accounts/auth/jwt/verify/', json({ token: djAccess }));
  await send('POST', '/accounts/auth/users/reset_password/', json({ email: 'dj@example.com' }));
  // djoser's UserViewSet (issue 29): each route once, answers compared across adapters.
  const djAuth = { Authorization: `JWT ${djAccess}` };
  const djUsers = '/accounts/auth/users/';
  await send('GET', djUsers, { headers: djAuth });
  await send('GET', `${djUsers}999999/`, { headers: djAuth });
  await send('PUT', `${djUsers}999999/`, json({ username: 'x' }, djAuth));
  await send('PATCH', `${djUsers}999999/`, json({ username: 'x' }, djAuth));
  await send('DELETE', `${djUsers}999999/`, json({ current_password: PASSWORD }, djAuth));
  await send('PUT', `${djUsers}me/`, json({ username: 'dj' }, djAuth));
  await send('PATCH', `${djUsers}me/`, json({}, djAuth));
  await send('DELETE', `${djUsers}me/`, json({ current_password: 'wrong' }, djAuth));
  await send('POST', `${djUsers}activation/`, json({ uid: 'MQ', token: 'bad' }));
  await send('POST', `${djUsers}resend_activation/`, json({ email: 'dj@example.com' }));
  await send(
    'POST',
    `${djUsers}set_password/`,
    json({ current_password: 'wrong', new_password: PASSWORD }, djAuth),
  );
  await send(
    'POST',
    `${djUsers}reset_password_confirm/`,
    json({ uid: 'xx', token: 'bad', new_password: PASSWORD }),
  );
  await send(
    'POST',
    `${djUsers}set_email/`,
    json({ current_password: 'wrong', new_email: 'n@example.com' }, djAuth),
  );
  await send('POST', `${djUsers}reset_email/`, json({ email: 'dj@example.com' }));
  await send('POST', `${djUsers}reset_email_confirm/`, json({ new_email: 'n@example.com' }));
  // Bad input: malformed JSON, a form body, multipart, too many fields, an unknown media type.
  await send('POST', '/accounts/auth/jwt/create/', {
    body: '{"username": ',
    headers: { 'content-type': 'application/json' },
  });
  await send('POST', '/accounts/auth/jwt/create/', {
    body: new URLSearchParams({ username: 'dj@example.com', password: PASSWORD }),
  });
  const form = new FormData();
  form.append('username', 'dj@example.com');
  form.append('password', PASSWORD);
  await send('POST', '/accounts/auth/jwt/create/', { body: form });
  const many = Object.fromEntries(Array.from({ length: 1100 }, (_, i) => [`f${i}`, i]));
  await send('POST', '/accounts/auth/jwt/create/', json(many));
  await send('POST', '/accounts/auth/jwt/create/', {
    body: Array.from({ length: 1100 }, (_, i) => `f${i}=1`).join('&'),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  await send('POST', '/accounts/auth/jwt/create/', {
    body: 'x',
    headers: { 'content-type': 'text/plain' },
  });
  // 405, 404, OPTIONS (DRF metadata)
  await send('DELETE', '/accounts/auth/jwt/create/');
  await send('GET', '/accounts/auth/jwt/create');
  await send('GET', '/no/such/path/');
  await send('OPTIONS', '/accounts/auth/jwt/create/');
  await send('OPTIONS', '/accounts/auth/users/me/', {
    headers: { Authorization: `JWT ${djAccess}` },
  });

  // SimpleJWT's views
  await send('POST', '/api/token/', json({ username: 'dj@example.com', password: PASSWORD }));
  await send('POST', '/api/token', json({ username: 'dj@example.com', password: 'nope' }));
  await send('POST', '/api/token/verify/', json({ token: 'garbage' }));

  // dj-rest-auth (cookie mode, Token and JWT)
  await send(
    'POST',
    '/auth/registration/',
    json({ username: 'ra', email: 'ra@example.com', password1: PASSWORD, password2: PASSWORD }),
  );
  const raLogin = await send('POST', '/auth/login/', json({ username: 'ra', password: PASSWORD }));
  await send('POST', '/auth/login', json({ username: 'ra', password: 'wrong' }));
  const raAccess =
    (raLogin.body as { access?: string; access_token?: string })?.access ??
    (raLogin.body as { access_token?: string })?.access_token ??
    '';
  const cookieHeader = raLogin.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
  await send('GET', '/auth/user/', { headers: { Authorization: `Bearer ${raAccess}` } });
  await send('GET', '/auth/user/', { headers: { Cookie: cookieHeader } });
  await send('PATCH', '/auth/user/', {
    json: { first_name: 'Ra' },
    headers: { Cookie: cookieHeader },
  });
  await send('POST', '/auth/token/refresh/', { json: {}, headers: { Cookie: cookieHeader } });
  await send('POST', '/auth/password/reset/', json({ email: 'ra@example.com' }));
  await send('POST', '/auth/logout/', {
    json: {},
    headers: { Authorization: `Bearer ${raAccess}` },
  });
  await send('GET', '/auth/user/', {
    headers: { Authorization: 'Token 0123456789abcdef0123456789abcdef01234567' },
  });

  // fastapi-users
  await send('POST', '/auth/register', json({ email: 'fa@example.com', password: PASSWORD }));
  await send('POST', '/auth/register', json({ email: 'fa@example.com' }));
  const faLogin = await send('POST', '/auth/jwt/login', {
    body: new URLSearchParams({ username: 'fa@example.com', password: PASSWORD }),
  });
  await send('POST', '/auth/jwt/login/', {
    body: new URLSearchParams({ username: 'fa@example.com', password: 'bad' }),
  });
  const faToken = (faLogin.body as { access_token?: string })?.access_token ?? '';
  await send('GET', '/users/me', { headers: { Authorization: `Bearer ${faToken}` } });
  await send('GET', '/users/me/', { headers: { Authorization: `Bearer ${faToken}` } });
  await send('GET', '/users/me');
  await send('PATCH', '/users/me', {
    body: '{"first',
    headers: { 'content-type': 'application/json', Authorization: `Bearer ${faToken}` },
  });
  await send('POST', '/auth/forgot-password', json({ email: 'fa@example.com' }));
  await send('POST', '/auth/reset-password', json({ token: 'bad', password: PASSWORD }));
  await send('POST', '/auth/jwt/logout', { headers: { Authorization: `Bearer ${faToken}` } });
  await send('PUT', '/auth/register');
  await send('OPTIONS', '/users/me');

  // health, metrics, JWKS, docs
  await send('GET', '/health/');
  // The counts differ by the requests each app saw (the other instance's docs fetch): its headers.
  const metrics = await t.http.get('/metrics');
  out.push({ ...answer('GET /metrics', metrics), body: '<metrics>' });
  await send('GET', '/.well-known/jwks.json');
  await send('GET', '/openapi.json');
  return out;
}

describe('the same app on Express as on Fastify', () => {
  let fastify: TestApp;
  let express: TestApp;
  beforeAll(async () => {
    fastify = await startTestApp({ env: ENV });
    express = await startTestApp({ env: ENV, adapter: 'express' });
  });
  afterAll(async () => {
    await fastify?.close();
    await express?.close();
  });

  it('answers every request of the list alike', async () => {
    const onFastify = await scenario(fastify);
    const onExpress = await scenario(express);
    expect(onExpress.length).toBe(onFastify.length);
    const differences = onFastify.flatMap((expected, i) =>
      JSON.stringify(onExpress[i]) === JSON.stringify(expected)
        ? []
        : [
            {
              request: expected.request,
              ...Object.fromEntries(
                (Object.keys(expected) as (keyof Answer)[])
                  .filter(
                    (key) => JSON.stringify(expected[key]) !== JSON.stringify(onExpress[i][key]),
                  )
                  .map((key) => [key, { fastify: expected[key], express: onExpress[i][key] }]),
              ),
            },
          ],
    );
    expect(differences).toEqual([]);
    // The list hit the surfaces for real, not 404s all round.
    expect(onFastify.filter((a) => a.status === 200 || a.status === 201).length).toBeGreaterThan(
      15,
    );
  });
});
