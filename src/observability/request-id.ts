import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { currentRequest } from './request-context';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What a caller's id may be: bounded, and nothing that could forge a log line or a header. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The id of the request whose work is running, for log lines written outside Fastify's request logger. */
export function currentRequestId(): string | undefined {
  return currentRequest()?.id;
}

/**
 * Fastify's `genReqId`: the caller's `X-Request-Id` when it is safe (a load
 * balancer's or a client's, so one id follows the request across services),
 * else a fresh UUID.
 */
export function requestId(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

