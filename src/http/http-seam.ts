import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/**
 * The one HTTP seam every surface stands on, whichever adapter runs the Nest app
 * (Fastify for the standalone service, Fastify or Express in a host's app): a
 * request's method, URL, headers, body, client and route; an answer's status,
 * headers and body. Adapter code lives in ./adapters/{fastify,express}.ts;
 * nothing above this file knows which one answered.
 */
export interface HttpRequest {
  readonly method: string;
  /** The path and query as the client sent it. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The query string's parameters. */
  readonly query: unknown;
  body?: unknown;
  /** The client's address (TRUST_PROXY decides how far X-Forwarded-For is believed). */
  readonly ip: string;
  /** `http` or `https` (from X-Forwarded-Proto behind a trusted proxy). */
  readonly protocol: string;
  /** The Host the request named (with its port), `X-Forwarded-Host` from a trusted proxy. */
  readonly host: string;
  /** The request id (the caller's X-Request-Id when safe), in logs and `X-Request-Id`. */
  readonly id: string;
}

/** An answer being written: only the functions below touch it. */
export type HttpReply = object;

/** The route a request matched: its pattern and the facts its handler declared. */
export interface RouteFacts {
  /** The route's pattern (`/auth/users/:id/`), not the URL. */
  readonly url: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** The key under which the route facts of every handler are kept (Nest's Fastify adapter reads it as route config). */
export const ROUTE_CONFIG_METADATA = '__fastify_route_config__';

/** Where the Express adapter leaves a request's route (Fastify has its own `routeOptions`). */
export const EXPRESS_ROUTE = Symbol.for('gatehouse.route');

interface FastifyLikeRequest {
  raw: IncomingMessage;
  routeOptions?: { url?: string; config?: unknown };
}

interface FastifyLikeReply {
  raw: ServerResponse;
  header(name: string, value: unknown): unknown;
  headers(values: Record<string, unknown>): unknown;
  status(code: number): unknown;
  send(payload?: unknown): unknown;
  getHeader(name: string): unknown;
  hasHeader(name: string): boolean;
  redirect(url: string, code?: number): unknown;
  statusCode: number;
}

type ExpressLikeReply = ServerResponse & {
  append(name: string, value: string): unknown;
  status(code: number): unknown;
  send(payload?: unknown): unknown;
  json(payload: unknown): unknown;
};

function isFastifyRequest(request: object): request is FastifyLikeRequest {
  return 'raw' in request && 'routeOptions' in request;
}

function isFastifyReply(reply: object): reply is FastifyLikeReply {
  return 'raw' in reply && typeof (reply as { headers?: unknown }).headers === 'function';
}

/**
 * Where routeOf keeps a Fastify request's answer (null: no route of its own).
 * Fastify's `routeOptions` is a getter that builds a new object of fifteen fields
 * on every read, and a request asks its route several times (guards, the request
 * context, metrics): ~2 µs of every answer's CPU in `npm run bench`.
 */
const FASTIFY_ROUTE = Symbol('gatehouse.fastifyRoute');

/** The route the request matched; undefined before routing, or when it matched none. */
export function routeOf(request: HttpRequest | object): RouteFacts | undefined {
  if (isFastifyRequest(request)) {
    const known = (request as { [FASTIFY_ROUTE]?: RouteFacts | null })[FASTIFY_ROUTE];
    if (known !== undefined) return known ?? undefined;
    const options = request.routeOptions;
    const url = options?.url;
    // The CORS plugin's catch-all OPTIONS route is no route of a path's own.
    const facts =
      url === undefined || url === '*'
        ? null
        : { url, config: (options?.config ?? {}) as Record<string, unknown> };
    // Fastify makes the request once it has routed it: its route is settled.
    (request as { [FASTIFY_ROUTE]?: RouteFacts | null })[FASTIFY_ROUTE] = facts;
    return facts ?? undefined;
  }
  return (request as { [EXPRESS_ROUTE]?: RouteFacts })[EXPRESS_ROUTE];
}

/** The route facts of the matched route (empty when none matched). */
export function routeConfigOf(request: HttpRequest | object): Readonly<Record<string, unknown>> {
  return routeOf(request)?.config ?? {};
}

/** Node's request under the adapter's. */
export function rawRequest(request: HttpRequest | object): IncomingMessage {
  return isFastifyRequest(request) ? request.raw : (request as IncomingMessage);
}

/** Node's response under the adapter's. */
export function rawReply(reply: HttpReply): ServerResponse {
  return isFastifyReply(reply) ? reply.raw : (reply as ServerResponse);
}

/** Sets a header; `Set-Cookie` is added to those already set, never replaces them. */
export function setHeader(reply: HttpReply, name: string, value: string | number): void {
  if (isFastifyReply(reply)) {
    reply.header(name, value);
    return;
  }
  const express = reply as ExpressLikeReply;
  if (name.toLowerCase() === 'set-cookie') express.append('Set-Cookie', String(value));
  else express.setHeader(name, String(value));
}

/** Sets each header (setHeader's rule for `Set-Cookie`). */
export function setHeaders(reply: HttpReply, headers: Record<string, string | number>): void {
  for (const [name, value] of Object.entries(headers)) setHeader(reply, name, value);
}

export function getHeader(reply: HttpReply, name: string): unknown {
  return isFastifyReply(reply) ? reply.getHeader(name) : (reply as ServerResponse).getHeader(name);
}

export function hasHeader(reply: HttpReply, name: string): boolean {
  return isFastifyReply(reply) ? reply.hasHeader(name) : (reply as ServerResponse).hasHeader(name);
}

export function setStatus(reply: HttpReply, status: number): void {
  (reply as { status(code: number): unknown }).status(status);
}

export function statusOf(reply: HttpReply): number {
  return (reply as { statusCode: number }).statusCode;
}

/**
 * Sends the answer: an object or array as JSON (`application/json; charset=utf-8`
 * unless a Content-Type was set), a string or Buffer as it is.
 */
export function send(reply: HttpReply, body?: unknown): void {
  if (isFastifyReply(reply)) {
    void reply.send(body);
    return;
  }
  const express = reply as ExpressLikeReply;
  if (body !== null && typeof body === 'object' && !Buffer.isBuffer(body)) {
    if (!express.hasHeader('content-type')) express.json(body);
    else express.send(JSON.stringify(body));
    return;
  }
  express.send(body);
}

/** A redirect (302 unless told), with no body of its own. */
export function redirect(reply: HttpReply, location: string, status = 302): void {
  setStatus(reply, status);
  setHeader(reply, 'Location', location);
  send(reply, '');
}
