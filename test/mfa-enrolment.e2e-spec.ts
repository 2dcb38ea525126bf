import { DataSource } from 'typeorm';
import type { HttpResponse, LoggedInClient, TestUser } from '../src/testing';
import { GENEROUS_THROTTLE_RATES } from '../src/testing/start-app';
import { base32Decode } from '../src/infra/base32';
import { totp, totpStep } from '../src/mfa/totp';
import { Mailbox } from './support/mailbox';
import { runCli } from './support/processes';
import { startTestApp, testEnvironment, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { ME_SURFACES, type MeSurface } from './support/me-surfaces';

const SURFACES = ME_SURFACES;
type Surface = MeSurface;

const path = (surface: Surface, rest = '') => `${surface.me}/mfa${rest}${surface.slash}`;
const INVALID_CODE = { drf: { code: ['Invalid code.'] }, fastapi: { detail: 'MFA_INVALID_CODE' } };

/** Waits out the last two seconds of a TOTP step, so a code made now is still "now" on arrival. */
async function stepAhead(): Promise<void> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < 2_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/** A code of this step; `ahead` steps later (one is within the accepted drift). */
function codeOf(secret: string, ahead = 0): string {
  return totp(base32Decode(secret), Date.now() + ahead * 30_000);
}

/** A 6-digit code that is none of the accepted ones. */
function wrongCode(secret: string): string {
  const accepted = [-1, 0, 1].map((ahead) => codeOf(secret, ahead));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!accepted.includes(code)) return code;
  }
}

function expectInvalidCode(surface: Surface, res: HttpResponse): void {
  expect([res.status, res.body]).toEqual([400, INVALID_CODE[surface.dialect]]);
}

