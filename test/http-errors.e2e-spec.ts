import { UsersService } from '../src/accounts/users.service';
import { ProbeModule } from './support/probe.module';
import { startTestApp, type TestApp } from './support/test-app';

describe('HTTP plumbing and the error dialects', () => {
  let t: TestApp;
  let staffId: number;
  let userId: number;

  beforeAll(async () => {
    t = await startTestApp({
      imports: [ProbeModule],
      env: {
        AUTH_HEADER_TYPES: 'JWT,Bearer,Token,UserId',
        BODY_LIMIT: '65536',
        DATA_UPLOAD_MAX_NUMBER_FIELDS: '100',
      },
    });
    const users = t.app.get(UsersService);
    userId = (await users.create({ email: 'user@example.com', password: 'pw-user-1' })).id;
    staffId = (
      await users.create({ email: 'staff@example.com', password: 'pw-staff-1', isStaff: true })
    ).id;
  });
  afterAll(() => t.close());

  describe('routing', () => {
    it('answers unknown paths with the DRF 404', async () => {
      const res = await t.http.get('/no/such/path/');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: 'Not found.' });
    });

    it('answers a known path with the wrong method with 405 and Allow', async () => {
      const res = await t.http.request('GET', '/probe/echo/');
      expect(res.status).toBe(405);
      expect(res.body).toEqual({ detail: 'Method "GET" not allowed.' });
      expect(res.headers.get('allow')).toBe('POST');
    });

    it('serves every route with and without its trailing slash, never redirecting', async () => {
      for (const path of ['/probe/echo', '/probe/echo/']) {
        const res = await t.http.post(path, { a: 1 });
        expect(res.status).toBe(201);
        expect(res.body).toEqual({ received: { a: 1 } });
      }
    });
  });

  describe('bodies', () => {
    it('parses JSON, form-urlencoded and multipart alike', async () => {
      const json = await t.http.post('/probe/echo/', { email: 'a@b.c', n: [1, 2] });
      expect(json.body).toEqual({ received: { email: 'a@b.c', n: [1, 2] } });

      const form = await t.http.request('POST', '/probe/echo/', {
        body: new URLSearchParams({ email: 'a@b.c', password: 'p w' }),
      });
      expect(form.body).toEqual({ received: { email: 'a@b.c', password: 'p w' } });

      const multipart = new FormData();
      multipart.set('email', 'a@b.c');
      multipart.set('password', 'pässword');
      const parts = await t.http.request('POST', '/probe/echo/', { body: multipart });
      expect(parts.status).toBe(201);
      expect(parts.body).toEqual({ received: { email: 'a@b.c', password: 'pässword' } });
    });

    it('reads multipart as DRF does: a repeated name as a list, a file as its bytes', async () => {
      const form = new FormData();
      form.append('email', 'a@b.c');
      form.append('tag', 'one');
      form.append('tag', 'two');
      form.append('avatar', new Blob(['bytes']), 'avatar.txt');
      const res = await t.http.request('POST', '/probe/echo/', { body: form });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        received: {
          email: 'a@b.c',
          tag: ['one', 'two'],
          // The probe answers with JSON: a Buffer serializes as its bytes.
          avatar: { type: 'Buffer', data: [...Buffer.from('bytes')] },
        },
      });
    });

    it('reads a multipart field declared application/json as its JSON', async () => {
      const res = await t.http.request('POST', '/probe/echo/', {
        headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
        body:
          '--xyz\r\nContent-Disposition: form-data; name="profile"\r\n' +
          'Content-Type: application/json\r\n\r\n{"n": [1, 2]}\r\n--xyz--\r\n',
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ received: { profile: { n: [1, 2] } } });
    });

    it('reads an empty multipart body as an empty form', async () => {
      const res = await t.http.request('POST', '/probe/echo/', {
        headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
        body: '',
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ received: {} });
    });

    it.each([
      ['no boundary', 'multipart/form-data', 'x'],
      ['a body that is not multipart', 'multipart/form-data; boundary=xyz', '{"email": "a@b.c"}'],
      [
        'a part cut short',
        'multipart/form-data; boundary=xyz',
        '--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b',
      ],
      [
        'a field named __proto__',
        'multipart/form-data; boundary=xyz',
        '--xyz\r\nContent-Disposition: form-data; name="__proto__"\r\n\r\nx\r\n--xyz--\r\n',
      ],
      [
        'a JSON part that is not JSON',
        'multipart/form-data; boundary=xyz',
        '--xyz\r\nContent-Disposition: form-data; name="p"\r\nContent-Type: application/json\r\n\r\n{bad\r\n--xyz--\r\n',
      ],
    ])('answers multipart with %s with the DRF 400', async (_name, contentType, body) => {
      const res = await t.http.request('POST', '/probe/echo/', {
        headers: { 'content-type': contentType },
        body,
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ detail: 'Malformed request.' });
    });

    it.each([
      ['more than 5 files', () => files(6, 10)],
      ['a file over BODY_LIMIT', () => files(1, 70_000)],
      ['fields that together exceed BODY_LIMIT', () => fields(100, 1_000)],
    ])('answers multipart with %s with 413', async (_name, make) => {
      const res = await t.http.request('POST', '/probe/echo/', { body: make() });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ detail: 'Request body is too large.' });
    });

    it('answers multipart with more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS with 400, as Django does', async () => {
      const over = await t.http.request('POST', '/probe/echo/', { body: fields(101) });
      expect(over.status).toBe(400);
      expect(over.body).toEqual({
        detail:
          'The number of fields in the request body exceeded DATA_UPLOAD_MAX_NUMBER_FIELDS (100).',
      });
      const at = await t.http.request('POST', '/probe/echo/', { body: fields(100) });
      expect(at.status).toBe(201);
      expect(Object.keys(at.body.received)).toHaveLength(100);
    });

    it('reads an empty JSON body as an empty object, as DRF does', async () => {
      const res = await t.http.request('POST', '/probe/echo/', {
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ received: {} });
    });

    it.each([
      ['{bad', /^JSON parse error - /],
      ['{"a": 1,}', /^JSON parse error - /],
      ['[1, 2', /^JSON parse error - /],
      ['\u0000', /^JSON parse error - /],
    ])('answers malformed JSON %j with a DRF 400, not a 500', async (raw, detail) => {
      const res = await t.http.request('POST', '/probe/echo/', {
        headers: { 'content-type': 'application/json' },
        body: raw,
      });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body)).toEqual(['detail']);
      expect(res.body.detail).toMatch(detail);
    });

    it('answers an unsupported content type with the DRF 415', async () => {
      const res = await t.http.request('POST', '/probe/echo/', {
        headers: { 'content-type': 'text/plain' },
        body: 'email=a@b.c',
      });
      expect(res.status).toBe(415);
      expect(res.body).toEqual({ detail: 'Unsupported media type "text/plain" in request.' });
    });

    it('answers a body over BODY_LIMIT with 413', async () => {
      const res = await t.http.post('/probe/echo/', { big: 'x'.repeat(70_000) });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ detail: 'Request body is too large.' });
    });

    it('answers an unexpected failure with a bare DRF 500: no stack, no message', async () => {
      const res = await t.http.post('/probe/boom/', {});
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ detail: 'A server error occurred.' });
      expect(res.text).not.toContain('hunter2');
    });
  });

  describe('the AuthGuard', () => {
    it.each([
      ['no header', undefined],
      ['an unknown scheme', 'Basic dXNlcjpwYXNz'],
      ['an empty header', ''],
    ])(
      'answers %s with DRF "not provided" and the first scheme\'s challenge',
      async (_name, header) => {
        const res = await t.http.get('/probe/me/', {
          headers: header === undefined ? {} : { Authorization: header },
        });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ detail: 'Authentication credentials were not provided.' });
        expect(res.headers.get('www-authenticate')).toBe('JWT realm="api"');
      },
    );

    it('hands the credential to the strategy of the scheme, case-insensitively', async () => {
      for (const scheme of ['UserId', 'userid', 'USERID']) {
        const res = await t.http.get('/probe/me/', {
          headers: { Authorization: `${scheme} ${userId}` },
        });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ email: 'user@example.com' });
      }
    });

    it("passes on the strategy's own error", async () => {
      const res = await t.http.get('/probe/me/', { headers: { Authorization: 'UserId 999999' } });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ detail: 'Invalid user id.' });
      expect(res.headers.get('www-authenticate')).toBe('JWT realm="api"');
    });

    it('lets staff through @Staff() routes and refuses others with the DRF 403', async () => {
      const staff = await t.http.get('/probe/staff/', {
        headers: { Authorization: `UserId ${staffId}` },
      });
      expect(staff.status).toBe(200);
      const user = await t.http.get('/probe/staff/', {
        headers: { Authorization: `UserId ${userId}` },
      });
      expect(user.status).toBe(403);
      expect(user.body).toEqual({ detail: 'You do not have permission to perform this action.' });
    });
  });

  describe('a controller in the FastAPI dialect', () => {
    it('answers its own errors as FastAPI does', async () => {
      const missing = await t.http.get('/probe-fastapi/missing');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ detail: 'Not Found' });
    });

    it('answers a missing credential with 401 Unauthorized and a Bearer challenge', async () => {
      const res = await t.http.get('/probe-fastapi/me');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ detail: 'Unauthorized' });
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('passes a valid credential through the same guard', async () => {
      const res = await t.http.get('/probe-fastapi/me', {
        headers: { Authorization: `UserId ${userId}` },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ email: 'user@example.com' });
    });
  });
});

/** A multipart form of `count` files of `size` bytes each. */
function files(count: number, size: number): FormData {
  const form = new FormData();
  for (let i = 0; i < count; i++)
    form.append(`file${i}`, new Blob(['x'.repeat(size)]), `f${i}.txt`);
  return form;
}

/** A multipart form of `count` fields, each `size` characters long. */
function fields(count: number, size = 1): FormData {
  const form = new FormData();
  for (let i = 0; i < count; i++) form.append(`field${i}`, String(i % 10).repeat(size));
  return form;
}
