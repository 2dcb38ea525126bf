import { RouteTable, type RouteEntry } from '../src/http/route-table';
import { ProbeModule } from './support/probe.module';
import { type HttpResponse, startTestApp, type TestApp } from './support/test-app';

/**
 * DATA_UPLOAD_MAX_NUMBER_FIELDS: a body of more fields than the limit (1,000 by
 * default) is refused with a 400 in the path's dialect before anything validates
 * it, on every route that takes a body — the routes come from the app's own route
 * table, so a new route is covered without touching this file. A body at the limit
 * is answered exactly as the same body without its extra fields. The test probes
 * stand for a consumer's controllers: the limit holds on their routes too.
 * How long any of this takes is `npm run bench`'s business, not this spec's.
 */
const LIMIT = 1000;
const DRF_REFUSAL = {
  detail: `The number of fields in the request body exceeded DATA_UPLOAD_MAX_NUMBER_FIELDS (${LIMIT}).`,
};
const FASTAPI_REFUSAL = { detail: `Too many fields. Maximum number of fields is ${LIMIT}.` };
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `n` fields named `pad0`… as an object, to spread into a body. */
function padding(n: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`pad${i}`, 'x']));
}

function urlencoded(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

function refusalOf(route: RouteEntry) {
  return route.dialect === 'fastapi' ? FASTAPI_REFUSAL : DRF_REFUSAL;
}

describe('DATA_UPLOAD_MAX_NUMBER_FIELDS: bodies of too many fields', () => {
  let t: TestApp;
  let routes: RouteEntry[];

  beforeAll(async () => {
    // The probes stand for a consumer's own controllers mounted beside Gatehouse's.
    t = await startTestApp({ imports: [ProbeModule] });
    routes = t.app
      .get(RouteTable)
      .routes()
      .filter((route) => BODY_METHODS.has(route.method) && !route.url.includes('*'));
  });
  afterAll(() => t.close());

  /** A route's path with every parameter filled in. */
  const pathOf = (route: RouteEntry) => route.url.replace(/:[^/]+/g, '1');
  const send = (route: RouteEntry, contentType: string, body: string | FormData) =>
    t.http.request(route.method, pathOf(route), {
      headers: typeof body === 'string' ? { 'content-type': contentType } : {},
      body,
    });

  it('finds the body-taking routes of both dialects in the route table', () => {
    // Every path also answers with a trailing slash; the table holds it without.
    const paths = routes.map((route) => `${route.method} ${route.url.replace(/\/$/, '')}`);
    // The documented doors of each surface are among them (a sample, not the list).
    for (const door of [
      'POST /api/token/verify',
      'POST /auth/login',
      'POST /accounts/auth/jwt/create',
      'PATCH /auth/user',
      'POST /auth/jwt/login',
      'POST /auth/register',
      'PATCH /users/me',
      'POST /probe/echo',
      'POST /probe-fastapi/echo',
    ]) {
      expect(paths).toContain(door);
    }
    expect(routes.some((route) => route.dialect === 'fastapi')).toBe(true);
    expect(routes.some((route) => route.dialect === 'drf')).toBe(true);
  });

  describe.each([
    ['urlencoded', 'application/x-www-form-urlencoded', () => urlencoded(padding(100_000))],
    ['JSON', 'application/json', () => JSON.stringify(padding(100_000))],
    [
      'JSON nested in one field',
      'application/json',
      () => JSON.stringify({ token: 'x', email: 'a@example.com', list: Array(100_000).fill(0) }),
    ],
  ])('a %s body of 100,000 fields', (_name, contentType, make) => {
    let body: string;
    beforeAll(() => {
      body = make();
    });

    it('is a 400 in the dialect of every route that takes a body', async () => {
      const wrong: string[] = [];
      for (const route of routes) {
        const res = await send(route, contentType, body);
        const expected = refusalOf(route);
        if (res.status !== 400 || JSON.stringify(res.body) !== JSON.stringify(expected)) {
          wrong.push(`${route.method} ${route.url}: ${res.status} ${res.text.slice(0, 120)}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  });

  it('refuses 1,001 fields and takes 1,000, urlencoded, JSON and multipart, in both dialects', async () => {
    const login = { email: 'nobody@example.com', password: 'Wrong-pass-1' };
    const form = { username: 'nobody@example.com', password: 'Wrong-pass-1' };
    const multipart = (fields: Record<string, string>) => {
      const data = new FormData();
      for (const [name, value] of Object.entries(fields)) data.append(name, value);
      return data;
    };
    const drf = { method: 'POST', url: '/api/token/', dialect: 'drf' } as const;
    const fastapi = { method: 'POST', url: '/auth/jwt/login', dialect: 'fastapi' } as const;
    const cases: [
      RouteEntry,
      Record<string, string>,
      string,
      (f: Record<string, string>) => string | FormData,
    ][] = [
      [drf, login, 'application/json', (f) => JSON.stringify(f)],
      [drf, login, 'application/x-www-form-urlencoded', urlencoded],
      [drf, login, 'multipart/form-data', multipart],
      [fastapi, form, 'application/x-www-form-urlencoded', urlencoded],
      [fastapi, form, 'multipart/form-data', multipart],
    ];
    for (const [route, fields, contentType, encode] of cases) {
      const label = `${route.url} ${contentType}`;
      const over = await send(route, contentType, encode({ ...fields, ...padding(LIMIT - 1) }));
      expect([label, over.status, over.body]).toEqual([label, 400, refusalOf(route)]);
      const at = await send(route, contentType, encode({ ...fields, ...padding(LIMIT - 2) }));
      const bare = await send(route, contentType, encode(fields));
      // At the limit the answer is the library's own (a wrong password), as without the padding.
      expect([label, at.status, at.body]).toEqual([label, bare.status, bare.body]);
      expect(at.body).not.toEqual(refusalOf(route));
    }
  });

  it('counts nested members and array items, in a JSON part of a multipart form too', async () => {
    const json = (items: number) =>
      t.http.request('POST', '/api/token/', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'a@example.com', more: { list: Array(items).fill(1) } }),
      });
    // email, more, list and the items: 1,001 fields, then 1,000.
    expect(await json(LIMIT - 2)).toMatchObject({ status: 400, body: DRF_REFUSAL });
    expect(await json(LIMIT - 3)).toMatchObject({
      status: 400,
      body: { password: expect.any(Array) },
    });

    const multipart = (items: number) =>
      t.http.request('POST', '/api/token/', {
        headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
        body:
          '--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\na@example.com\r\n' +
          '--xyz\r\nContent-Disposition: form-data; name="list"\r\n' +
          `Content-Type: application/json\r\n\r\n${JSON.stringify(Array(items).fill(1))}\r\n--xyz--\r\n`,
      });
    // email, list and the items.
    expect(await multipart(LIMIT - 1)).toMatchObject({ status: 400, body: DRF_REFUSAL });
    expect(await multipart(LIMIT - 2)).toMatchObject({
      status: 400,
      body: { password: expect.any(Array) },
    });
  });

  it('answers a body at the limit on every route as it answers the body without its padding', async () => {
    const wrong: string[] = [];
    // The probes answer with what they received: the padding would show.
    for (const route of routes.filter((r) => !r.url.startsWith('/probe'))) {
      for (const [contentType, encode] of [
        ['application/json', (f: Record<string, string>) => JSON.stringify(f)],
        ['application/x-www-form-urlencoded', urlencoded],
      ] as const) {
        const bare = await send(route, contentType, encode({}));
        const padded = await send(route, contentType, encode(padding(LIMIT)));
        if (!sameAnswer(bare, padded)) {
          wrong.push(
            `${route.method} ${route.url} ${contentType}: ${bare.status} ${bare.text.slice(0, 80)} ≠ ${padded.status} ${padded.text.slice(0, 80)}`,
          );
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers /health/live while a stream of refused bodies is in flight', async () => {
    const body = JSON.stringify(padding(100_000));
    let pending = 0;
    let settled = 0;
    const refused: number[] = [];
    const stream = async () => {
      for (let i = 0; i < 8; i++) {
        pending++;
        const res = await t.http.request('POST', '/api/token/verify/', {
          headers: { 'content-type': 'application/json' },
          body,
        });
        pending--;
        settled++;
        refused.push(res.status);
      }
    };
    const streams = Promise.all([stream(), stream(), stream()]);
    const live: { status: number; body: unknown; whilePending: number }[] = [];
    while (settled < 24) {
      const res = await t.http.get('/health/live');
      live.push({ status: res.status, body: res.body, whilePending: pending });
    }
    await streams;
    expect(refused).toEqual(Array(24).fill(400));
    expect(live.length).toBeGreaterThan(0);
    for (const answer of live)
      expect([answer.status, answer.body]).toEqual([200, { status: 'ok' }]);
    // Liveness was answered while refused bodies were still on their way.
    expect(live.some((answer) => answer.whilePending > 0)).toBe(true);
  });
});

/**
 * The same answer: status and body, except that pydantic names the whole body as
 * the `input` of a missing field (there the padding shows), so FastAPI's 422 items
 * are compared by type, loc and msg.
 */
function sameAnswer(a: HttpResponse, b: HttpResponse): boolean {
  if (a.status !== b.status) return false;
  const items = (res: HttpResponse) =>
    Array.isArray(res.body?.detail)
      ? (res.body.detail as { type: string; loc: unknown; msg: string }[]).map(
          ({ type, loc, msg }) => ({ type, loc, msg }),
        )
      : res.body;
  return JSON.stringify(items(a)) === JSON.stringify(items(b));
}
