import { connect } from 'node:net';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * What is answered around the routes rather than by them — before routing (a URI
 * or headers too large, a request the HTTP parser refuses, an undecodable path, a
 * path parameter past its length), bodies left unread by an early answer, HEAD,
 * and answers during a graceful close — the same on Express as on the standalone
 * Fastify app, in the dialect of the path's surface. Raw sockets: the bytes on the
 * wire are what is compared.
 */

interface WireAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The headers a client acts on here (the rest — dates, ids, lengths — may differ). */
const COMPARED = [
  'content-type',
  'connection',
  'cache-control',
  'allow',
  'www-authenticate',
  'x-content-type-options',
];

/** Parses every HTTP/1.1 answer in `data` (Content-Length framed; HEAD answers have no body). */
function parseAnswers(data: Buffer, heads: boolean[]): WireAnswer[] {
  const answers: WireAnswer[] = [];
  let rest = data;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const [statusLine, ...lines] = rest.subarray(0, end).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const head = heads[answers.length] ?? false;
    const length = head ? 0 : Number(headers['content-length'] ?? 0);
    const body = rest.subarray(end + 4, end + 4 + length).toString('utf8');
    const picked: Record<string, string> = {};
    for (const name of COMPARED) if (name in headers) picked[name] = headers[name];
    answers.push({ status: Number(statusLine.split(' ')[1]), headers: picked, body });
    rest = rest.subarray(end + 4 + length);
  }
  return answers;
}

/**
 * Writes `chunks` on one connection and collects what comes back until the
 * server closes it or `expected` answers are in; `heads` marks HEAD requests.
 */
function exchange(
  baseUrl: string,
  chunks: (string | Buffer)[],
  expected: number,
  heads: boolean[] = [],
  waitMs = 10_000,
): Promise<{ answers: WireAnswer[]; closed: boolean }> {
  const port = Number(new URL(baseUrl).port);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ answers: parseAnswers(Buffer.concat(received), heads), closed });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      // A little later: an answer's body may follow its head in the next chunk.
      if (parseAnswers(Buffer.concat(received), heads).length >= expected) {
        setTimeout(() => finish(false), 100);
      }
    });
    socket.on('close', () => finish(true));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset while the client still writes is what the drain must prevent.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') finish(true);
      else if (!settled) reject(error);
    });
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
  });
}

const get = (path: string, headers: Record<string, string> = {}) =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;

const withBody = (method: string, path: string, body: string, headers: string[] = []) =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
  `Content-Length: ${Buffer.byteLength(body)}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n${body}`;

