import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { routeOf } from '../../src/http/http-seam';
import { hostName, isAllowedHost } from '../../src/config/proxy-and-hosts';

/**
 * Every answer an e2e spec's app gives is checked against the committed
 * `docs/openapi.json` (which the drift test keeps equal to what the code
 * generates): its status is documented for its operation, its content type is
 * one the document lists, and a JSON body validates (ajv) against the
 * documented schema. The check runs in the app itself (a Fastify `onSend`
 * hook, or an Express middleware ahead of the routes: see `startTestApp`), so answers to the HTTP client, plain `fetch` and
 * Chromium alike are seen; `openapi-responses.setup.ts` fails the test during
 * which a mismatch was recorded, so a drift fails in the spec that caused it.
 */

const DOCUMENT_PATH = join(process.cwd(), 'docs', 'openapi.json');
const DOCUMENT_KEY = 'openapi.json';

/**
 * Routes the document cannot hold, matched on Fastify's route pattern (one
 * place, each with its reason). Anything else a spec reaches must be documented.
 */
export const EXEMPT_ROUTES: { method?: string; route: RegExp; reason: string }[] = [
  {
    route: /^\/docs($|\/|-json$|-yaml$)|^\/openapi\.json$/,
    reason: 'Swagger UI (HTML, scripts, styles) and the document itself',
  },
  {
    method: 'POST',
    route: /^\/accounts\/auth\/users\/resend_activation\/?$/,
    reason:
      "djoser's bare Response(status=400) (no body, no content type) beside JSON 400s of the same status",
  },
  { route: /^\/metrics$/, reason: "Prometheus's text exposition format, for the scraper only" },
  {
    route: /^\/dashboard(\/|$)/,
    reason: "the wrapper's dashboard: HTML pages and their static files",
  },
  {
    method: 'GET',
    route: /^\/auth\/login-link\/?$/,
    reason:
      'the single-use link a browser opens (mailed, never called by a client): a redirect into the dashboard',
  },
  {
    route: /^\/probe(-fastapi)?\//,
    reason: 'test-only probe controllers (test/support/probe.module.ts), not part of Gatehouse',
  },
];

/**
 * Methods no operation documents: Fastify answers HEAD for every GET route
 * (OpenAPI documents the GET).
 */
const EXEMPT_METHODS: Record<string, string> = {
  HEAD: 'Fastify answers HEAD for every GET route; the document lists the GET',
  OPTIONS:
    "DRF's OPTIONS metadata and Starlette's 405: DRF's and FastAPI's schema generators leave OPTIONS out, and so does the document (test/options.e2e-spec.ts checks it)",
};

/**
 * Refusals made before any operation is reached — Django's DisallowedHost and
 * TooManyFieldsSent, which no DRF or FastAPI schema lists either: a Host that is
 * no host name, or a body past DATA_UPLOAD_MAX_NUMBER_FIELDS. Each is checked by
 * its own spec (host-header, body-limits) in the path's dialect.
 */
const REFUSED_BEFORE_ANY_OPERATION: {
  reason: string;
  applies(
    request: AnsweredRequest,
    status: number,
    body: string,
    allowedHosts: readonly string[],
  ): boolean;
}[] = [
  {
    reason:
      'a Host (or trusted X-Forwarded-Host) that names no host, or one ALLOWED_HOSTS does not list: 400 before routing',
    applies: (request, status, _body, allowedHosts) => {
      if (status !== 400 || request.host === '') return false;
      const name = hostName(request.host);
      return (
        name === undefined || (!allowedHosts.includes('*') && !isAllowedHost(name, allowedHosts))
      );
    },
  },
  {
    reason: 'a body of more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS: 400 while it is parsed',
    applies: (_request, status, body, _allowedHosts) =>
      status === 400 &&
      /^\{"detail":"(The number of fields in the request body exceeded DATA_UPLOAD_MAX_NUMBER_FIELDS|Too many fields\. Maximum number of fields is) \(?\d+\)?\."\}$/.test(
        body,
      ),
  },
];

/**
 * A CORS preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered
 * by @fastify/cors on every path, before any route: no operation of the document.
 * Any other OPTIONS answer is checked like the rest.
 */
const isCorsPreflight = (request: AnsweredRequest) =>
  request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;

type Json = any;

