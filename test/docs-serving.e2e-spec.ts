import { startTestApp, type TestApp } from './support/test-app';

describe('where the API documentation is served', () => {
  let t: TestApp;
  afterEach(() => t?.close());

  it('serves the document at /openapi.json too, where FastAPI serves its own', async () => {
    t = await startTestApp();
    const fromFastapiPath = await t.http.get('/openapi.json');
    expect(fromFastapiPath.status).toBe(200);
    expect(fromFastapiPath.headers.get('content-type')).toMatch(/^application\/json/);
    const fromSwaggerPath = await t.http.get('/docs-json');
    expect(fromFastapiPath.body).toEqual(fromSwaggerPath.body);
    expect(fromFastapiPath.body.openapi).toMatch(/^3\./);
    // fastapi-users' own routes are untouched beside it.
    expect((await t.http.get('/users/me')).status).toBe(401);
  });

  it('DOCS_ENABLED=false turns off Swagger UI and every copy of the document', async () => {
    t = await startTestApp({ env: { DOCS_ENABLED: 'false' } });
    for (const path of ['/docs', '/docs/', '/docs-json', '/docs-yaml', '/openapi.json']) {
      expect([path, (await t.http.get(path)).status]).toEqual([path, 404]);
    }
    expect((await t.http.get('/health')).status).toBe(200);
  });
});