/** Each case: the bytes sent on one connection, how many answers to wait for. */
const CASES: { name: string; chunks: (string | Buffer)[]; expected: number; heads?: boolean[] }[] =
  [
    {
      name: 'URI too long, DRF path',
      chunks: [get(`/api/token/?${'a'.repeat(100_000)}`)],
      expected: 1,
    },
    {
      name: 'URI too long, FastAPI path',
      chunks: [get(`/users/me?${'a'.repeat(100_000)}`)],
      expected: 1,
    },
    {
      name: 'headers too large, DRF path',
      chunks: [get('/api/token/', { 'X-Big': 'a'.repeat(20_000) })],
      expected: 1,
    },
    {
      name: 'headers too large, FastAPI path',
      chunks: [get('/users/me', { 'X-Big': 'a'.repeat(20_000) })],
      expected: 1,
    },
    { name: 'a request the parser refuses', chunks: ['NOT HTTP AT ALL\r\n\r\n'], expected: 1 },
    {
      name: 'a header the parser refuses, FastAPI path',
      chunks: ['GET /users/me HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n\r\n'],
      expected: 1,
    },
    { name: 'undecodable path, DRF', chunks: [get('/api/users/%ZZ/')], expected: 1 },
    { name: 'undecodable path, FastAPI', chunks: [get('/users/%E0%A4%A')], expected: 1 },
    {
      name: 'path parameter past its length, DRF',
      chunks: [get(`/api/users/${'1'.repeat(101)}/`)],
      expected: 1,
    },
    {
      name: 'path parameter past its length, FastAPI',
      chunks: [get(`/users/${'a'.repeat(101)}`)],
      expected: 1,
    },
    {
      name: 'a path parameter at its length',
      chunks: [get(`/users/${'a'.repeat(100)}`)],
      expected: 1,
    },
    // Answered before the body is read: the next request on the connection still gets its answer.
    {
      name: 'a 405 with a body, then a request on the same connection',
      chunks: [
        withBody('DELETE', '/api/token/', JSON.stringify({ a: 'x'.repeat(200_000) })),
        get('/health/live'),
      ],
      expected: 2,
    },
    {
      name: 'a 404 with a body, then a request on the same connection',
      chunks: [
        withBody('POST', '/no/such/path/', JSON.stringify({ a: 'x'.repeat(200_000) })),
        get('/health/live'),
      ],
      expected: 2,
    },
    {
      name: 'a 401 with a body, then a request on the same connection',
      chunks: [
        withBody('PATCH', '/users/me', JSON.stringify({ a: 'x'.repeat(200_000) })),
        get('/health/live'),
      ],
      expected: 2,
    },
    {
      name: 'a 413, then a request on the same connection',
      chunks: [
        withBody('POST', '/api/token/', JSON.stringify({ a: 'x'.repeat(3_000_000) })),
        get('/health/live'),
      ],
      expected: 2,
    },
    {
      name: 'HEAD on a DRF, a FastAPI, a health and a page route',
      chunks: ['/api/users/', '/users/me', '/health/', '/dashboard/login/'].map(
        (path) => `HEAD ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
      ),
      expected: 4,
      heads: [true, true, true, true],
    },
  ];

describe('around the routes, Express answers as Fastify does', () => {
  let fastify: TestApp;
  let express: TestApp;
  beforeAll(async () => {
    fastify = await startTestApp();
    express = await startTestApp({ adapter: 'express' });
  });
  afterAll(async () => {
    await fastify?.close();
    await express?.close();
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const onFastify = await exchange(fastify.baseUrl, c.chunks, c.expected, c.heads);
    const onExpress = await exchange(express.baseUrl, c.chunks, c.expected, c.heads);
    expect(onFastify.answers).toHaveLength(c.expected);
    expect(onExpress).toEqual(onFastify);
  });
});

describe('a request that never ends its headers', () => {
  let fastify: TestApp;
  let express: TestApp;
  beforeAll(async () => {
    fastify = await startTestApp();
    express = await startTestApp({ adapter: 'express' });
    // Node checks its timeouts every 30 s (connectionsCheckingInterval): a short timeout
    // is expired at the next check.
    for (const t of [fastify, express]) {
      const server = t.app.getHttpServer() as { headersTimeout: number; requestTimeout: number };
      server.headersTimeout = 1_000;
      server.requestTimeout = 1_000;
    }
  });
  afterAll(async () => {
    await fastify?.close();
    await express?.close();
  });

  // Node hands the timeout no bytes of the request: its path is unknown, and the
  // answer is DRF's (the dialect of `/`) on either adapter.
  it("is answered 408 in DRF's dialect, and its connection closed", async () => {
    const partial = ['GET /api/token/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '];
    const [onFastify, onExpress] = await Promise.all(
      [fastify, express].map((t) => exchange(t.baseUrl, partial, 1, [], 40_000)),
    );
    expect(onFastify.answers[0]).toMatchObject({
      status: 408,
      body: JSON.stringify({ detail: 'Request timeout.' }),
    });
    expect(onFastify.closed).toBe(true);
    expect(onExpress).toEqual(onFastify);
  }, 60_000);
});

describe('HEAD, answered from the GET as Fastify does', () => {
  let fastify: TestApp;
  let express: TestApp;
  beforeAll(async () => {
    fastify = await startTestApp();
    express = await startTestApp({ adapter: 'express' });
  });
  afterAll(async () => {
    await fastify?.close();
    await express?.close();
  });

  it('has the headers of its GET, `Cache-Control: no-store` on a credential included', async () => {
    const heads = async (t: TestApp) => {
      const staff = await t.createUser({ email: 'head@example.com', is_staff: true });
      const client = await t.loginAs(staff, 'JWT');
      const authorization = `JWT ${client.credentials.access ?? ''}`;
      const paths = [
        '/accounts/auth/users/me/',
        '/accounts/auth/users/me/sessions/',
        '/auth/user/sessions/',
        '/api/users/',
        '/api/auth-events/',
        '/dashboard/login/',
        '/.well-known/jwks.json',
        // The document's examples hold tokens: `no-store`, from the body Express does not send.
        '/openapi.json',
        '/docs-json',
      ];
      const answers = [];
      // One connection each: a pipelined request's answer is not what is compared here.
      for (const path of paths) {
        const {
          answers: [answer],
        } = await exchange(
          t.baseUrl,
          [`HEAD ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${authorization}\r\n\r\n`],
          1,
          [true],
        );
        // Fastify drops `Connection: keep-alive` from an answer sent before Node marks a
        // bodiless request complete (its drain): the same keep-alive for HTTP/1.1.
        delete answer.headers.connection;
        answers.push(answer);
      }
      return answers.map((answer, i) => ({ path: paths[i], ...answer }));
    };
    const onFastify = await heads(fastify);
    expect(onFastify.map((a) => a.status)).toContain(200);
    expect(await heads(express)).toEqual(onFastify);
  });
});

describe('while the app closes', () => {
  /** A login whose body is half sent when the close begins, and finished after. */
  async function answerInFlight(adapter: 'fastify' | 'express') {
    const t = await startTestApp(adapter === 'express' ? { adapter } : {});
    const body = JSON.stringify({ username: 'nobody@example.com', password: 'not-the-password' });
    const half = Math.floor(body.length / 2);
    const port = Number(new URL(t.baseUrl).port);
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const ended = new Promise((resolve) => socket.once('close', resolve));
    socket.write(withBody('POST', '/api/token/', body).slice(0, -body.length + half));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closed = t.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.write(body.slice(half));
    // The server ends the connection after the answer (not at its keep-alive timeout).
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([ended, new Promise((resolve) => (timer = setTimeout(resolve, 8_000)))]);
    clearTimeout(timer);
    const tookMs = Date.now() - started;
    socket.destroy();
    await closed;
    const [answer] = parseAnswers(Buffer.concat(received), [false]);
    return { answer, endedPromptly: tookMs < 3_000 };
  }

  it('answers the request in flight with `Connection: close`, then ends its connection', async () => {
    const onFastify = await answerInFlight('fastify');
    expect(onFastify.answer.headers.connection).toBe('close');
    expect(onFastify.endedPromptly).toBe(true);
    expect(await answerInFlight('express')).toEqual(onFastify);
  }, 60_000);
});
