import { createGatehouseApp, loadConfig, UsersService } from '@gatehouse-auth/nestjs';
import { BasicAuthAppModule } from '../src/app.module';
import { HttpClient, testEnvironment } from '../../../test/support/test-app';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

/** A consumer's passport strategy (HTTP Basic) on every protected route of every surface. */
describe('examples/passport-basic', () => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof createGatehouseApp>>;
  let http: HttpClient;
  const basic = (email: string, password: string) => ({
    Authorization: `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig(testEnvironment(database.url));
    app = await createGatehouseApp(BasicAuthAppModule.forRoot(config), config);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    http = new HttpClient(
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    );
    const users = app.get(UsersService);
    await users.create({ email: 'road@runner.example', password: 'Meep-Meep-2024' });
    await users.create({ email: 'staff@acme.example', password: 'Staff-Pass-2024', isStaff: true });
    await users.create({
      email: 'gone@acme.example',
      password: 'Gone-Pass-2024',
      isActive: false,
    });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it.each([
    ['/accounts/auth/users/me/', 'email'],
    ['/authentication/user/', 'email'],
    ['/auth/user/', 'email'],
    ['/users/me', 'email'],
    ['/api/v1/resource', null],
  ])('GET %s accepts Basic credentials', async (path, field) => {
    const res = await http.get(path, { headers: basic('road@runner.example', 'Meep-Meep-2024') });
    expect(res.status).toBe(200);
    if (field) expect(res.body[field]).toBe('road@runner.example');
  });

  it('checks staff access as for any other scheme', async () => {
    const user = await http.get('/api/users/', {
      headers: basic('road@runner.example', 'Meep-Meep-2024'),
    });
    expect(user.status).toBe(403);
    const staff = await http.get('/api/users/', {
      headers: basic('staff@acme.example', 'Staff-Pass-2024'),
    });
    expect(staff.status).toBe(200);
  });

  it("refuses a wrong password or an inactive user with DRF's 401 and the Basic challenge", async () => {
    for (const headers of [
      basic('road@runner.example', 'wrong-password'),
      basic('gone@acme.example', 'Gone-Pass-2024'),
    ]) {
      const res = await http.get('/accounts/auth/users/me/', { headers });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ detail: 'Incorrect authentication credentials.' });
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="Users"');
    }
  });

  it("refuses them in FastAPI's words on fastapi-users' routes", async () => {
    const res = await http.get('/users/me', {
      headers: basic('road@runner.example', 'wrong-password'),
    });
    expect(res.status).toBe(401);
    expect(res.text).toBe('{"detail":"Unauthorized"}');
  });

  it('leaves the built-in schemes as they are', async () => {
    const login = await http.post('/api/token/', {
      email: 'road@runner.example',
      password: 'Meep-Meep-2024',
    });
    const res = await http.get('/accounts/auth/users/me/', {
      headers: { Authorization: `JWT ${login.body.access}` },
    });
    expect(res.status).toBe(200);
  });

  it('lists the Basic scheme in the document, on every protected operation only', async () => {
    const { body: document } = await http.get('/docs-json');
    expect(document.components.securitySchemes.Basic).toMatchObject({
      type: 'http',
      scheme: 'basic',
    });
    const me = document.paths['/accounts/auth/users/me/'].get;
    expect(me.security).toEqual(expect.arrayContaining([{ JWT: [] }, { Basic: [] }]));
    const login = document.paths['/api/token/'].post;
    expect(login.security ?? []).not.toEqual(expect.arrayContaining([{ Basic: [] }]));
  });
});
