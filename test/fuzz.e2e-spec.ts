import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { UsersService } from '../src/accounts/users.service';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Walks every operation of docs/openapi.json and sends it malformed input — wrong
 * types, nulls, arrays, objects, huge and non-finite numbers, deep nesting,
 * oversized and invalid-UTF-8 bodies, odd paths and query strings — with and
 * without valid credentials. No answer may be a 5xx, a dropped connection or a
 * body outside the surface's dialect (Fastify's own `{statusCode, code, error}`).
 */

interface Operation {
  method: string;
  path: string;
  contentType?: string;
  properties: string[];
  queryNames: string[];
  secured: boolean;
}

interface Probe {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  label: string;
}

interface Answer {
  status: number;
  text: string;
}

const document = JSON.parse(
  readFileSync(join(process.cwd(), 'docs', 'openapi.json'), 'utf8'),
) as OpenApiDocument;

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, OpenApiSchema> };
}
interface OpenApiOperation {
  requestBody?: { content: Record<string, { schema?: OpenApiSchema }> };
  parameters?: { in: string; name: string }[];
  security?: object[];
}
interface OpenApiSchema {
  $ref?: string;
  properties?: Record<string, unknown>;
  allOf?: OpenApiSchema[];
}

function propertiesOf(schema: OpenApiSchema | undefined): string[] {
  if (!schema) return [];
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    return propertiesOf(document.components?.schemas?.[name]);
  }
  const own = Object.keys(schema.properties ?? {});
  return [...own, ...(schema.allOf ?? []).flatMap(propertiesOf)];
}

function operations(): Operation[] {
  const found: Operation[] = [];
  for (const [path, byMethod] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(byMethod)) {
      const content = operation.requestBody?.content ?? {};
      const contentType = Object.keys(content)[0];
      found.push({
        method: method.toUpperCase(),
        path,
        contentType,
        properties: contentType ? propertiesOf(content[contentType]?.schema) : [],
        queryNames: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        secured: (operation.security ?? []).some((s) => Object.keys(s).length > 0),
      });
    }
  }
  return found;
}

/** Values sent where a field (usually a string) is expected, as JSON source text. */
const WRONG_VALUES: string[] = [
  'null',
  '0',
  '-1',
  '1.5',
  '123456789012345678901234567890123456789',
  '1e400',
  '-1e400',
  'true',
  '[]',
  '["a", "b"]',
  '{}',
  '{"a": {"b": 1}}',
  '""',
  '"\\u0000"',
  '"\\ud800"',
  JSON.stringify('x'.repeat(20_000)),
  JSON.stringify('ü'.repeat(3000) + '@example.com'),
  '"not-an-email@@"',
];

const DEEP = '['.repeat(10_000) + ']'.repeat(10_000);
const DEEP_OBJECT = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000);

/** Path parameter values and whole odd paths. */
const ODD_IDS = [
  '0',
  '-1',
  '1.5',
  '99999999999999999999999',
  'abc',
  '%00',
  '%E0%A4%A',
  '%ZZ',
  '..%2F..%2Fetc%2Fpasswd',
  'x'.repeat(500),
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
];

const ODD_QUERIES = [
  '?page=0',
  '?page=-1',
  '?page=1e400',
  '?page=abc',
  '?page=99999999999999999999',
  '?page_size=0',
  '?page_size=-5',
  '?page_size=999999999',
  '?page=1&page=2',
  '?token=%ZZ',
  '?token=' + 'a'.repeat(5000),
  '?%ZZ=1',
  '?token[]=1',
  '?token[a]=1',
];

