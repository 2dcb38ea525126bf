import { UsersService } from '../src/accounts/users.service';
import { startTestApp, type TestApp } from './support/test-app';

const PASSWORD = 'Zebra-Quartz-71';
const TOKEN = 'metrics-token-0123456789';

/** The value of one sample line, e.g. `gatehouse_logins_total{surface="simplejwt",outcome="success"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { METRICS_TOKEN: TOKEN } });
    await t.app
      .get(UsersService)
      .create({ email: 'metrics@example.com', username: 'metrics', password: PASSWORD });
  });
  afterAll(() => t.close());

  it('wants the METRICS_TOKEN bearer when one is set', async () => {
    expect((await t.http.get('/metrics')).status).toBe(401);
    expect(
      (await t.http.get('/metrics', { headers: { authorization: 'Bearer wrong' } })).status,
    ).toBe(401);
  });

  it('counts requests by route pattern, logins by surface and outcome, and shows the mail queue', async () => {
    await t.http.post('/api/token/', { email: 'metrics@example.com', password: PASSWORD });
    await t.http.post('/api/token/', { email: 'metrics@example.com', password: 'wrong-one' });
    await t.http.request('POST', '/auth/jwt/login', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'nobody@example.com', password: 'x' }).toString(),
    });
    await t.http.get('/users/4f0e5c1e-0000-4000-8000-000000000000');

    const res = await t.http.get('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = res.text;
    expect(sample(text, 'gatehouse_logins_total{surface="simplejwt",outcome="success"}')).toBe(1);
    expect(
      sample(text, 'gatehouse_logins_total{surface="simplejwt",outcome="bad_credentials"}'),
    ).toBe(1);
    expect(
      sample(text, 'gatehouse_logins_total{surface="fastapi-users",outcome="bad_credentials"}'),
    ).toBe(1);
    expect(
      sample(
        text,
        'gatehouse_http_request_duration_seconds_count{route="/api/token",method="POST",status="401"}',
      ),
    ).toBe(1);
    // Labelled by the route's pattern, not the id in the URL.
    expect(text).toMatch(
      /gatehouse_http_request_duration_seconds_count\{route="\/users\/:id",method="GET",status="401"\} 1/,
    );
    expect(text).not.toContain('4f0e5c1e');
    expect(sample(text, 'gatehouse_mail_queue_depth')).toBe(0);
    expect(sample(text, 'gatehouse_mail_delivery_failures_total')).toBe(0);
  });
});
