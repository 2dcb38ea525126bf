import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Dialect } from './route-config';
import { DRF_MESSAGES } from '../problems/drf.exception';
import { FASTAPI_REASONS } from '../problems/fastapi.exception';
import type { RouteTable } from './route-table';

/** DRF's `detail` for the bare statuses Gatehouse answers outside a view. */
export const DRF_DETAIL_BY_STATUS: Record<number, string> = {
  400: DRF_MESSAGES.malformed,
  401: DRF_MESSAGES.notAuthenticated,
  403: DRF_MESSAGES.permissionDenied,
  404: DRF_MESSAGES.notFound,
  406: DRF_MESSAGES.notAcceptable,
  408: 'Request timeout.',
  413: DRF_MESSAGES.tooLarge,
  414: 'Request URI is too long.',
  431: 'Request header fields are too large.',
};

/** The `{"detail": …}` body of a bare status in a dialect. */
export function statusBody(dialect: Dialect, status: number): { detail: string } {
  if (dialect === 'fastapi') return { detail: FASTAPI_REASONS[status] ?? 'Error' };
  return { detail: DRF_DETAIL_BY_STATUS[status] ?? `Request failed with status ${status}.` };
}

/** Past this many unread body bytes after an answer, the connection is closed instead. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/**
 * Fastify options that answer what fails before routing — an undecodable URL,
 * a path parameter past its length, a request line or headers too large, a
 * request the HTTP parser refuses — in the dialect of the path's surface rather
 * than Fastify's own `{statusCode, code, error, message}`.
 */
export function transportErrorOptions(
  routes: RouteTable,
): Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> {
  return {
    frameworkErrors(error, request: FastifyRequest, reply: FastifyReply) {
      const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
      void reply
        .status(status)
        .header('content-type', 'application/json')
        .send(statusBody(routes.dialectAt(decodablePath(request.raw.url ?? '/')), status));
    },
    clientErrorHandler: answerClientError(routes),
  };
}

/**
 * Node's `clientError` answer in the path's dialect (any adapter: Fastify takes it
 * as `clientErrorHandler`, the Express adapter adds it to its server): a request
 * timeout is a 408, a request line that never ended a 414, headers too large a
 * 431, anything else the parser refuses a 400; the connection is closed after it.
 */
export function answerClientError(
  routes: RouteTable,
): (error: NodeJS.ErrnoException, socket: Socket) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const raw = (error as { rawPacket?: unknown }).rawPacket;
    const head = Buffer.isBuffer(raw) ? raw.toString('latin1') : '';
    const requestLine = /^[A-Z]+ (\S+)/.exec(head);
    let status = 400;
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') status = 408;
    // A request line that never ended is a URI too long; otherwise the headers were.
    else if (error.code === 'HPE_HEADER_OVERFLOW') status = head.includes('\r\n') ? 431 : 414;
    const path = requestLine?.[1] ?? '/';
    const body = JSON.stringify(statusBody(routes.dialectAt(decodablePath(path)), status));
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${REASONS[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          `Content-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  414: 'URI Too Long',
  431: 'Request Header Fields Too Large',
};

/** The path with every undecodable segment replaced, so the route table can still place it. */
export function decodablePath(url: string): string {
  const path = url.split('?')[0] ?? '/';
  return path
    .split('/')
    .map((segment) => {
      try {
        decodeURIComponent(segment);
        return segment;
      } catch {
        return '_';
      }
    })
    .join('/');
}

/**
 * When an answer goes out before the request body was read (a 413, a 415, a
 * refused credential), reads and discards the rest of the body so the client
 * receives the answer instead of a reset connection — up to a bound. Run on
 * every Fastify answer before its headers go out (app.factory's one `onSend` hook).
 */
export function drainBeforeAnswering(request: FastifyRequest, reply: FastifyReply): void {
  // Fastify closes such a connection right after the answer, while the client is
  // still sending: it would see a reset (EPIPE) rather than the answer.
  if (drainUnreadBody(request.raw)) reply.removeHeader('connection');
}

/**
 * Reads and discards the rest of a body the answer did not wait for (up to
 * MAX_DRAIN_BYTES, then the connection is dropped); true when there was a rest.
 */
export function drainUnreadBody(raw: IncomingMessage): boolean {
  if (raw.complete || raw.destroyed) return false;
  let drained = 0;
  raw.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > MAX_DRAIN_BYTES) raw.destroy();
  });
  raw.resume();
  return true;
}

/** Whether some segment of the path cannot be percent-decoded (Fastify's FST_ERR_BAD_URL). */
export function hasUndecodableSegment(url: string): boolean {
  const path = url.split('?')[0] ?? '/';
  if (!path.includes('%')) return false;
  return decodablePath(url) !== (url.split('?')[0] ?? '/');
}
