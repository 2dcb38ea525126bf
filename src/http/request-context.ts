import type { ServerResponse } from 'node:http';
import { inContext, type RequestContext, runInContext } from '../observability/request-context';
import { type HttpRequest, routeConfigOf } from './http-seam';
import { RouteConfigEntry } from './route-config';

const RECORDS_EVENTS_ROUTE_CONFIG = 'gatehouseRecordsEvents';

/**
 * Marks a GET route (or every route of a controller) that records audit events
 * or otherwise needs the request context: see runInRequestContext.
 */
export const RecordsEvents = (): ClassDecorator & MethodDecorator =>
  RouteConfigEntry(RECORDS_EVENTS_ROUTE_CONFIG, true);

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
  runInContext(contextOf(request), next, (leave) => response.once('close', leave));
}

/**
 * Runs `work` inside the request's context (a safe read's database work, its
 * error line); at once when that context is already current. A promise keeps
 * the context on until it settles.
 */
export function inRequestContext<T>(request: HttpRequest, work: () => T): T {
  return inContext(request.id, () => contextOf(request), work);
}

function needsContext(request: HttpRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return true;
  return routeConfigOf(request)[RECORDS_EVENTS_ROUTE_CONFIG] === true;
}

function contextOf(request: HttpRequest): RequestContext {
  return { id: request.id, address: request.ip, userAgent: request.headers['user-agent'] };
}
