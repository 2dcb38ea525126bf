import { execFileSync } from 'node:child_process';
import { detectPython, PYTHON } from './support/python';
import { startTestApp, type TestApp } from './support/test-app';

/** Debian's python3-pyotp: an authenticator app's view of the otpauth URL. */
const HAVE_PYOTP = detectPython(['pyotp'], 'python3-pyotp', 'the pyotp interop specs');

/** What pyotp makes of the URI: its secret, issuer, account, and its code for now. */
function pyotp(url: string): { secret: string; issuer: string; name: string; now: string } {
  const script = [
    'import json, sys, pyotp',
    'totp = pyotp.parse_uri(sys.argv[1])',
    'print(json.dumps({"secret": totp.secret, "issuer": totp.issuer, "name": totp.name,',
    '  "digits": totp.digits, "interval": totp.interval, "now": totp.now()}))',
  ].join('\n');
  return JSON.parse(execFileSync(PYTHON, ['-c', script, url], { encoding: 'utf8' })) as ReturnType<
    typeof pyotp
  >;
}

(HAVE_PYOTP ? describe : describe.skip)('MFA interop with pyotp', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { MFA_ISSUER: 'DSTOQ Wallet' } });
  });
  afterAll(() => t?.close());

  it('pyotp parses the otpauth_url to the same secret, and its code for now confirms the enrolment', async () => {
    const user = await t.createUser({ email: 'ada+mfa@example.com' });
    const client = await t.loginAs(user, 'JWT');
    const begun = await client.post('/accounts/auth/users/me/mfa/totp/');
    expect(begun.status).toBe(200);
    const { secret, otpauth_url } = begun.body as { secret: string; otpauth_url: string };

    const parsed = pyotp(otpauth_url);
    expect(parsed).toMatchObject({
      secret,
      issuer: 'DSTOQ Wallet',
      name: 'ada+mfa@example.com',
      digits: 6,
      interval: 30,
    });
    // pyotp's code for now is accepted: the apps and the server agree.
    const confirmed = await client.post('/accounts/auth/users/me/mfa/totp/confirm/', {
      code: parsed.now,
    });
    expect(confirmed.status).toBe(200);
    expect((confirmed.body as { recovery_codes: string[] }).recovery_codes).toHaveLength(10);
  });
});