/** What the checks read of a request, on either adapter. */
interface AnsweredRequest {
  method: string;
  host: string;
  headers: IncomingMessage['headers'];
}

interface DocumentedOperation {
  method: string;
  path: string;
  responses: Record<string, Json>;
  /** JSON pointer of the operation in the document. */
  pointer: string;
}

/** One answer the document does not describe. */
export interface Mismatch {
  operation: string;
  status: number;
  problem: string;
  body: string;
}

let document: Json;
let ajv: Ajv;
let operations: Map<string, DocumentedOperation>;
const validators = new Map<string, ValidateFunction | Error>();
const recorded: Mismatch[] = [];

const escapePointer = (part: string) => part.replace(/~/g, '~0').replace(/\//g, '~1');

function load(): void {
  if (document) return;
  document = JSON.parse(readFileSync(DOCUMENT_PATH, 'utf8'));
  // OpenAPI 3.0 schemas: `nullable`, `example` and friends are keywords ajv
  // knows or may ignore; the document is validated as OpenAPI elsewhere.
  ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addFormat('password', true);
  // The document's `email` is pydantic's EmailStr and DRF's EmailField, which take
  // internationalised addresses (RFC 6531); ajv-formats' `email` is ASCII-only.
  ajv.addFormat('email', /^[^\s@]+@[^\s@]+$/u);
  ajv.addSchema(document, DOCUMENT_KEY);
  operations = new Map();
  for (const [path, item] of Object.entries(document.paths as Record<string, Json>)) {
    for (const [method, operation] of Object.entries(item as Record<string, Json>)) {
      if (!operation || typeof operation !== 'object' || !operation.responses) continue;
      operations.set(`${method.toUpperCase()} ${path}`, {
        method: method.toUpperCase(),
        path,
        responses: operation.responses,
        pointer: `/paths/${escapePointer(path)}/${method}`,
      });
    }
  }
}

/** Fastify's route pattern (`/api/users/:id`) as the document spells paths (`/api/users/{id}/`). */
function documentedOperation(method: string, route: string): DocumentedOperation | undefined {
  const path = route.replace(/:(\w+)(\([^)]*\))?/g, '{$1}');
  const bare = path.length > 1 ? path.replace(/\/$/, '') : path;
  return operations.get(`${method} ${bare}`) ?? operations.get(`${method} ${bare}/`);
}

function validator(pointer: string): ValidateFunction | Error {
  let found = validators.get(pointer);
  if (!found) {
    try {
      found = ajv.getSchema(`${DOCUMENT_KEY}#${pointer}`) ?? new Error(`no schema at ${pointer}`);
    } catch (error) {
      found = error instanceof Error ? error : new Error(String(error));
    }
    validators.set(pointer, found);
  }
  return found;
}

const describeErrors = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? [])
    .slice(0, 5)
    .map((error) => `${error.instancePath || '(body)'} ${error.message ?? ''}`.trim())
    .join('; ');

/** Why the answer is not what the document says, or undefined when it is. */
export function checkAnswer(
  method: string,
  route: string | undefined,
  status: number,
  contentType: string | undefined,
  body: string,
): Omit<Mismatch, 'body'> | undefined {
  load();
  // No route: Fastify's not-found answer, for a path no operation has.
  if (route === undefined || EXEMPT_METHODS[method]) return undefined;
  const exempt = EXEMPT_ROUTES.some(
    (entry) => (entry.method ?? method) === method && entry.route.test(route),
  );
  if (exempt) return undefined;
  const operation = documentedOperation(method, route);
  if (!operation) {
    return {
      operation: `${method} ${route}`,
      status,
      problem:
        'the route is not in the document (document it, or add it to EXEMPT_ROUTES in ' +
        'test/support/openapi-responses.ts with the reason it cannot be)',
    };
  }
  const name = `${operation.method} ${operation.path}`;
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find(
    (candidate) => operation.responses[candidate],
  );
  if (!key) {
    const documented = Object.keys(operation.responses).join(', ');
    return {
      operation: name,
      status,
      problem: `status not documented (documented: ${documented})`,
    };
  }
  const content: Record<string, Json> | undefined = operation.responses[key].content;
  const type = contentType?.split(';')[0].trim().toLowerCase();
  if (!content || Object.keys(content).length === 0) {
    return body === ''
      ? undefined
      : {
          operation: name,
          status,
          problem: `a body (${type ?? 'no content type'}), documented as none`,
        };
  }
  if (!type || !content[type]) {
    const documented = Object.keys(content).join(', ');
    return {
      operation: name,
      status,
      problem: `content type ${type ?? '(none)'} not documented (documented: ${documented})`,
    };
  }
  if (!/[/+]json$/.test(type) || !content[type].schema) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { operation: name, status, problem: `${type} body is not JSON` };
  }
  const pointer = `${operation.pointer}/responses/${key}/content/${escapePointer(type)}/schema`;
  const validate = validator(pointer);
  if (validate instanceof Error) {
    return { operation: name, status, problem: `schema does not compile: ${validate.message}` };
  }
  if (validate(parsed)) return undefined;
  return { operation: name, status, problem: `body: ${describeErrors(validate.errors)}` };
}

