import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';

/** Who is on the other end of the request being handled: for the audit trail. */
export interface RequestContext {
  /** The client's address (X-Forwarded-For's client with TRUST_PROXY). */
  address: string;
  userAgent?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The context of the request whose work is running, if any (none in the CLI or a timer). */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/** Runs each request's hooks and handler inside its RequestContext. */
export function trackRequestContext(instance: FastifyInstance): void {
  instance.addHook('onRequest', (request, _reply, done) => {
    const userAgent = request.headers['user-agent'];
    storage.run({ address: request.ip, userAgent }, done);
  });
}
