import { UsersService } from '../src/accounts/users.service';
import { rawRequest, startAppendingProxy } from './support/raw-http';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * TRUST_PROXY's hop count and address list (issue 27): behind a proxy that
 * appends to X-Forwarded-For, the client's own left-most entries name no one;
 * throttling counts, and the audit log records, the address the proxy saw.
 * Clients are told apart by the loopback address they connect from (127.0.0.5…).
 */
const PASSWORD = 'Proxy-Pass-123';
const OWNER = 'owner@example.com';
const ACCOUNT_LIMIT = 5;
const RATES = `login=${ACCOUNT_LIMIT}/minute,login_address=1000/minute`;

let forged = 0;
/** A different made-up address for every request, as an attacker would write. */
function forgedAddress(): string {
  forged++;
  return `203.0.113.${forged % 250}, 198.51.${Math.floor(forged / 250)}.${forged % 250}`;
}

describe.each([
  ['a hop count', '1'],
  ['the proxy’s address', '127.0.0.1'],
  ['a CIDR list', '10.0.0.0/8, 127.0.0.0/30'],
])('TRUST_PROXY as %s (%s) behind an appending proxy', (_form, trustProxy) => {
  let t: TestApp;
  let proxy: { port: number; close(): Promise<void> };
  let staff: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: trustProxy, DEFAULT_THROTTLE_RATES: RATES } });
    const users = t.app.get(UsersService);
    await users.create({ email: OWNER, password: PASSWORD, isVerified: true });
    await users.create({ email: 'staff@example.com', password: PASSWORD, isStaff: true });
    staff = (await t.http.post('/api/token/', { email: 'staff@example.com', password: PASSWORD }))
      .body.access as string;
    proxy = await startAppendingProxy(Number(new URL(t.baseUrl).port));
  });
  afterAll(async () => {
    await proxy.close();
    await t.close();
  });

  const guess = (from: string, password: string) =>
    rawRequest(proxy.port, {
      method: 'POST',
      path: '/api/token/',
      localAddress: from,
      headers: { 'x-forwarded-for': forgedAddress(), 'user-agent': 'ProxySpec/1.0' },
      json: { email: OWNER, password },
    });

  it('counts the real client: a forged left-most X-Forwarded-For per guess gets no fresh count', async () => {
    for (let i = 0; i < ACCOUNT_LIMIT; i++) {
      expect((await guess('127.0.0.5', `wrong-${i}`)).status).toBe(401);
    }
    const stopped = await guess('127.0.0.5', PASSWORD);
    expect(stopped.status).toBe(429);
    expect(stopped.headers['retry-after']).toBeDefined();
    // Another client behind the same proxy has its own count: the owner still logs in.
    expect((await guess('127.0.0.6', PASSWORD)).status).toBe(200);
  });

  it('records the address the proxy saw in the audit log, never a forged one', async () => {
    const events = await t.http.get('/api/auth-events/?page_size=100', {
      headers: { authorization: `Bearer ${staff}` },
    });
    expect(events.status).toBe(200);
    const viaProxy = (
      events.body.results as { type: string; user_agent: string; address: string }[]
    ).filter((event) => event.user_agent === 'ProxySpec/1.0');
    // Five failed logins, the refused (throttled) guess, the owner's login.
    expect(viaProxy.map((event) => event.type).sort()).toEqual([
      ...Array<string>(ACCOUNT_LIMIT + 1).fill('login'),
      'throttled',
    ]);
    expect(new Set(viaProxy.map((event) => event.address))).toEqual(
      new Set(['127.0.0.5', '127.0.0.6']),
    );
  });
});

describe('TRUST_PROXY as a list: a client that connects directly', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: '127.0.0.1', DEFAULT_THROTTLE_RATES: RATES } });
    await t.app.get(UsersService).create({ email: OWNER, password: PASSWORD, isVerified: true });
  });
  afterAll(() => t.close());

  it('is its own address, whatever X-Forwarded-For it sends', async () => {
    const port = Number(new URL(t.baseUrl).port);
    for (let i = 0; i < ACCOUNT_LIMIT; i++) {
      const res = await rawRequest(port, {
        method: 'POST',
        path: '/api/token/',
        localAddress: '127.0.0.7',
        headers: { 'x-forwarded-for': forgedAddress() },
        json: { email: OWNER, password: `wrong-${i}` },
      });
      expect(res.status).toBe(401);
    }
    const stopped = await rawRequest(port, {
      method: 'POST',
      path: '/api/token/',
      localAddress: '127.0.0.7',
      headers: { 'x-forwarded-for': forgedAddress() },
      json: { email: OWNER, password: PASSWORD },
    });
    expect(stopped.status).toBe(429);
  });
});
