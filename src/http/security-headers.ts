import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getHeader, hasHeader, type HttpReply, type HttpRequest, setHeader } from './http-seam';
import helmet, { type HelmetOptions } from 'helmet';
import type { GatehouseConfig } from '../config/gatehouse-config';

/** An API answer is never a document: it may load nothing and be framed by no one. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** JSON keys whose presence means an answer carries a credential (RFC 6749 §5.1). */
const CREDENTIAL_KEYS = /"(access|refresh|access_token|refresh_token|key|token)"\s*:\s*"/;

export interface SecurityPolicy {
  /** Every answer's headers, set once its body is known and before they go out. */
  readonly answerHeaders: (reply: HttpReply, payload: unknown) => void;
  /** CORS for CORS_ALLOWED_ORIGINS; undefined without any. */
  readonly cors?: {
    origin: true | string[];
    credentials: true;
    methods: string[];
    exposedHeaders: string[];
    maxAge: number;
  };
}

/** The headers (and CORS) of registerSecurityHeaders, for any adapter. */
export function securityPolicy(config: GatehouseConfig): SecurityPolicy {
  const dashboardOrigin = /^https?:\/\//.test(config.dashboard.url)
    ? new URL(config.dashboard.url).origin
    : undefined;
  const pageHeaders = helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'connect-src': ["'self'"],
        'font-src': ["'self'", 'data:'],
        // The dashboard's login form may land on a dashboard elsewhere.
        'form-action': ["'self'", ...(dashboardOrigin ? [dashboardOrigin] : [])],
        'frame-ancestors': ["'none'"],
        'img-src': ["'self'", 'data:'],
        'object-src': ["'none'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'", "'unsafe-inline'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    hsts: config.isProduction ? { maxAge: 31536000, includeSubDomains: true } : false,
    // Swagger UI and the dashboard load nothing cross-origin; these would only get in the way of API clients.
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: false,
  });
  const pageEntries = Object.entries(pageHeaders);
  const apiEntries = Object.entries({
    ...pick(pageHeaders, [
      'x-content-type-options',
      'x-frame-options',
      'referrer-policy',
      'strict-transport-security',
    ]),
    'content-security-policy': API_POLICY,
  });

  const origins = config.corsAllowedOrigins ?? [];
  return {
    answerHeaders: securityHeaders(pageEntries, apiEntries),
    cors:
      origins.length > 0
        ? {
            origin: origins.includes('*') ? true : [...origins],
            credentials: true,
            methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
            // Cookie mode's CSRF token, for a frontend on another site that cannot read the cookie.
            exposedHeaders: ['X-CSRFToken'],
            maxAge: 600,
          }
        : undefined,
  };
}

/**
 * Browser-facing protection on every answer:
 * - on pages (text/html: /docs, the dashboard), helmet's headers, with a CSP Swagger
 *   UI and the dashboard work under (their scripts and styles are served by
 *   Gatehouse; inline styles are allowed), frames denied, `nosniff`,
 *   `Referrer-Policy: same-origin`, HSTS in production;
 * - on everything else (the API's JSON), the headers OWASP's REST Security Cheat
 *   Sheet asks of an API: `Content-Security-Policy: default-src 'none';
 *   frame-ancestors 'none'`, `X-Frame-Options: DENY`, `nosniff`, the same
 *   Referrer-Policy and HSTS. Helmet's other headers (X-XSS-Protection,
 *   X-DNS-Prefetch-Control, X-Download-Options, …) only concern documents, and
 *   every header costs each answer its CPU: helmet's twelve on a JSON answer
 *   took ~11 % more CPU per request off the bench's reference;
 * - CORS for the origins in CORS_ALLOWED_ORIGINS (none by default), credentials
 *   allowed and `X-CSRFToken` exposed for dj-rest-auth's cookie mode, preflight
 *   answered on every route;
 * - `Cache-Control: no-store` and `Pragma: no-cache` on answers carrying a token,
 *   a key or a cookie.
 */
export async function registerSecurityHeaders(
  instance: FastifyInstance,
  config: GatehouseConfig,
  /** What else every answer runs, first: one hook for all, each hook costs every answer. */
  before: readonly ((request: FastifyRequest, reply: FastifyReply) => void)[] = [],
): Promise<void> {
  const { answerHeaders, cors: corsOptions } = securityPolicy(config);
  if (corsOptions) {
    const withPreflight = { ...corsOptions, preflight: true };
    const withoutPreflight = { ...corsOptions, preflight: false };
    await instance.register(cors, {
      // Only a preflight is CORS's to answer (django-cors-headers and Starlette's
      // CORSMiddleware alike): any other OPTIONS goes on to the route — DRF's
      // metadata, FastAPI's 405 — instead of @fastify/cors's 400.
      delegator: (request, callback) =>
        callback(null, isPreflight(request) ? withPreflight : withoutPreflight),
    });
  }

  instance.addHook('onSend', (request, reply, payload, done) => {
    for (const run of before) run(request, reply);
    answerHeaders(reply, payload);
    done(null, payload);
  });
}

/**
 * What every answer gets, adapter-neutral: the page's or the API's headers (a
 * header the route set itself wins), and `Cache-Control: no-store` when it
 * carries a credential. Called once the body is known, before the headers go out.
 */
function securityHeaders(
  pageEntries: [string, string][],
  apiEntries: [string, string][],
): (reply: HttpReply, payload: unknown) => void {
  return (reply, payload) => {
    const page = String((getHeader(reply, 'content-type') as string | undefined) ?? '').startsWith(
      'text/html',
    );
    for (const [name, value] of page ? pageEntries : apiEntries) {
      if (!hasHeader(reply, name)) setHeader(reply, name, value);
    }
    const text = Buffer.isBuffer(payload) ? payload.toString('latin1') : payload;
    const carriesCredential =
      hasHeader(reply, 'set-cookie') || (typeof text === 'string' && CREDENTIAL_KEYS.test(text));
    if (carriesCredential) {
      setHeader(reply, 'cache-control', 'no-store');
      setHeader(reply, 'pragma', 'no-cache');
    }
  };
}

/**
 * The headers helmet sets, computed once. They depend on the options alone, and
 * @fastify/helmet rebuilds helmet's middleware (parsing the CSP) on every request:
 * 7 % of an authenticated request's CPU in `npm run bench`.
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  // Helmet 8 throws (rather than passing errors to `next`) on bad options.
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return headers;
}

function pick(headers: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.filter((name) => name in headers).map((n) => [n, headers[n]]));
}

/** A CORS preflight: OPTIONS with an Origin and the method the page means to use. */
export function isPreflight(request: Pick<HttpRequest, 'method' | 'headers'>): boolean {
  return (
    request.method === 'OPTIONS' &&
    request.headers.origin !== undefined &&
    request.headers['access-control-request-method'] !== undefined
  );
}
