import { startTestApp, type TestApp } from './support/test-app';

const PRODUCTION = { NODE_ENV: 'production', MAIL_LOG_IN_PRODUCTION: 'true' };
const DOCUMENT_PATHS = ['/docs', '/docs/', '/docs-json', '/docs-yaml', '/openapi.json'];
const TOKEN = 'metrics-token-0123456789';

/** What production serves by default that development does: /metrics and the API document. */
describe('with NODE_ENV=production', () => {
  let t: TestApp;
  afterEach(() => t?.close());

  it('answers /metrics and the documentation like any unknown path unless asked for', async () => {
    t = await startTestApp({ env: PRODUCTION });
    const unknown = await t.http.get('/no-such-path');
    const metrics = await t.http.get('/metrics');
    expect(metrics.status).toBe(404);
    expect(metrics.body).toEqual(unknown.body);
    expect(metrics.text).not.toContain('gatehouse_');
    for (const path of DOCUMENT_PATHS) {
      expect([path, (await t.http.get(path)).status]).toEqual([path, 404]);
    }
    expect((await t.http.get('/health')).status).toBe(200);
  });

  it('serves /metrics behind METRICS_TOKEN and the documentation with DOCS_ENABLED=true', async () => {
    t = await startTestApp({ env: { ...PRODUCTION, METRICS_TOKEN: TOKEN, DOCS_ENABLED: 'true' } });
    expect((await t.http.get('/metrics')).status).toBe(401);
    const scrape = await t.http.get('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(scrape.status).toBe(200);
    expect(scrape.text).toContain('gatehouse_http_request_duration_seconds');
    for (const path of DOCUMENT_PATHS) {
      expect([path, (await t.http.get(path)).status < 400]).toEqual([path, true]);
    }
  });

  it('leaves both open outside production, as before', async () => {
    t = await startTestApp();
    expect((await t.http.get('/metrics')).status).toBe(200);
    expect((await t.http.get('/docs-json')).status).toBe(200);
  });
});
