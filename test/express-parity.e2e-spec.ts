import FindMyWay from 'find-my-way';
import { RouteTable } from '../src/http/route-table';
import { base32Decode } from '../src/infra/base32';
import { totp } from '../src/mfa/totp';
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
  /** The method and path sent (for the route coverage check). */
  sent?: { method: string; path: string };
  status: number;
  body: string;
  headers: Record<string, string | null>;
  cookies: string[];
}

/** What may differ between two runs: tokens, keys, dates, request ids, referral codes. */
function normalise(text: string): string {
  return (
    text
      .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g, '<jwt>')
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uuid>')
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?/g, '<date>')
      .replace(/"(key|csrf_token|csrftoken)":"[^"]+"/g, '"$1":"<secret>"')
      // A user's referral code is drawn at random when it is created.
      .replace(/"referral_short_link":"[^"]*\/[^"/]+"/g, '"referral_short_link":"<link>"')
      .replace(/\b[0-9a-f]{40}\b/g, '<key>')
      .replace(
        /name="csrfmiddlewaretoken" value="[^"]*"/g,
        'name="csrfmiddlewaretoken" value="<secret>"',
      )
      .replace(/"responseTime":\d+/g, '"responseTime":0')
      .replace(/"(secret|otpauth_url|qr_svg)":"(?:[^"\\]|\\.)*"/g, '"$1":"<secret>"')
      .replace(/"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}"/g, '"<recovery-code>"')
  );
}

function answer(label: string, res: HttpResponse): Answer {
  const headers: Record<string, string | null> = {};
  for (const name of HEADERS) headers[name] = res.headers.get(name);
  // Names and attributes, not values.
  const cookies = res.headers
    .getSetCookie()
    .map((cookie) => cookie.replace(/^([^=]+)=[^;]*/, '$1=<value>'))
    .sort();
  // A label may carry an id (a session's): normalised as the body is.
  return {
    request: normalise(label),
    status: res.status,
    body: normalise(res.text),
    headers,
    cookies,
  };
}

