import { ProbeModule } from './support/probe.module';
import { captureLogs, startTestApp, type TestApp } from './support/test-app';

describe('request logs', () => {
  let t: TestApp;
  const logs = captureLogs();
  const lines = logs.lines;

  beforeAll(async () => {
    t = await startTestApp({
      imports: [ProbeModule],
      logStream: logs.stream,
      env: { LOG_LEVEL: 'info' },
    });
  });
  afterAll(() => t.close());

  it('are JSON lines with method, redacted URL and status, and never a credential', async () => {
    await t.http.request('POST', '/probe/echo/?token=0123456789abcdef&page=2&key=sekrit-key', {
      headers: { Authorization: 'Token 0123456789abcdef', Cookie: 'sessionid=cookie-secret' },
      json: { email: 'a@b.c', password: 'body-password' },
    });
    await t.http.post('/probe/boom/', {});
    await new Promise((r) => setTimeout(r, 50));

    const entries = lines.map((line) => JSON.parse(line) as Record<string, any>);
    const request = entries.find(
      (e) => e.msg === 'request completed' && e.req.url.startsWith('/probe/echo'),
    );
    expect(request).toMatchObject({
      req: { method: 'POST', url: '/probe/echo/?token=[Redacted]&page=2&key=[Redacted]' },
      // The made-up key is refused even on this open route, as DRF authenticates first.
      res: { statusCode: 401 },
    });
    const failure = entries.find((e) => e.level === 50);
    expect(failure).toBeDefined();

    const all = lines.join('\n');
    for (const secret of ['0123456789abcdef', 'sekrit-key', 'cookie-secret', 'body-password']) {
      expect(all).not.toContain(secret);
    }
  });
});

describe('request logs on Express', () => {
  /** The request lines of one app for the same requests, with what differs between runs masked. */
  async function requestLines(adapter: 'fastify' | 'express') {
    const logs = captureLogs();
    const t = await startTestApp({
      imports: [ProbeModule],
      logStream: logs.stream,
      env: { LOG_LEVEL: 'info' },
      ...(adapter === 'express' ? { adapter } : {}),
    });
    try {
      await t.http.request('POST', '/probe/echo/?token=0123456789abcdef&page=2', {
        headers: { Authorization: 'Token 0123456789abcdef', Cookie: 'sessionid=cookie-secret' },
        json: { email: 'a@b.c', password: 'body-password' },
      });
      await t.http.post('/api/token/', { email: 'nobody@example.com', password: 'wrong' });
      await t.http.get('/no/such/path/');
      await t.http.get('/users/me');
      await t.http.get('/health/live');
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      await t.close();
    }
    const all = logs.lines.join('\n');
    for (const secret of ['0123456789abcdef', 'cookie-secret', 'body-password']) {
      expect(all).not.toContain(secret);
    }
    return logs.lines
      .map((line) => JSON.parse(line) as Record<string, any>)
      .filter((entry) => entry.msg === 'request completed')
      .map((entry): Record<string, any> => ({
        ...entry,
        time: typeof entry.time,
        pid: typeof entry.pid,
        hostname: typeof entry.hostname,
        reqId: typeof entry.reqId,
        req: { ...entry.req, id: entry.req.id === entry.reqId },
        responseTime: typeof entry.responseTime,
      }));
  }

  it('are the lines the standalone service writes: the same fields, redaction and statuses', async () => {
    const onFastify = await requestLines('fastify');
    expect(onFastify.map((line) => line.res.statusCode)).toEqual([401, 401, 404, 401]);
    expect(await requestLines('express')).toEqual(onFastify);
  });
});
