import { startTestApp, type TestApp } from './support/test-app';

describe('the Swagger document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('serves the UI at /docs and the document at /docs-json and /docs-yaml', async () => {
    const ui = await t.http.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/text\/html/);
    expect((await t.http.get('/docs-yaml')).text).toMatch(/^openapi: 3/);
  });

  it("documents seed 004 under its tag, with the seed's examples and the three security schemes", async () => {
    const { body: doc } = await t.http.get('/docs-json');
    expect(doc.tags.map((tag: { name: string }) => tag.name)).toEqual(
      expect.arrayContaining([
        'Authentication (DSTOQ)',
        'Tokens and login endpoints',
        'Admin',
        'Health',
      ]),
    );
    expect(Object.keys(doc.components.securitySchemes)).toEqual([
      'JWT',
      'Bearer',
      'Token',
      'OAuth2PasswordBearer',
    ]);
    for (const path of ['/api/token', '/api/token/refresh', '/api/token/verify']) {
      expect(doc.paths[path].post.tags).toEqual(['Tokens and login endpoints']);
    }
    const obtain = doc.paths['/api/token'].post;
    expect(obtain.summary).toBe('Get Access and refresh tokens (log in)');
    expect(obtain.responses['401'].content['application/json'].schema.example).toEqual({
      detail: 'No active account found with the given credentials',
    });
    expect(
      doc.paths['/api/token/verify'].post.responses['200'].content['application/json'].schema
        .example,
    ).toEqual([]);
    expect(doc.components.schemas.TokenObtainDto.properties.email.example).toBe(
      'johndoe@example.com',
    );
    expect(doc.paths['/api/users'].get.security).toEqual([
      { JWT: [] },
      { Bearer: [] },
      { Token: [] },
    ]);
    expect(doc.paths['/api/token'].post.security).toBeUndefined();
  });

  it("documents seed 000 under its tag with the seed's bodies", async () => {
    const { body: doc } = await t.http.get('/docs-json');
    for (const path of [
      '/accounts/auth/jwt/create',
      '/accounts/auth/jwt/refresh',
      '/accounts/auth/jwt/verify',
    ]) {
      expect(doc.paths[path].post.tags).toEqual(['Authentication (DSTOQ)']);
    }
    const trading = doc.paths['/core/accounts/accounts/me'].get;
    expect(trading.tags).toEqual(['Authentication (DSTOQ)']);
    expect(trading.security).toEqual([{ JWT: [] }, { Bearer: [] }, { Token: [] }]);
    expect(trading.responses['200'].content['application/json'].schema.example).toMatchObject({
      account_provider: 1,
      referral_short_link: 'https://app.dstoq.com/9vUm',
      status: 'kyc_passed',
    });
    const samples = doc.paths['/accounts/auth/jwt/create'].post['x-codeSamples'];
    expect(samples.map((sample: { lang: string }) => sample.lang)).toEqual([
      'Shell',
      'JavaScript',
      'Python',
    ]);
    expect(trading['x-codeSamples'][0].source).toContain('Authorization: JWT');
    expect(doc.components.schemas.DjoserJwtCreateDto.properties.username.example).toBe(
      'emailaddressofuser@dstoq.com',
    );
  });

  it("documents seed 002 under its tag with the seed's sample bodies", async () => {
    const { body: doc } = await t.http.get('/docs-json');
    const registration = doc.paths['/auth/registration'].post;
    expect(registration.tags).toEqual(['Wrapper integration (Token)', 'dcorpo API endpoints']);
    expect(
      registration.requestBody.content['application/json'].examples['seed 002'].value,
    ).toMatchObject({
      full_name: 'testU1',
      password1: 'test@1291',
      subscribe: true,
    });
    expect(doc.paths['/authentication/user'].get.security).toEqual([
      { JWT: [] },
      { Bearer: [] },
      { Token: [] },
    ]);
    expect(doc.paths['/auth/hijack'].get.summary).toBe(
      'Option B: Session Hijacking for Wrapper Applications',
    );
    expect(doc.paths['/dashboard']).toBeUndefined();
  });
});
