import { HttpException, NotFoundException } from '@nestjs/common';
import { type HttpRequest, routeOf } from '../http/http-seam';
import type { RouteTable } from '../http/route-table';
import { isDatabaseUnavailable } from '../problems/database-unavailable';
import { JsonParseError, TooManyFieldsError } from '../problems/problem';

/**
 * What went wrong, independent of how a dialect words it. Both exception filters
 * classify first, then render; the classification is written once, here.
 */
export type Problem =
  | { kind: 'formed'; exception: HttpException }
  | { kind: 'status'; status: number }
  | { kind: 'method-not-allowed'; method: string; allow: string[] }
  | { kind: 'json-parse'; message: string }
  | { kind: 'too-many-fields'; limit: number }
  | { kind: 'media-type'; contentType: string }
  | { kind: 'too-large' }
  | { kind: 'malformed' }
  | { kind: 'unavailable'; error: unknown }
  | { kind: 'server'; error: unknown };

interface FastifyError {
  code?: string;
  statusCode?: number;
  message?: string;
}

export function classify(exception: unknown, request: HttpRequest, routes?: RouteTable): Problem {
  if (exception instanceof NotFoundException && isUnrouted(request)) {
    const allow = routes?.allowedMethods(request.url) ?? [];
    if (allow.length > 0) return { kind: 'method-not-allowed', method: request.method, allow };
    return { kind: 'status', status: 404 };
  }
  if (exception instanceof HttpException) {
    if (!isNestDefaultBody(exception.getResponse())) return { kind: 'formed', exception };
    // Nest re-raises Fastify's parser errors as plain HttpExceptions.
    const status = exception.getStatus();
    if (status === 415) return { kind: 'media-type', contentType: mediaType(request) };
    if (status === 413) return { kind: 'too-large' };
    return { kind: 'status', status };
  }
  if (exception instanceof JsonParseError)
    return { kind: 'json-parse', message: exception.message };
  if (exception instanceof TooManyFieldsError)
    return { kind: 'too-many-fields', limit: exception.limit };
  const error = (exception ?? {}) as FastifyError;
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return { kind: 'status', status: 414 };
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { kind: 'media-type', contentType: mediaType(request) };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return { kind: 'too-large' };
  }
  // Any other client error Fastify or a parser raised (bad Content-Length, a
  // broken multipart or form body, …): a 4xx, never a 500.
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return { kind: 'malformed' };
  }
  if (isDatabaseUnavailable(exception)) return { kind: 'unavailable', error: exception };
  return { kind: 'server', error: exception };
}

/**
 * The request matched no route (Nest's not-found handler threw), or only the
 * CORS plugin's catch-all OPTIONS route, which passes what is no preflight on.
 */
export function isUnrouted(request: HttpRequest): boolean {
  return routeOf(request) === undefined;
}

/** Nest's built-in exceptions carry `{statusCode, message, error}`; ours carry the wire body. */
function isNestDefaultBody(body: unknown): boolean {
  return (
    typeof body === 'string' ||
    (typeof body === 'object' && body !== null && 'statusCode' in body && 'message' in body)
  );
}

function mediaType(request: HttpRequest): string {
  const header = request.headers['content-type'] ?? '';
  return header.split(';')[0]?.trim() ?? '';
}