describe('MFA enrolment on every surface', () => {
  let database: TestDatabase;
  let mailbox: Mailbox;
  let t: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    mailbox = await Mailbox.start();
    t = await startTestApp({
      database,
      env: { REST_AUTH_TOKEN: 'key', SMTP_URL: mailbox.url, MAIL_RETRY_DELAY: '0.05' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await mailbox?.stop();
    await database?.drop();
  });

  /** Begins and confirms enrolment; the secret and the recovery codes. */
  async function enrol(client: LoggedInClient, surface: Surface) {
    const begun = await client.post(path(surface, '/totp'));
    expect(begun.status).toBe(200);
    const secret = (begun.body as { secret: string }).secret;
    await stepAhead();
    const confirmed = await client.post(path(surface, '/totp/confirm'), { code: codeOf(secret) });
    expect(confirmed.status).toBe(200);
    return {
      secret,
      recoveryCodes: (confirmed.body as { recovery_codes: string[] }).recovery_codes,
    };
  }

  describe.each(SURFACES)('$me/mfa', (surface) => {
    let user: TestUser;
    let client: LoggedInClient;

    beforeAll(async () => {
      user = await t.createUser();
      client = await t.loginAs(user, surface.scheme);
    });

    it('enrols: status, a pending secret (replaced by a new call), a wrong code refused, confirmation with ten recovery codes', async () => {
      expect((await client.get(path(surface))).body).toEqual({
        totp: false,
        recovery_codes_left: 0,
      });

      const first = await client.post(path(surface, '/totp'));
      expect(first.status).toBe(200);
      const begun = await client.post(path(surface, '/totp'));
      expect(begun.status).toBe(200);
      const { secret, otpauth_url, qr_svg } = begun.body as Record<string, string>;
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(secret).not.toBe((first.body as { secret: string }).secret);
      expect(otpauth_url).toBe(
        `otpauth://totp/Gatehouse:${encodeURIComponent(user.email)}?secret=${secret}` +
          '&issuer=Gatehouse&algorithm=SHA1&digits=6&period=30',
      );
      expect(qr_svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      // Pending is not on.
      expect((await client.get(path(surface))).body).toEqual({
        totp: false,
        recovery_codes_left: 0,
      });

      // The replaced secret's code no longer confirms.
      await stepAhead();
      const old = (first.body as { secret: string }).secret;
      expectInvalidCode(
        surface,
        await client.post(path(surface, '/totp/confirm'), { code: codeOf(old) }),
      );
      expectInvalidCode(
        surface,
        await client.post(path(surface, '/totp/confirm'), { code: wrongCode(secret) }),
      );
      expectInvalidCode(
        surface,
        await client.post(path(surface, '/totp/confirm'), { code: 'not-a-code' }),
      );

      await stepAhead();
      const confirming = codeOf(secret);
      const confirmed = await client.post(path(surface, '/totp/confirm'), { code: confirming });
      expect(confirmed.status).toBe(200);
      const codes = (confirmed.body as { recovery_codes: string[] }).recovery_codes;
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      for (const code of codes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
      expect((await client.get(path(surface))).body).toEqual({
        totp: true,
        recovery_codes_left: 10,
      });
      const mail = await mailbox.waitFor(user.email);
      expect(mail.subject).toMatch(/Two-factor authentication enabled/);

      // The confirming code is spent: replayed (still within its window), it is refused.
      expectInvalidCode(
        surface,
        await client.post(path(surface, '/recovery-codes'), { code: confirming }),
      );
      // Enrolment again while on is refused.
      const again = await client.post(path(surface, '/totp'));
      expect(again.status).toBe(400);
      expect(again.body).toEqual(
        surface.dialect === 'fastapi'
          ? { detail: 'MFA_ALREADY_ENABLED' }
          : { non_field_errors: ['Multi-factor authentication is already enabled.'] },
      );

      // A recovery code proves it is the user: a fresh set; the old set dies.
      const fresh = await client.post(path(surface, '/recovery-codes'), { code: codes[0] });
      expect(fresh.status).toBe(200);
      const renewed = (fresh.body as { recovery_codes: string[] }).recovery_codes;
      expect(renewed).toHaveLength(10);
      expect(renewed).not.toContain(codes[1]);
      expectInvalidCode(
        surface,
        await client.post(path(surface, '/recovery-codes'), { code: codes[1] }),
      );
      expect((await client.get(path(surface))).body).toEqual({
        totp: true,
        recovery_codes_left: 10,
      });

      // Off with the next step's code: 204, status off, a mail.
      const off = await client.delete(path(surface, '/totp'), {
        json: { code: codeOf(secret, 1) },
      });
      expect([off.status, off.text]).toEqual([204, '']);
      expect((await client.get(path(surface))).body).toEqual({
        totp: false,
        recovery_codes_left: 0,
      });
      const notice = await mailbox.waitFor(user.email, 2);
      expect(notice.subject).toMatch(/Two-factor authentication disabled/);
    });

    it('turns off with the password, not with a wrong one; validation errors in the dialect', async () => {
      const other = await t.createUser();
      const otherClient = await t.loginAs(other, surface.scheme);
      const missing = await otherClient.post(path(surface, '/totp/confirm'), {});
      if (surface.dialect === 'fastapi') {
        expect(missing.status).toBe(422);
        expect(missing.body).toEqual({
          detail: [{ type: 'missing', loc: ['body', 'code'], msg: 'Field required', input: {} }],
        });
      } else {
        expect([missing.status, missing.body]).toEqual([
          400,
          { code: ['This field is required.'] },
        ]);
      }
      const nothing = await otherClient.post(path(surface, '/totp/confirm'), { code: '123456' });
      expect(nothing.status).toBe(400);
      expect(nothing.body).toEqual(
        surface.dialect === 'fastapi'
          ? { detail: 'MFA_NOT_PENDING' }
          : { non_field_errors: ['No TOTP enrolment is pending.'] },
      );

      await enrol(otherClient, surface);
      const wrong = await otherClient.delete(path(surface, '/totp'), {
        json: { password: 'not-the-password' },
      });
      expect([wrong.status, wrong.body]).toEqual([
        400,
        surface.dialect === 'fastapi'
          ? { detail: 'MFA_INVALID_PASSWORD' }
          : { password: ['Invalid password.'] },
      ]);
      const neither = await otherClient.delete(path(surface, '/totp'), { json: {} });
      expect(neither.status).toBe(surface.dialect === 'fastapi' ? 422 : 400);
      const off = await otherClient.delete(path(surface, '/totp'), {
        json: { password: other.password },
      });
      expect(off.status).toBe(204);
      expect((await otherClient.get(path(surface))).body).toEqual({
        totp: false,
        recovery_codes_left: 0,
      });
    });

    it('needs a login', async () => {
      const res = await t.http.get(path(surface));
      expect(res.status).toBe(401);
    });
  });

  it('a first enrolment asked several times at once answers each (one device; the last secret confirms)', async () => {
    const client = await t.loginAs(await t.createUser(), 'JWT');
    const begun = await Promise.all(
      Array.from({ length: 6 }, () => client.post(path(SURFACES[0], '/totp'))),
    );
    expect(begun.map((res) => res.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const secrets = begun.map((res) => (res.body as { secret: string }).secret);
    await stepAhead();
    const statuses: number[] = [];
    for (const secret of secrets) {
      statuses.push(
        (await client.post(path(SURFACES[0], '/totp/confirm'), { code: codeOf(secret) })).status,
      );
    }
    // Exactly one of the six secrets is the pending one; the others were replaced.
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
  });

  it('staff turn a user off (DELETE /api/users/{id}/mfa/); the audit trail has the mfa.* events', async () => {
    const user = await t.createUser();
    const client = await t.loginAs(user, 'JWT');
    await enrol(client, SURFACES[0]);
    const staff = await t.loginAs(await t.createUser({ is_staff: true }), 'JWT');
    expect((await staff.delete(`/api/users/${user.user.id}/mfa/`)).status).toBe(204);
    expect((await client.get(path(SURFACES[0]))).body).toEqual({
      totp: false,
      recovery_codes_left: 0,
    });
    expect((await staff.delete('/api/users/999999/mfa/')).status).toBe(404);
    const plain = await t.loginAs(await t.createUser(), 'JWT');
    expect((await plain.delete(`/api/users/${user.user.id}/mfa/`)).status).toBe(403);

    const page = await staff.get(`/api/auth-events/?user=${user.user.id}`);
    const types = (page.body as { results: { type: string; reason: string | null }[] }).results;
    expect(types).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'mfa.enabled' }),
        expect.objectContaining({ type: 'mfa.disabled', reason: 'staff' }),
      ]),
    );
  });

  it('records refused codes and spent recovery codes', async () => {
    const user = await t.createUser();
    const client = await t.loginAs(user, 'Bearer');
    const { recoveryCodes } = await enrol(client, SURFACES[3]);
    expectInvalidCode(
      SURFACES[3],
      await client.post(path(SURFACES[3], '/recovery-codes'), { code: 'zzzz-zzzz-zzzz' }),
    );
    expect(
      (await client.post(path(SURFACES[3], '/recovery-codes'), { code: recoveryCodes[0] })).status,
    ).toBe(200);
    const staff = await t.loginAs(await t.createUser({ is_staff: true }), 'JWT');
    const events = (
      (await staff.get(`/api/auth-events/?user=${user.user.id}`)).body as {
        results: { type: string; outcome: string; surface: string; reason: string | null }[];
      }
    ).results;
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'mfa.challenge_failed',
          outcome: 'failure',
          surface: 'fastapi-users',
          reason: 'invalid',
        }),
        expect.objectContaining({ type: 'mfa.recovery_code_used', outcome: 'success' }),
      ]),
    );
  });

  it('keeps no TOTP secret or recovery code in clear in the database', async () => {
    const user = await t.createUser();
    const client = await t.loginAs(user, 'JWT');
    const { secret, recoveryCodes } = await enrol(client, SURFACES[1]);
    const dataSource = t.app.get(DataSource);
    const rows = JSON.stringify([
      await dataSource.query('SELECT * FROM mfa_totp_devices'),
      await dataSource.query('SELECT * FROM mfa_recovery_codes'),
    ]);
    const raw = base32Decode(secret);
    for (const text of [
      secret,
      secret.toLowerCase(),
      raw.toString('hex'),
      raw.toString('base64'),
      raw.toString('base64url'),
    ]) {
      expect(rows).not.toContain(text);
    }
    for (const code of recoveryCodes) {
      expect(rows).not.toContain(code);
      expect(rows).not.toContain(code.replace(/-/g, ''));
    }
  });

  it('CLI mfa:reset --email [--json]', async () => {
    const user = await t.createUser();
    const client = await t.loginAs(user, 'JWT');
    await enrol(client, SURFACES[0]);
    const cli = (args: string[]) => runCli(args, testEnvironment(database.url));
    const reset = await cli(['mfa:reset', '--email', user.email, '--json']);
    expect([reset.code, JSON.parse(reset.stdout)]).toEqual([
      0,
      { user_id: user.user.id, reset: true },
    ]);
    expect((await client.get(path(SURFACES[0]))).body).toEqual({
      totp: false,
      recovery_codes_left: 0,
    });
    const again = await cli(['mfa:reset', '--email', user.email]);
    expect([again.code, again.stdout.trim()]).toEqual([
      0,
      `user ${user.user.id} had no multi-factor login`,
    ]);
  });
});