function payloadText(payload: unknown): string | undefined {
  if (payload === undefined || payload === null) return '';
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) return payload.toString('utf8');
  return undefined; // a stream: a file, never a JSON answer
}

function record(
  request: AnsweredRequest,
  route: string | undefined,
  status: number,
  contentType: unknown,
  payload: unknown,
  allowedHosts: readonly string[],
): void {
  const body = payloadText(payload);
  if (body === undefined || isCorsPreflight(request)) return;
  if (
    REFUSED_BEFORE_ANY_OPERATION.some((refusal) =>
      refusal.applies(request, status, body, allowedHosts),
    )
  )
    return;
  const mismatch = checkAnswer(
    request.method,
    route,
    status,
    typeof contentType === 'string' ? contentType : undefined,
    body,
  );
  if (mismatch) recorded.push({ ...mismatch, body: body.slice(0, 300) });
}

function recordSafely(method: string, url: string, status: number, check: () => void): void {
  try {
    check();
  } catch (error) {
    recorded.push({
      operation: `${method} ${url}`,
      status,
      problem: `the check itself failed: ${String(error)}`,
      body: '',
    });
  }
}

/** Checks every answer of `fastify` against the document (before it listens). */
export function checkResponsesAgainstDocument(
  fastify: FastifyInstance,
  allowedHosts: readonly string[] = ['*'],
): void {
  fastify.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload, done) => {
    recordSafely(request.method, request.url, reply.statusCode, () =>
      record(
        request,
        request.routeOptions.url,
        reply.statusCode,
        reply.getHeader('content-type'),
        payload,
        allowedHosts,
      ),
    );
    done(null, payload);
  });
}

/** The Express app's middleware doing the same (used before the app's routes are registered). */
export function checkExpressResponsesAgainstDocument(
  allowedHosts: readonly string[] = ['*'],
): (request: IncomingMessage, response: ServerResponse, next: () => void) => void {
  return (request, response, next) => {
    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    // A streamed answer (a static file) is written in parts: never a JSON answer.
    let streamed = false;
    response.write = ((...args: unknown[]) => {
      streamed = true;
      return write(...args);
    }) as ServerResponse['write'];
    response.end = ((...args: unknown[]) => {
      const payload = typeof args[0] === 'function' ? undefined : args[0];
      if (!streamed) {
        const method = request.method ?? 'GET';
        recordSafely(method, request.url ?? '/', response.statusCode, () =>
          record(
            {
              method,
              host: (request as { host?: string }).host ?? request.headers.host ?? '',
              headers: request.headers,
            },
            routeOf(request)?.url,
            response.statusCode,
            response.getHeader('content-type'),
            payload,
            allowedHosts,
          ),
        );
      }
      return end(...args);
    }) as ServerResponse['end'];
    next();
  };
}

/** The mismatches recorded since the last call, forgotten once taken. */
export function takeMismatches(): Mismatch[] {
  return recorded.splice(0, recorded.length);
}

/** One line per mismatch, for a failure message. */
export function formatMismatches(mismatches: Mismatch[]): string {
  const unique = [
    ...new Map(mismatches.map((m) => [`${m.operation} ${m.status} ${m.problem}`, m])).values(),
  ];
  return unique
    .map((m) => `- ${m.operation} answered ${m.status}: ${m.problem}\n    body: ${m.body}`)
    .join('\n');
}
