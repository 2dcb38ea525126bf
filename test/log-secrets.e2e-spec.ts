import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../src/audit/audit.service';
import { AuthEvent } from '../src/audit/auth-event.entity';
import { MailService } from '../src/mail/mail.service';
import { base32Decode } from '../src/infra/base32';
import { totp } from '../src/mfa/totp';
import { cookieValue } from './support/cookies';
import { linkIn, Mailbox } from './support/mailbox';
import {
  captureLogs,
  type HttpResponse,
  startTestApp,
  type TestApp,
  TEST_JWT_SECRET,
} from './support/test-app';

/**
 * "Logs hold no secret", proven: the app logs at its most verbose level while a
 * client goes through every surface — sign-ups, wrong and right passwords,
 * refreshes, Token keys, mailed links, tickets, a hijack key hidden behind a
 * percent-encoded parameter name, logouts — and every secret the client saw or
 * sent is then looked for in the captured log text and in auth_events.
 */
const FRONTEND = 'https://app.example.test';
const PASSWORD_A = 'Lantern-Orchid-4471';
const PASSWORD_B = 'Marble-Cactus-8824';
const NEW_A = 'Velvet-Harbor-3390';
const NEWER_A = 'Copper-Meadow-5517';
const NEW_B = 'Signal-Pebble-2268';
const WRONG = 'Wrong-Guess-0000x';
const A = 'leak-a@example.com';
const B = 'leak-b@example.com';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('logs at the most verbose level hold no secret, over every surface', () => {
  let mailbox: Mailbox;
  let t: TestApp;
  const logs = captureLogs();
  const lines = logs.lines;
  const secrets = new Set<string>([PASSWORD_A, PASSWORD_B, NEW_A, NEWER_A, NEW_B, WRONG]);
  /** Keeps what a client would have to keep secret; returns it for the flow to use. */
  const seen = <T extends string>(secret: T): T => {
    expect(typeof secret).toBe('string');
    secrets.add(secret);
    return secret;
  };
  const ok = (res: HttpResponse, status = 200) => {
    expect({ status: res.status, body: res.body }).toEqual({ status, body: res.body });
    return res;
  };

  beforeAll(async () => {
    mailbox = await Mailbox.start();
    t = await startTestApp({
      logStream: logs.stream,
      env: {
        LOG_LEVEL: 'trace',
        SMTP_URL: mailbox.url,
        MAIL_RETRY_DELAY: '0.05',
        FRONTEND_URL: FRONTEND,
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await mailbox.stop();
  });

  /** A dashboard form's CSRF token, with its cookie. */
  async function csrfFor(path: string, cookie = ''): Promise<string> {
    const page = await t.http.get(path, { headers: cookie ? { cookie } : {} });
    return cookieValue(page.headers.getSetCookie(), 'csrftoken')!;
  }

  it('goes through every surface, then finds none of the secrets it saw in the logs or auth_events', async () => {
    // Sign-up on dj-rest-auth (key + JWT pair) and fastapi-users, each verified by its mailed secret.
    const registered = ok(
      await t.http.post('/auth/registration/', {
        email: A,
        password1: PASSWORD_A,
        password2: PASSWORD_A,
      }),
      201,
    );
    seen(registered.body.key);
    seen(registered.body.access_token);
    seen(registered.body.refresh_token);
    const confirmation = seen(linkIn(await mailbox.waitFor(A)));
    const verifyKey = seen(decodeURIComponent(/\/verify-email\/([^/]+)\//.exec(confirmation)![1]));
    ok(await t.http.post('/auth/registration/verify-email/', { key: verifyKey }));

    ok(await t.http.post('/auth/register', { email: B, password: PASSWORD_B }), 201);
    ok(await t.http.post('/auth/request-verify-token', { email: B }), 202);
    const verifyLink = seen(linkIn(await mailbox.waitFor(B)));
    const verifyToken = seen(new URL(verifyLink).searchParams.get('token')!);
    ok(await t.http.post('/auth/verify', { token: verifyToken }));

    // Wrong, then right passwords on the five login endpoints and the dashboard's form.
    const fastapiForm = (password: string) =>
      t.http.post('/auth/jwt/login', undefined, {
        headers: FORM,
        body: new URLSearchParams({ username: B, password }).toString(),
      });
    expect((await t.http.post('/api/token/', { email: A, password: WRONG })).status).toBe(401);
    expect(
      (await t.http.post('/accounts/auth/jwt/create/', { username: A, password: WRONG })).status,
    ).toBe(401);
    expect((await t.http.post('/auth/login/', { email: A, password: WRONG })).status).toBe(400);
    expect((await fastapiForm(WRONG)).status).toBe(400);

    const simplejwt = ok(await t.http.post('/api/token/', { email: A, password: PASSWORD_A }));
    const djoser = ok(
      await t.http.post('/accounts/auth/jwt/create/', { username: A, password: PASSWORD_A }),
    );
    for (const pair of [simplejwt.body, djoser.body]) {
      seen(pair.access as string);
      seen(pair.refresh as string);
    }
    const restAuth = ok(await t.http.post('/auth/login/', { email: A, password: PASSWORD_A }));
    const key = seen(restAuth.body.key as string);
    seen(restAuth.body.access_token);
    const refresh = seen(restAuth.body.refresh_token as string);
    const fastapi = ok(await fastapiForm(PASSWORD_B));
    const bearer = seen(fastapi.body.access_token as string);

    const loginCsrf = await csrfFor('/dashboard/login/');
    const dashboardLogin = (password: string) =>
      t.http.request('POST', '/dashboard/login/', {
        headers: { ...FORM, cookie: `csrftoken=${loginCsrf}` },
        body: new URLSearchParams({
          email: A,
          password,
          csrfmiddlewaretoken: loginCsrf,
        }).toString(),
      });
    expect((await dashboardLogin(WRONG)).status).toBe(400);
    const formSession = await dashboardLogin(PASSWORD_A);
    expect(formSession.status).toBe(302);
    seen(cookieValue(formSession.headers.getSetCookie(), 'sessionid')!);

    // Refresh on the three paths, the Token key at work.
    for (const path of [
      '/api/token/refresh/',
      '/accounts/auth/jwt/refresh/',
      '/auth/token/refresh/',
    ]) {
      seen(ok(await t.http.post(path, { refresh })).body.access as string);
    }
    ok(await t.http.get('/authentication/user/', { headers: { authorization: `Token ${key}` } }));

    // A login-link ticket, used; the hijack key behind `%74oken` (= token) and `%2574oken`.
    const link = ok(
      await t.http.post('/auth/login-link/', undefined, {
        headers: { authorization: `Token ${key}` },
      }),
    );
    const url = new URL(seen(link.body.url as string));
    seen(url.searchParams.get('ticket')!);
    const ticketSession = await t.http.get(url.pathname + url.search);
    expect(ticketSession.headers.get('location')).toBe('/dashboard/');
    seen(cookieValue(ticketSession.headers.getSetCookie(), 'sessionid')!);
    const hijack = await t.http.get(`/auth/hijack/?next=%2F&%74oken=${key}`);
    expect(hijack.headers.get('location')).toBe('/dashboard/');
    const session = seen(cookieValue(hijack.headers.getSetCookie(), 'sessionid')!);
    const doubled = await t.http.get(`/auth/hijack/?%2574oken=${key}`);
    expect(doubled.headers.get('location')).toBe('/dashboard/login/?error=link');

    // The dashboard's logout, while the session lives (a new password ends it).
    const csrf = await csrfFor('/dashboard/', `sessionid=${session}`);
    expect(
      (
        await t.http.request('POST', '/dashboard/logout/', {
          headers: { ...FORM, cookie: `sessionid=${session}; csrftoken=${csrf}` },
          body: `csrfmiddlewaretoken=${csrf}`,
        })
      ).status,
    ).toBe(302);

    // Password reset by mailed link on both surfaces, then a change.
    ok(await t.http.post('/auth/password/reset/', { email: A }));
    const resetLink = seen(linkIn(await mailbox.waitFor(A, 2)));
    const [uid, token] = /\/password-reset\/confirm\/([^/]+)\/([^/]+)\//.exec(resetLink)!.slice(1);
    seen(token);
    ok(
      await t.http.post('/auth/password/reset/confirm/', {
        uid,
        token,
        new_password1: NEW_A,
        new_password2: NEW_A,
      }),
    );
    ok(await t.http.post('/auth/forgot-password', { email: B }), 202);
    const fastapiReset = seen(linkIn(await mailbox.waitFor(B, 2)));
    const resetToken = seen(new URL(fastapiReset).searchParams.get('token')!);
    ok(await t.http.post('/auth/reset-password', { token: resetToken, password: NEW_B }));

    const again = ok(await t.http.post('/auth/login/', { email: A, password: NEW_A }));
    const againKey = seen(again.body.key as string);
    const againRefresh = seen(again.body.refresh_token as string);
    const access = seen(again.body.access_token as string);
    ok(
      await t.http.post(
        '/auth/password/change/',
        { old_password: NEW_A, new_password1: NEWER_A, new_password2: NEWER_A },
        { headers: { authorization: `Bearer ${access}` } },
      ),
    );

    // Logouts: dj-rest-auth (key and refresh), fastapi-users.
    const fresh = ok(await t.http.post('/auth/login/', { email: A, password: NEWER_A }));
    seen(fresh.body.access_token);
    ok(
      await t.http.post(
        '/auth/logout/',
        { refresh: seen(fresh.body.refresh_token as string) },
        { headers: { authorization: `Token ${seen(fresh.body.key as string)}` } },
      ),
    );
    const fastapiAgain = ok(await fastapiForm(NEW_B));
    ok(
      await t.http.post('/auth/jwt/logout', undefined, {
        headers: { authorization: `Bearer ${seen(fastapiAgain.body.access_token as string)}` },
      }),
      204,
    );
    // MFA on fastapi-users: the secret and its URL, TOTP codes (a wrong one too), recovery codes.
    const mfaLogin = ok(await fastapiForm(NEW_B));
    const mfaAuth = {
      headers: { authorization: `Bearer ${seen(mfaLogin.body.access_token as string)}` },
    };
    const begun = ok(await t.http.post('/users/me/mfa/totp', undefined, mfaAuth));
    const mfaSecret = seen(begun.body.secret as string);
    seen(begun.body.otpauth_url as string);
    const codes: string[] = [];
    const codeAt = (ahead: number) => {
      const code = totp(base32Decode(mfaSecret), Date.now() + ahead * 30_000);
      codes.push(code);
      return code;
    };
    const wrongCode = String((Number(codeAt(0)) + 500_000) % 1_000_000).padStart(6, '0');
    codes.push(wrongCode);
    expect(
      (await t.http.post('/users/me/mfa/totp/confirm', { code: wrongCode }, mfaAuth)).status,
    ).toBe(400);
    const confirmed = ok(
      await t.http.post('/users/me/mfa/totp/confirm', { code: codeAt(0) }, mfaAuth),
    );
    const recovery = (confirmed.body.recovery_codes as string[]).map(seen);
    const renewed = ok(
      await t.http.post('/users/me/mfa/recovery-codes', { code: recovery[0] }, mfaAuth),
    );
    (renewed.body.recovery_codes as string[]).forEach(seen);
    expect(
      (await t.http.post('/users/me/mfa/recovery-codes', { code: recovery[0] }, mfaAuth)).status,
    ).toBe(400);
    ok(await t.http.delete('/users/me/mfa/totp', { json: { code: codeAt(1) }, ...mfaAuth }), 204);

    // Credentials from before the password changes: the change ended their sessions
    // (LOGOUT_ON_PASSWORD_CHANGE), so the access JWT, the refresh token and the key are all
    // refused at once. Each refusal is logged.
    expect([
      (await t.http.get('/users/me', { headers: { authorization: `Bearer ${bearer}` } })).status,
      (await t.http.post('/auth/token/refresh/', { refresh: againRefresh })).status,
      (await t.http.get('/auth/user/', { headers: { authorization: `Token ${againKey}` } })).status,
    ]).toEqual([401, 401, 401]);

    await t.app.get(MailService).idle();
    await t.app.get(AuditService).flush();
    await new Promise((resolve) => setTimeout(resolve, 100));

    // The capture is real: request lines of this flow, redacted, and the app's own lines.
    const planted = 'planted-secret-7f3a9c1e5b';
    new Logger('LogSecretsSpec').log(`a line that carries ${planted}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const text = lines.join('\n');
    expect(text).toContain(planted);
    const requests = lines.filter((line) => line.includes('"request completed"'));
    expect(requests.length).toBeGreaterThanOrEqual(35);
    expect(text).toContain('/auth/hijack/?next=%2F&%74oken=[Redacted]');
    expect(text).toContain('/auth/hijack/?%2574oken=[Redacted]');
    expect(text).toMatch(/"level":(10|20)\b/); // trace or debug lines were captured

    const everySecret = [...secrets, TEST_JWT_SECRET].filter((secret) => secret.length >= 8);
    expect(everySecret.length).toBeGreaterThan(30);
    const leaks = (haystack: string) =>
      everySecret.filter(
        (secret) => haystack.includes(secret) || haystack.includes(encodeURIComponent(secret)),
      );
    expect(leaks(`${text}\n${planted}`)).toEqual([]);
    expect(leaks(`x ${everySecret[0]}`)).toEqual([everySecret[0]]); // the check can fail

    const rows = await t.app.get(DataSource).getRepository(AuthEvent).find();
    expect(rows.length).toBeGreaterThan(20);
    expect(leaks(JSON.stringify(rows))).toEqual([]);
    // TOTP codes are 6 digits, too short to look for bare: looked for as a value.
    const codeLeaks = (haystack: string) =>
      codes.filter((code) => new RegExp(`["=:]\\s*"?${code}\\b`).test(haystack));
    expect(codeLeaks(`${text}\n${JSON.stringify(rows)}`)).toEqual([]);
    expect(codeLeaks(`{"code":"${codes[0]}"}`)).toContain(codes[0]); // the check can fail
  });
});
