import { ProbeModule } from './support/probe.module';
import { captureLogs, startTestApp, type TestApp } from './support/test-app';

describe('X-Request-Id', () => {
  let t: TestApp;
  const logs = captureLogs();
  const lines = logs.lines;
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, any>);

  beforeAll(async () => {
    t = await startTestApp({
      imports: [ProbeModule],
      logStream: logs.stream,
      env: { LOG_LEVEL: 'info' },
    });
  });
  afterAll(() => t.close());

  it('is honoured, returned, and on every log line of the request (Nest loggers too)', async () => {
    const res = await t.http.post(
      '/probe/boom/',
      {},
      { headers: { 'X-Request-Id': 'lb-7f3a:42' } },
    );
    expect(res.status).toBe(500);
    expect(res.headers.get('x-request-id')).toBe('lb-7f3a:42');
    await new Promise((r) => setTimeout(r, 50));
    const ofRequest = entries().filter((e) => e.reqId === 'lb-7f3a:42');
    expect(ofRequest.map((e) => e.level)).toEqual(expect.arrayContaining([50, 30]));
    expect(ofRequest.find((e) => e.msg === 'request completed')?.res).toEqual({ statusCode: 500 });
    // The filter's error line (Nest's Logger) and the request line: one id key each.
    for (const line of lines.filter((l) => l.includes('lb-7f3a:42'))) {
      expect(line.match(/"reqId"/g)).toHaveLength(1);
    }
  });

  it("names a safe read's error line and request line, which run outside the request context", async () => {
    const res = await t.http.get('/probe/boom/', { headers: { 'X-Request-Id': 'read-9c1d' } });
    expect(res.status).toBe(500);
    await new Promise((r) => setTimeout(r, 50));
    const ofRequest = entries().filter((e) => e.reqId === 'read-9c1d');
    expect(ofRequest.map((e) => e.level)).toEqual(expect.arrayContaining([50, 30]));
    for (const line of lines.filter((l) => l.includes('read-9c1d'))) {
      expect(line.match(/"reqId"/g)).toHaveLength(1);
    }
  });

  it('runs writes inside the request context and safe reads outside it', async () => {
    const write = await t.http.post('/probe/context/', {}, { headers: { 'X-Request-Id': 'w-1' } });
    expect(write.body).toEqual({ context: 'w-1' });
    const read = await t.http.get('/probe/context/', { headers: { 'X-Request-Id': 'r-1' } });
    expect(read.body).toEqual({ context: null });
    // And again after the read: the storage switched off comes back for the next write.
    const again = await t.http.post('/probe/context/', {}, { headers: { 'X-Request-Id': 'w-2' } });
    expect(again.body).toEqual({ context: 'w-2' });
  });

  it('is generated when absent, or when unsafe or too long', async () => {
    const generated = new Set<string>();
    for (const given of [undefined, 'a b', 'x'.repeat(129), 'id"},{"forged']) {
      const res = await t.http.get('/health/live', {
        headers: given === undefined ? {} : { 'X-Request-Id': given },
      });
      const id = res.headers.get('x-request-id') ?? '';
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      generated.add(id);
    }
    expect(generated.size).toBe(4);
  });
});
