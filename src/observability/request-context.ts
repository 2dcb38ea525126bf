import { AsyncLocalStorage } from 'node:async_hooks';

/** The request being handled: its id for log lines, who is on the other end for the audit trail. */
export interface RequestContext {
  /** Fastify's request id (the caller's X-Request-Id when safe). */
  id: string;
  /** The client's address (X-Forwarded-For's client with TRUST_PROXY). */
  address: string;
  userAgent?: string;
}

// The store lives here, below HTTP: the log lines, the audit trail and the mails
// read it; http/request-context.ts decides which requests run inside one.
const storage = new AsyncLocalStorage<RequestContext>();
/** Requests (and pieces of work) running inside a context now; at 0 the storage is off. */
let open = 0;

/** The context of the request whose work is running, if any (none in the CLI or a timer). */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * Runs `next` inside `context`, kept on until the `leave` handed to `until` is
 * called (when the response closes).
 */
export function runInContext(
  context: RequestContext,
  next: () => void,
  until: (leave: () => void) => void,
): void {
  enter();
  until(leave);
  storage.run(context, next);
}

/**
 * Runs `work` inside the context of request `id` (made by `context`); at once
 * when that context is already current. A promise keeps the context on until it
 * settles.
 */
export function inContext<T>(id: string, context: () => RequestContext, work: () => T): T {
  if (storage.getStore()?.id === id) return work();
  enter();
  let result: T;
  try {
    result = storage.run(context(), work);
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

function enter(): void {
  open++;
}

function leave(): void {
  // The async hooks go off with the last context (run() turns them on again).
  if (--open === 0) storage.disable();
}