async function scenario(t: TestApp): Promise<Answer[]> {
  const out: Answer[] = [];
  const send = async (
    method: string,
    path: string,
    options: Parameters<TestApp['http']['request']>[2] = {},
  ): Promise<HttpResponse> => {
    const res = await t.http.request(method, path, options);
    out.push({ ...answer(`${method} ${path}`, res), sent: { method, path } });
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
  // Past the body limit (BODY_LIMIT), on a DRF and on a FastAPI path.
  const tooLarge = JSON.stringify({ username: 'x'.repeat(3 * 1024 * 1024) });
  const jsonType = { 'content-type': 'application/json' };
  await send('POST', '/accounts/auth/jwt/create/', { body: tooLarge, headers: jsonType });
  await send('POST', '/auth/register', { body: tooLarge, headers: jsonType });
  await send('POST', '/auth/register', { body: 'x', headers: { 'content-type': 'text/plain' } });
  await send('POST', '/auth/register', { body: '{"email": ', headers: jsonType });
  await send('GET', '/no/such/fastapi/path');
  await send('DELETE', '/auth/jwt/login');
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

  // sessions: every <me>/sessions/ (list, end one, end the others) and the staff's
  const member = await t.createUser({ email: 'member@example.com' });
  const memberLogin = (path: string) =>
    send('POST', path, json({ email: member.email, password: member.password }));
  const memberJwt = ((await memberLogin('/accounts/auth/jwt/create/')).body as { access: string })
    .access;
  const memberKey = ((await memberLogin('/auth/login/')).body as { key: string }).key;
  const memberBearer = (
    (
      await send('POST', '/auth/jwt/login', {
        body: new URLSearchParams({ username: member.email, password: member.password }),
      })
    ).body as { access_token: string }
  ).access_token;
  const asJwt = { headers: { Authorization: `JWT ${memberJwt}` } };
  const asKey = { headers: { Authorization: `Token ${memberKey}` } };
  const asBearer = { headers: { Authorization: `Bearer ${memberBearer}` } };
  const mine = await send('GET', '/accounts/auth/users/me/sessions/', asJwt);
  await send('GET', '/auth/user/sessions/', asJwt);
  await send('GET', '/authentication/user/sessions/', asKey);
  await send('GET', '/users/me/sessions', asBearer);
  await send('GET', '/users/me/sessions');
  const nobody = '00000000-0000-4000-8000-000000000000';
  await send('DELETE', `/accounts/auth/users/me/sessions/${nobody}/`, asJwt);
  await send('DELETE', `/auth/user/sessions/${nobody}/`, asJwt);
  await send('DELETE', `/authentication/user/sessions/${nobody}/`, asKey);
  await send('DELETE', `/users/me/sessions/${nobody}`, asBearer);
  // Another of the member's sessions (the list is newest first; the djoser login is the oldest).
  const other = (mine.body as { results?: { id: string; current: boolean }[] })?.results?.find(
    (s) => !s.current,
  );
  await send('DELETE', `/accounts/auth/users/me/sessions/${other?.id ?? nobody}/`, asJwt);
  await send('DELETE', '/users/me/sessions', asBearer);
  await send('DELETE', '/authentication/user/sessions/', asKey);
  await send('DELETE', '/auth/user/sessions/', asJwt);
  await send('DELETE', '/accounts/auth/users/me/sessions/', asJwt);
  // The dashboard's End button: a form POST, CSRF-checked before anything else.
  await send('POST', `/dashboard/sessions/${nobody}/end/`, {
    body: 'csrfmiddlewaretoken=forged',
    headers: { 'content-type': 'application/x-www-form-urlencoded', Origin: t.baseUrl },
  });
  const staff = await t.createUser({ email: 'staff@example.com', is_staff: true });
  const staffJwt = (
    (
      await send(
        'POST',
        '/accounts/auth/jwt/create/',
        json({ email: staff.email, password: staff.password }),
      )
    ).body as { access: string }
  ).access;
  const asStaff = { headers: { Authorization: `JWT ${staffJwt}` } };
  await send('GET', `/api/users/${member.user.id}/sessions/`, asStaff);
  await send('DELETE', `/api/users/${member.user.id}/sessions/`, asStaff);
  await send('GET', `/api/users/${member.user.id}/sessions/`, asStaff);
  await send('GET', `/api/users/${member.user.id}/sessions/`, asJwt);
  // DRF's metadata on the sessions views (the dashboard's End route answers OPTIONS too).
  for (const path of [
    '/accounts/auth/users/me/sessions/',
    `/accounts/auth/users/me/sessions/${nobody}/`,
    '/auth/user/sessions/',
    `/auth/user/sessions/${nobody}/`,
    '/authentication/user/sessions/',
    `/authentication/user/sessions/${nobody}/`,
    `/dashboard/sessions/${nobody}/end/`,
  ]) {
    await send('OPTIONS', path, asJwt);
  }
  await send('OPTIONS', `/api/users/${member.user.id}/sessions/`, asStaff);

  // MFA: every <me>/mfa/ route (status, begin, confirm, new recovery codes, off) and the staff's reset.
  const enrollee = await t.createUser({ email: 'mfa@example.com' });
  const enrolleeLogin = (path: string) =>
    send('POST', path, json({ email: enrollee.email, password: enrollee.password }));
  const enrolleeJwt = (
    (await enrolleeLogin('/accounts/auth/jwt/create/')).body as { access: string }
  ).access;
  const enrolleeKey = ((await enrolleeLogin('/auth/login/')).body as { key: string }).key;
  const enrolleeBearer = (
    (
      await send('POST', '/auth/jwt/login', {
        body: new URLSearchParams({ username: enrollee.email, password: enrollee.password }),
      })
    ).body as { access_token: string }
  ).access_token;
  for (const [me, slash, auth] of [
    ['/accounts/auth/users/me', '/', `JWT ${enrolleeJwt}`],
    ['/auth/user', '/', `Bearer ${enrolleeJwt}`],
    ['/authentication/user', '/', `Token ${enrolleeKey}`],
    ['/users/me', '', `Bearer ${enrolleeBearer}`],
  ]) {
    const as = { Authorization: auth };
    await send('GET', `${me}/mfa${slash}`, { headers: as });
    const begun = await send('POST', `${me}/mfa/totp${slash}`, { headers: as });
    const secret = (begun.body as { secret?: string })?.secret ?? '';
    await send('POST', `${me}/mfa/totp/confirm${slash}`, json({}, as));
    const confirmed = await send(
      'POST',
      `${me}/mfa/totp/confirm${slash}`,
      json({ code: secret ? totp(base32Decode(secret)) : '000000' }, as),
    );
    const codes = (confirmed.body as { recovery_codes?: string[] })?.recovery_codes ?? [];
    await send('POST', `${me}/mfa/recovery-codes${slash}`, json({ code: codes[0] ?? 'none' }, as));
    await send('DELETE', `${me}/mfa/totp${slash}`, json({ password: 'wrong' }, as));
    await send('DELETE', `${me}/mfa/totp${slash}`, json({ password: enrollee.password }, as));
  }
  await send('DELETE', `/api/users/${enrollee.user.id}/mfa/`, asStaff);
  // DRF's metadata on the MFA views.
  for (const me of ['/accounts/auth/users/me', '/auth/user', '/authentication/user']) {
    for (const rest of ['', '/totp', '/totp/confirm', '/recovery-codes']) {
      await send('OPTIONS', `${me}/mfa${rest}/`, {
        headers: { Authorization: `JWT ${enrolleeJwt}` },
      });
    }
  }
  await send('OPTIONS', `/api/users/${enrollee.user.id}/mfa/`, asStaff);
  await send('DELETE', `/api/users/${enrollee.user.id}/mfa/`, {
    headers: { Authorization: `JWT ${enrolleeJwt}` },
  });

  // The rest of each surface: every route at least once (routesWithoutRequest checks it).
  for (const action of [
    '',
    'activation/',
    'resend_activation/',
    'set_password/',
    'reset_password/',
    'reset_password_confirm/',
    'set_email/',
    'reset_email/',
    'reset_email_confirm/',
    '999999/',
  ]) {
    await send('OPTIONS', `/accounts/auth/users/${action}`, { headers: djAuth });
  }
  await send('OPTIONS', '/accounts/auth/jwt/refresh/');
  await send('OPTIONS', '/accounts/auth/jwt/verify/');
  await send('GET', '/accounts/accounts/user/', { headers: djAuth });
  await send('OPTIONS', '/accounts/accounts/user/', { headers: djAuth });
  await send('GET', '/core/accounts/accounts/me/', { headers: djAuth });
  await send('OPTIONS', '/core/accounts/accounts/me/', { headers: djAuth });
  await send('POST', '/api/token/refresh/', json({ refresh: djRefresh }));
  await send('POST', '/api/token/refresh', json({ refresh: 'garbage' }));
  for (const path of ['/api/token/', '/api/token/refresh/', '/api/token/verify/']) {
    await send('OPTIONS', path);
  }
  // dj-rest-auth's remaining views (a fresh login: the first one logged out)
  const ra2 = await send('POST', '/auth/login/', json({ username: 'ra', password: PASSWORD }));
  const ra2Access = (ra2.body as { access?: string })?.access ?? '';
  const raAuth = { Authorization: `Bearer ${ra2Access}` };
  await send('PUT', '/auth/user/', { json: { username: 'ra', first_name: 'R' }, headers: raAuth });
  await send('POST', '/auth/token/verify/', json({ token: ra2Access }));
  await send('GET', '/authentication/user/', { headers: raAuth });
  await send('PUT', '/authentication/user/', { json: { username: 'ra' }, headers: raAuth });
  await send('PATCH', '/authentication/user/', { json: { last_name: 'A' }, headers: raAuth });
  await send('POST', '/auth/registration/verify-email/', json({ key: 'not-a-key' }));
  await send('POST', '/auth/registration/resend-email/', json({ email: 'ra@example.com' }));
  await send(
    'POST',
    '/auth/password/reset/confirm/',
    json({ uid: 'x', token: 'y', new_password1: PASSWORD, new_password2: PASSWORD }),
  );
  await send('POST', '/auth/password/reset/change/', json({}));
  await send('POST', '/auth/password/change/', {
    json: { new_password1: 'short', new_password2: 'other' },
    headers: raAuth,
  });
  for (const path of [
    '/auth/registration/',
    '/auth/login/',
    '/auth/logout/',
    '/auth/user/',
    '/auth/token/verify/',
    '/auth/token/refresh/',
    '/authentication/user/',
    '/auth/registration/verify-email/',
    '/auth/registration/resend-email/',
    '/auth/password/reset/',
    '/auth/password/reset/confirm/',
    '/auth/password/reset/change/',
    '/auth/password/change/',
    '/auth/hijack/',
    '/auth/login-link/',
    '/dashboard/',
    '/dashboard/login/',
    '/dashboard/logout/',
    '/dashboard/mfa/totp/',
    '/dashboard/mfa/totp/confirm/',
  ]) {
    await send('OPTIONS', path, { headers: raAuth });
  }
  // The dashboard and its links
  await send('GET', '/auth/hijack/?key=0123456789abcdef');
  await send('POST', '/auth/login-link/', { json: {}, headers: raAuth });
  await send('GET', '/auth/login-link/?key=not-a-key');
  await send('GET', '/dashboard/');
  await send('GET', '/dashboard/login/');
  await send('POST', '/dashboard/login/', {
    body: new URLSearchParams({ email: 'ra@example.com', password: PASSWORD }),
  });
  // The dashboard's MFA enrolment forms (CSRF-checked before anything else).
  await send('POST', '/dashboard/mfa/totp/', { body: new URLSearchParams({}) });
  await send('POST', '/dashboard/mfa/totp/confirm/', {
    body: new URLSearchParams({ code: '123456' }),
  });
  await send('POST', '/dashboard/logout/', { body: new URLSearchParams({}) });
  await send('HEAD', '/dashboard/login/');

  // fastapi-users' remaining routes, and the KYC resource
  const faAgain = await send('POST', '/auth/jwt/login', {
    body: new URLSearchParams({ username: 'fa@example.com', password: PASSWORD }),
  });
  const faAuth = {
    Authorization: `Bearer ${(faAgain.body as { access_token?: string })?.access_token ?? ''}`,
  };
  await send('POST', '/auth/request-verify-token', json({ email: 'fa@example.com' }));
  await send('POST', '/auth/verify', json({ token: 'not-a-token' }));
  await send('GET', '/users/1', { headers: faAuth });
  await send('PATCH', '/users/1', { json: { first_name: 'x' }, headers: faAuth });
  await send('DELETE', '/users/1', { headers: faAuth });
  await send('GET', '/api/v1/resource', { headers: faAuth });
  await send('GET', '/api/v1/resource');

  // The admin surface: staff users log in with djoser's JWT (the scheme the admin views accept).
  const admin = await t.createUser({
    email: 'admin@example.com',
    username: 'admin',
    password: PASSWORD,
    is_staff: true,
    is_superuser: true,
    verified: true,
  });
  const adminLogin = await t.http.post('/accounts/auth/jwt/create/', {
    username: admin.email,
    password: PASSWORD,
  });
  const adminAuth = { Authorization: `JWT ${(adminLogin.body as { access?: string }).access}` };
  await send('GET', '/api/users/', { headers: adminAuth });
  await send('GET', '/api/users/?page=2&page_size=1', { headers: adminAuth });
  const created = await send('POST', '/api/users/', {
    json: { email: 'made@example.com', password: PASSWORD },
    headers: adminAuth,
  });
  const madeId = (created.body as { id?: number })?.id ?? 0;
  await send('POST', '/api/users/', { json: { email: 'x' }, headers: adminAuth });
  await send('GET', `/api/users/${madeId}/`, { headers: adminAuth });
  await send('GET', '/api/users/999999/', { headers: adminAuth });
  await send('PATCH', `/api/users/${madeId}/`, {
    json: { first_name: 'Made' },
    headers: adminAuth,
  });
  await send('DELETE', `/api/users/${madeId}/`, { headers: adminAuth });
  await send('GET', '/api/users/', { headers: djAuth });
  await send('GET', '/api/users/');
  await send('OPTIONS', '/api/users/', { headers: adminAuth });
  await send('OPTIONS', `/api/users/${madeId}/`, { headers: adminAuth });
  await send('GET', '/api/account-providers/', { headers: adminAuth });
  const provider = await send('POST', '/api/account-providers/', {
    json: { name: 'Acme Brokerage', slug: 'acme' },
    headers: adminAuth,
  });
  const providerId = (provider.body as { id?: number })?.id ?? 0;
  await send('POST', '/api/account-providers/', { json: {}, headers: adminAuth });
  await send('GET', `/api/account-providers/${providerId}/`, { headers: adminAuth });
  await send('PATCH', `/api/account-providers/${providerId}/`, {
    json: { name: 'Acme' },
    headers: adminAuth,
  });
  await send('OPTIONS', '/api/account-providers/', { headers: adminAuth });
  await send('OPTIONS', `/api/account-providers/${providerId}/`, { headers: adminAuth });
  await send('GET', '/api/auth-events/?page_size=5', { headers: adminAuth });
  await send('OPTIONS', '/api/auth-events/', { headers: adminAuth });

  // health, metrics, JWKS, docs
  await send('GET', '/health/');
  await send('GET', '/health/live');
  await send('HEAD', '/health/');
  // The counts differ by the requests each app saw (the other instance's docs fetch): its headers.
  const metrics = await t.http.get('/metrics');
  out.push({
    ...answer('GET /metrics', metrics),
    body: '<metrics>',
    sent: { method: 'GET', path: '/metrics' },
  });
  await send('GET', '/.well-known/jwks.json');
  await send('GET', '/openapi.json');
  for (const path of [
    '/docs',
    '/docs/',
    '/docs/index.html',
    '/docs/swagger-ui-init.js',
    '/docs/docs/swagger-ui-init.js',
    '/docs/LICENSE',
    '/docs/swagger-ui.css',
    '/docs-json',
    '/docs-yaml',
  ]) {
    await send('GET', path);
  }
  return out;
}

/**
 * Every route the app registers (each surface, admin, dashboard, docs, health,
 * metrics) that no request of the scenario reached: `METHOD /pattern` each.
 * HEAD is Fastify's own twin of each GET; the scenario sends a few.
 */
function routesWithoutRequest(t: TestApp, answers: Answer[]): string[] {
  const routes = t.app.get(RouteTable, { strict: false }).routes();
  const router = FindMyWay({ ignoreTrailingSlash: true });
  const keys: string[] = [];
  for (const route of routes) {
    if (route.method === 'HEAD' || router.hasRoute(route.method, route.url)) continue;
    const key = `${route.method} ${route.url}`;
    keys.push(key);
    router.on(route.method, route.url, () => undefined, { key });
  }
  const reached = new Set<string>();
  for (const { sent } of answers) {
    if (!sent) continue;
    const path = sent.path.split('?')[0] ?? '/';
    const found = router.find(sent.method as FindMyWay.HTTPMethod, path);
    if (found) reached.add((found.store as { key: string }).key);
  }
  return keys.filter((key) => !reached.has(key));
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
    expect(routesWithoutRequest(fastify, onFastify)).toEqual([]);
    expect(routesWithoutRequest(express, onExpress)).toEqual([]);
    expect(onExpress.length).toBe(onFastify.length);
    // What was sent holds raw ids (each app made its own); the answers hold them normalised.
    const compared = (answer: Answer) => ({ ...answer, sent: undefined });
    const differences = onFastify.flatMap((expected, i) =>
      JSON.stringify(compared(onExpress[i])) === JSON.stringify(compared(expected))
        ? []
        : [
            {
              request: expected.request,
              ...Object.fromEntries(
                (Object.keys(expected) as (keyof Answer)[])
                  .filter((key) => key !== 'sent')
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
  }, 180_000);
});
