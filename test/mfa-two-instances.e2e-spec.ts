import { MfaService } from '../src/mfa/mfa.service';
import { type ServerProcess, startServerOnFreePort } from './support/processes';
import { postgresServer } from './support/services';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import {
  GENEROUS_THROTTLE_RATES,
  HttpClient,
  startTestApp,
  type TestApp,
  testEnvironment,
} from './support/test-app';
import { totpCode, totpStep } from './support/totp';

const PASSWORD = 'Harbor-Lichen-6643';
const postgres = postgresServer();

/**
 * Multi-factor login across two instances on one PostgreSQL database (no Redis:
 * the database alone must decide): instance A a real process (`node dist/src/main.js`),
 * B in this process. A TOTP code taken on one is refused on the other, and an
 * mfa_token redeemed on one is refused on the other.
 */
(postgres ? describe : describe.skip)('multi-factor login on two instances', () => {
  let database: TestDatabase;
  let a: ServerProcess;
  let aHttp: HttpClient;
  let b: TestApp;
  const env = {
    DEFAULT_THROTTLE_RATES: `${GENEROUS_THROTTLE_RATES},mfa_code=100000/minute,mfa_code_address=100000/minute`,
  };

  beforeAll(async () => {
    database = await createTestDatabase(postgres);
    let baseUrl: string;
    ({ server: a, baseUrl } = await startServerOnFreePort(testEnvironment(database.url, env)));
    aHttp = new HttpClient(baseUrl);
    b = await startTestApp({ database, env });
  }, 90_000);

  afterAll(async () => {
    if (a?.child.exitCode === null) a.child.kill('SIGKILL');
    await b?.close();
    await database?.drop();
  });

  /** A user with MFA on, enrolled on B. */
  async function enrolled() {
    const { user, email } = await b.createUser({ password: PASSWORD });
    const mfa = b.app.get(MfaService);
    const { secret } = await mfa.beginTotp(user);
    const { recoveryCodes } = await mfa.confirmTotp(user, totpCode(secret), {
      surface: 'simplejwt',
    });
    return { email, secret, recoveryCodes };
  }

  async function challenge(http: HttpClient, email: string): Promise<string> {
    const res = await http.post('/api/token/', { email, password: PASSWORD });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('mfa_required');
    return res.body.mfa_token as string;
  }

  it('refuses on B a TOTP code already taken on A', async () => {
    const { email, secret } = await enrolled();
    const code = totpCode(secret, totpStep() + 1);
    const onA = await aHttp.post('/api/token/', {
      mfa_token: await challenge(aHttp, email),
      code,
    });
    expect(onA.status).toBe(200);
    const onB = await b.http.post('/api/token/', {
      mfa_token: await challenge(b.http, email),
      code,
    });
    expect({ status: onB.status, body: onB.body as unknown }).toEqual({
      status: 401,
      body: { detail: 'Invalid multi-factor code.', code: 'mfa_invalid_code' },
    });
  });

  it('refuses on A an mfa_token redeemed on B, and a recovery code spent on B', async () => {
    const { email, recoveryCodes } = await enrolled();
    const mfaToken = await challenge(aHttp, email);
    const onB = await b.http.post('/api/token/', { mfa_token: mfaToken, code: recoveryCodes[0] });
    expect(onB.status).toBe(200);
    const again = await aHttp.post('/api/token/', { mfa_token: mfaToken, code: recoveryCodes[1] });
    expect({ status: again.status, body: again.body as unknown }).toEqual({
      status: 401,
      body: { detail: 'Multi-factor token is invalid or expired.', code: 'mfa_token_invalid' },
    });
    const spent = await aHttp.post('/api/token/', {
      mfa_token: await challenge(aHttp, email),
      code: recoveryCodes[0],
    });
    expect(spent.body).toEqual({ detail: 'Invalid multi-factor code.', code: 'mfa_invalid_code' });
  });

  it('lets one of two simultaneous redemptions of one mfa_token through, on two instances', async () => {
    const { email, recoveryCodes } = await enrolled();
    const mfaToken = await challenge(b.http, email);
    const [onA, onB] = await Promise.all([
      aHttp.post('/api/token/', { mfa_token: mfaToken, code: recoveryCodes[2] }),
      b.http.post('/api/token/', { mfa_token: mfaToken, code: recoveryCodes[3] }),
    ]);
    expect([onA.status, onB.status].sort()).toEqual([200, 401]);
  });
});
