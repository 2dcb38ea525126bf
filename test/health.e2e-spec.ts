import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from './support/test-app';

describe('GET /health', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers 200 with the database up, with and without the trailing slash', async () => {
    for (const path of ['/health', '/health/']) {
      const res = await t.http.get(path);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    }
  });

  it('needs no credentials, and ignores bad ones', async () => {
    const res = await t.http.get('/health', { headers: { Authorization: 'JWT garbage' } });
    expect(res.status).toBe(200);
  });

  it.each(['DELETE', 'POST', 'PUT', 'PATCH'])(
    'answers %s with a DRF 405 and Allow',
    async (method) => {
      const res = await t.http.request(method, '/health');
      expect(res.status).toBe(405);
      expect(res.body).toEqual({ detail: `Method "${method}" not allowed.` });
      expect(res.headers.get('allow')).toBe('GET, HEAD');
    },
  );

  it('answers 503 when the database is gone', async () => {
    await t.app.get(DataSource).destroy();
    const res = await t.http.get('/health');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
    // `down`, and nothing of the driver's message (hosts, users, versions).
    expect(res.body.error.database).toEqual({ status: 'down' });
    expect(res.body.details.database).toEqual({ status: 'down' });
  });
});
