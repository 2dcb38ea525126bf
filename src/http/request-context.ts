import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServerResponse } from 'node:http';
import { type HttpRequest, routeConfigOf } from './http-seam';
import { RouteConfigEntry } from './route-config';

/** The request being handled: its id for log lines, who is on the other end for the audit trail. */
export interface RequestContext {
  /** Fastify's request id (the caller's X-Request-Id when safe). */
  id: string;
  /** The client's address (X-Forwarded-For's client with TRUST_PROXY). */
  address: string;
  userAgent?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();
/** Requests (and pieces of work) running inside a context now; at 0 the storage is off. */
let inContext = 0;

const RECORDS_EVENTS_ROUTE_CONFIG = 'gatehouseRecordsEvents';

/**
 * Marks a GET route (or every route of a controller) that records audit events
 * or otherwise needs the request context: see trackRequestContext.
 */
export const RecordsEvents = (): ClassDecorator & MethodDecorator =>
  RouteConfigEntry(RECORDS_EVENTS_ROUTE_CONFIG, true);

/** The context of the request whose work is running, if any (none in the CLI or a timer). */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * Runs a request's hooks and handler inside its RequestContext, which gives log
 * lines their `reqId` and audit events their address and user agent.
 *
 * Safe reads (GET and HEAD, unless marked @RecordsEvents()) run without one: on
 * Node 20 an active AsyncLocalStorage runs async hooks on every promise of every
 * request, a fifth of an authenticated read's CPU in `npm run bench`. The
 * storage is switched off whenever no request needs it. Such a read's own lines
 * (its request line, its error) name their request themselves (inRequestContext),
 * and so does the work it hands to the database on an auth-cache miss.
 */
export function runInRequestContext(
  request: HttpRequest,
  response: ServerResponse,
  next: () => void,
): void {
  if (!needsContext(request)) return next();
  enter();
  response.once('close', leave);
  storage.run(contextOf(request), next);
}

/**
 * Runs `work` inside the request's context (a safe read's database work, its
 * error line); at once when that context is already current. A promise keeps
 * the context on until it settles.
 */
export function inRequestContext<T>(request: HttpRequest, work: () => T): T {
  if (storage.getStore()?.id === request.id) return work();
  enter();
  let result: T;
  try {
    result = storage.run(contextOf(request), work);
  } catch (error) {
    leave();
    throw error;
  }
  if (result instanceof Promise) return result.finally(leave) as T;
  leave();
  return result;
}

/**
 * Keeps the current request's context (if any) on for work that outlives the
 * answer (a mail prepared after it): call the returned function when it is done.
 */
export function holdRequestContext(): () => void {
  if (!storage.getStore()) return () => undefined;
  enter();
  let held = true;
  return () => {
    if (held) leave();
    held = false;
  };
}

function needsContext(request: HttpRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return true;
  return routeConfigOf(request)[RECORDS_EVENTS_ROUTE_CONFIG] === true;
}

function contextOf(request: HttpRequest): RequestContext {
  return { id: request.id, address: request.ip, userAgent: request.headers['user-agent'] };
}

function enter(): void {
  inContext++;
}

function leave(): void {
  // The async hooks go off with the last context (run() turns them on again).
  if (--inContext === 0) storage.disable();
}