describe('fuzzing every documented operation: never a 5xx', () => {
  let t: TestApp;
  let port: number;
  let authHeaders: Record<string, string>[];

  beforeAll(async () => {
    t = await startTestApp({ env: { BODY_LIMIT: '65536' } });
    port = Number(new URL(t.baseUrl).port);
    const users = t.app.get(UsersService);
    await users.create({
      email: 'staff@example.com',
      username: 'staff',
      password: 'Staff-pass-1',
      isStaff: true,
      isSuperuser: true,
      isVerified: true,
    });
    const login = await t.http.post('/api/token/', {
      email: 'staff@example.com',
      password: 'Staff-pass-1',
    });
    expect(login.status).toBe(200);
    const access = login.body.access as string;
    authHeaders = [{}, { authorization: `JWT ${access}` }, { authorization: `Bearer ${access}` }];
  });
  afterAll(() => t.close());

  /** Sends one raw request (undici would refuse some of these) and reads the whole answer. */
  function send(probe: Probe): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          // A fresh connection each: one the server closed must not fail the next probe.
          agent: false,
          method: probe.method,
          path: probe.path,
          headers: {
            ...probe.headers,
            ...(probe.body !== undefined
              ? { 'content-length': Buffer.byteLength(probe.body) }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (probe.body !== undefined) req.write(probe.body);
      req.end();
    });
  }

  /** Runs probes a few at a time; collects every answer that breaks the rules. */
  async function run(probes: Probe[]): Promise<string[]> {
    const failures: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < probes.length) {
        const probe = probes[next++];
        let answer: Answer;
        try {
          answer = await send(probe);
        } catch (error) {
          failures.push(`${probe.label}: connection error ${(error as Error).message}`);
          continue;
        }
        if (answer.status >= 500) {
          failures.push(`${probe.label}: ${answer.status} ${answer.text.slice(0, 200)}`);
        } else if (/"statusCode"\s*:/.test(answer.text)) {
          failures.push(`${probe.label}: not in dialect ${answer.text.slice(0, 200)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    return failures;
  }

  function concretePath(op: Operation, id = '1'): string {
    return op.path.replace(/\{[^}]+\}/g, id);
  }

  function bodyProbes(op: Operation, headers: Record<string, string>, tag: string): Probe[] {
    const probes: Probe[] = [];
    const path = concretePath(op);
    const base = (field: string, value: string): string =>
      '{' +
      op.properties
        .map((name) => `${JSON.stringify(name)}: ${name === field ? value : '"x"'}`)
        .join(', ') +
      '}';
    const json = (body: string | Buffer, label: string): Probe => ({
      method: op.method,
      path,
      headers: { ...headers, 'content-type': 'application/json' },
      body,
      label: `${op.method} ${path} ${tag} ${label}`,
    });
    for (const field of op.properties) {
      for (const value of WRONG_VALUES)
        probes.push(json(base(field, value), `${field}=${value.slice(0, 30)}`));
    }
    for (const whole of [
      'null',
      '1e400',
      '"x"',
      '[]',
      '[{}]',
      '1',
      'true',
      DEEP,
      DEEP_OBJECT,
      '{"__proto__": {"isStaff": true}}',
      '{"constructor": {"prototype": {"x": 1}}}',
    ]) {
      probes.push(json(whole, `body=${whole.slice(0, 30)}`));
    }
    probes.push(
      json(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), 'invalid utf-8'),
    );
    probes.push(json(Buffer.alloc(200_000, 0x20), 'oversized'));
    probes.push({
      method: op.method,
      path,
      headers: { ...headers, 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '{"email": "a@b.c"}',
      label: `${op.method} ${path} ${tag} multipart that is not multipart`,
    });
    probes.push({
      method: op.method,
      path,
      headers: { ...headers, 'content-type': 'multipart/form-data' },
      body: 'x',
      label: `${op.method} ${path} ${tag} multipart without boundary`,
    });
    probes.push({
      method: op.method,
      path,
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: op.properties.map((name) => `${name}=%ZZ&${name}[]=1&${name}=`).join('&') || '%ZZ',
      label: `${op.method} ${path} ${tag} form with bad encoding`,
    });
    probes.push({
      method: op.method,
      path,
      headers: { ...headers, 'content-type': 'text/plain' },
      body: '\xff\xfe',
      label: `${op.method} ${path} ${tag} text/plain`,
    });
    return probes;
  }

  function pathProbes(op: Operation, headers: Record<string, string>, tag: string): Probe[] {
    const probes: Probe[] = [];
    if (op.path.includes('{')) {
      for (const id of ODD_IDS) {
        probes.push({
          method: op.method,
          path: concretePath(op, id),
          headers: op.contentType ? { ...headers, 'content-type': 'application/json' } : headers,
          body: op.contentType ? '{}' : undefined,
          label: `${op.method} ${op.path} ${tag} id=${id.slice(0, 30)}`,
        });
      }
    }
    for (const query of ODD_QUERIES) {
      probes.push({
        method: op.method,
        path: concretePath(op) + query,
        headers: op.contentType ? { ...headers, 'content-type': 'application/json' } : headers,
        body: op.contentType ? '{}' : undefined,
        label: `${op.method} ${op.path} ${tag} ${query.slice(0, 40)}`,
      });
    }
    return probes;
  }

  it('answers malformed bodies on every operation without a 5xx', async () => {
    const probes: Probe[] = [];
    for (const op of operations()) {
      if (!op.contentType) continue;
      const variants = op.secured ? authHeaders.slice(0, 2) : authHeaders.slice(0, 1);
      variants.forEach((headers, index) =>
        probes.push(...bodyProbes(op, headers, index === 0 ? 'anonymous' : 'authenticated')),
      );
    }
    expect(await run(probes)).toEqual([]);
  });

  it('answers odd path parameters and query strings on every operation without a 5xx', async () => {
    const probes: Probe[] = [];
    for (const op of operations()) {
      for (const [index, headers] of authHeaders.entries()) {
        if (index > 0 && !op.secured) continue;
        probes.push(...pathProbes(op, headers, ['anonymous', 'JWT', 'Bearer'][index]));
      }
    }
    expect(await run(probes)).toEqual([]);
  });

  it('answers transport-level errors (long URLs, huge headers, bad encoding) in dialect', async () => {
    const probes: Probe[] = [];
    for (const path of ['/api/token/', '/auth/jwt/login', '/auth/register', '/no/such/']) {
      probes.push(
        {
          method: 'GET',
          path: path + '?' + 'a'.repeat(100_000),
          headers: {},
          label: `${path} long url`,
        },
        { method: 'GET', path: path + '%', headers: {}, label: `${path} bad percent` },
        { method: 'GET', path: path + '%E0%A4%A', headers: {}, label: `${path} bad utf-8 escape` },
        { method: 'GET', path: path + '?a=%ZZ', headers: {}, label: `${path} bad query escape` },
        {
          method: 'GET',
          path,
          headers: { 'x-big': 'a'.repeat(20_000) },
          label: `${path} big header`,
        },
        {
          method: 'POST',
          path,
          headers: { authorization: 'JWT ' + 'a'.repeat(10_000) },
          label: `${path} long credential`,
        },
        {
          method: 'POST',
          path,
          headers: { authorization: 'Token \u00ff\u00fe' },
          label: `${path} latin-1 credential`,
        },
      );
    }
    expect(await run(probes)).toEqual([]);
  });

  it.each([
    ['application/json', '/api/token/', 413, { detail: 'Request body is too large.' }],
    [
      'application/x-www-form-urlencoded',
      '/auth/login/',
      413,
      { detail: 'Request body is too large.' },
    ],
    [undefined, '/auth/login/', 415, { detail: 'Unsupported media type "" in request.' }],
    ['application/json', '/auth/register', 413, { detail: 'Request Entity Too Large' }],
    [undefined, '/auth/register', 413, { detail: 'Request Entity Too Large' }],
    [
      'application/x-www-form-urlencoded',
      '/auth/jwt/login',
      413,
      { detail: 'Request Entity Too Large' },
    ],
  ])(
    'answers a 10 MB %s body to %s in dialect, without dropping the connection',
    async (type, path, status, body) => {
      const res = await fetch(t.baseUrl + path, {
        method: 'POST',
        headers: type ? { 'content-type': type } : {},
        body: Buffer.alloc(10_000_000, 0x20),
      });
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual(body);
    },
  );

  it("answers a URI too long, headers too large and bad percent-encoding in the path surface's dialect", async () => {
    const long = 'a'.repeat(100_000);
    expect(
      await send({ method: 'GET', path: `/api/token/?${long}`, headers: {}, label: '' }),
    ).toEqual({
      status: 414,
      text: JSON.stringify({ detail: 'Request URI is too long.' }),
    });
    expect(
      await send({ method: 'GET', path: `/users/me?${long}`, headers: {}, label: '' }),
    ).toEqual({
      status: 414,
      text: JSON.stringify({ detail: 'URI Too Long' }),
    });
    const big = { 'x-big': 'a'.repeat(20_000) };
    expect(await send({ method: 'GET', path: '/api/token/', headers: big, label: '' })).toEqual({
      status: 431,
      text: JSON.stringify({ detail: 'Request header fields are too large.' }),
    });
    expect(await send({ method: 'GET', path: '/users/me', headers: big, label: '' })).toEqual({
      status: 431,
      text: JSON.stringify({ detail: 'Request Header Fields Too Large' }),
    });
    expect(await send({ method: 'GET', path: '/api/users/%ZZ/', headers: {}, label: '' })).toEqual({
      status: 400,
      text: JSON.stringify({ detail: 'Malformed request.' }),
    });
    expect(await send({ method: 'GET', path: '/users/%E0%A4%A', headers: {}, label: '' })).toEqual({
      status: 400,
      text: JSON.stringify({ detail: 'Bad Request' }),
    });
  });

  it('reads a JSON value where a string is expected as a field error, and deep nesting as a parse error', async () => {
    const wrongType = await t.http.post('/api/token/', { email: ['a'], password: { a: 1 } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toEqual({
      email: ['Not a valid string.'],
      password: ['Not a valid string.'],
    });
    const number = await t.http.post('/accounts/auth/jwt/create/', { username: 0, password: 'x' });
    expect(number.status).toBe(401);
    const deep = await t.http.request('POST', '/api/token/', {
      headers: { 'content-type': 'application/json' },
      body: DEEP_OBJECT,
    });
    expect(deep.status).toBe(400);
    expect(deep.body.detail).toMatch(/^JSON parse error - Maximum nesting depth/);
  });

  it('signs up twenty accounts sharing an e-mail local part at once, each with its own username', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.http.post('/auth/registration/', {
          email: `same.local@domain${i}.example.com`,
          password1: 'Twenty-at-once-1',
          password2: 'Twenty-at-once-1',
        }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
    const users = t.app.get(UsersService);
    const names = await Promise.all(
      Array.from(
        { length: 20 },
        async (_, i) => (await users.findByEmail(`same.local@domain${i}.example.com`))!.username,
      ),
    );
    expect(new Set(names).size).toBe(20);
  });
});
