import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';

/** The request being handled: its id for log lines, who is on the other end for the audit trail. */
export interface RequestContext {
  /** Fastify's request id (the caller's X-Request-Id when safe). */
  id: string;
  /** The client's address (X-Forwarded-For's client with TRUST_PROXY). */
  address: string;
  userAgent?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The context of the request whose work is running, if any (none in the CLI or a timer). */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * Runs each request's hooks and handler inside its RequestContext. One store for
 * everything a request carries: each AsyncLocalStorage adds its own cost to every
 * promise the request makes.
 */
export function trackRequestContext(instance: FastifyInstance): void {
  instance.addHook('onRequest', (request, _reply, done) => {
    const userAgent = request.headers['user-agent'];
    storage.run({ id: request.id, address: request.ip, userAgent }, done);
  });
}