describe('MFA: wrong codes are throttled per account and address', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        REST_AUTH_TOKEN: 'key',
        TRUST_PROXY: 'true',
        DEFAULT_THROTTLE_RATES: `${GENEROUS_THROTTLE_RATES},mfa_code=3/minute`,
      },
    });
  });
  afterAll(() => t?.close());

  it.each(SURFACES)(
    '$me: the fourth wrong code from an address is a 429 in the dialect; another address is not locked out',
    async (surface) => {
      const user = await t.createUser();
      const client = await t.loginAs(user, surface.scheme);
      const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
      const begun = await client.post(path(surface, '/totp'));
      const secret = (begun.body as { secret: string }).secret;
      const wrong = wrongCode(secret);
      const address = `198.51.100.${SURFACES.indexOf(surface) + 1}`;
      for (let i = 0; i < 3; i++) {
        expectInvalidCode(
          surface,
          await client.post(path(surface, '/totp/confirm'), { code: wrong }, from(address)),
        );
      }
      const throttled = await client.post(
        path(surface, '/totp/confirm'),
        { code: wrong },
        from(address),
      );
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(throttled.body).toEqual(
        surface.dialect === 'fastapi'
          ? { detail: 'Too Many Requests' }
          : {
              detail: expect.stringMatching(
                /^Request was throttled\. Expected available in \d+ seconds?\.$/,
              ),
            },
      );
      // Even the right code waits: the count is spent.
      await stepAhead();
      expect(
        (await client.post(path(surface, '/totp/confirm'), { code: codeOf(secret) }, from(address)))
          .status,
      ).toBe(429);
      // The owner elsewhere is not locked out.
      const elsewhere = await client.post(
        path(surface, '/totp/confirm'),
        { code: codeOf(secret) },
        from('203.0.113.77'),
      );
      expect(elsewhere.status).toBe(200);
      const staff = await t.loginAs(await t.createUser({ is_staff: true }), 'JWT');
      const rows = (
        (await staff.get('/api/auth-events/?type=throttled')).body as {
          results: { reason: string; address: string }[];
        }
      ).results;
      expect(rows).toEqual(
        expect.arrayContaining([expect.objectContaining({ reason: 'mfa', address })]),
      );
      expect(totpStep()).toBeGreaterThan(0);
    },
  );
});
