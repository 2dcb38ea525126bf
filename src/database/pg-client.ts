import { Client } from 'pg';

type Callback = (error: Error | undefined, result: unknown) => void;

/** pg's message for a query whose answer did not come within `query_timeout`. */
const READ_TIMEOUT = 'Query read timeout';

/**
 * pg's client, but one whose query timed out (a database or network that stopped
 * answering) drops its connection instead of going back to the pool still waiting
 * for that answer: pg gives up on the query but keeps the socket, so every query
 * queued behind it would wait out its own timeout in turn, and a transaction cut
 * there could be committed later by the bytes still held. Dropped, the client
 * errors out (TypeORM and the pool listen), the pool opens a fresh one on the next
 * request, and the server's `idle_in_transaction_session_timeout` ends what was
 * left open on its side. Its errors never go unheard (see the constructor).
 */
export class DroppingClient extends Client {
  constructor(...args: ConstructorParameters<typeof Client>) {
    super(...args);
    // An 'error' with no listener would end the process. The pool and TypeORM listen
    // only while they hold the client (and the pool drops its listener after a first
    // error): a server message arriving outside those windows (a backend terminated
    // while the client is being handed over or ended) is this listener's. The client is
    // then no longer queryable, and the pool discards it on release.
    this.on('error', () => undefined);
  }

  private dropIfTimedOut(error: unknown): void {
    if (error instanceof Error && error.message === READ_TIMEOUT) {
      (
        this as unknown as { connection?: { stream?: { destroy(): void } } }
      ).connection?.stream?.destroy();
    }
  }

  // pg's overloads: (text | config, values?, callback?) → a promise when no callback.
  override query(...args: unknown[]): never {
    const last = args[args.length - 1];
    const query = (...params: unknown[]): unknown =>
      (super.query as (...params: unknown[]) => unknown).apply(this, params);
    if (typeof last === 'function') {
      const callback = last as Callback;
      args[args.length - 1] = (error: Error | undefined, result: unknown) => {
        this.dropIfTimedOut(error);
        callback(error, result);
      };
      return query(...args) as never;
    }
    const result = query(...args);
    if (typeof (result as Promise<unknown> | undefined)?.then === 'function') {
      return (result as Promise<unknown>).catch((error: unknown) => {
        this.dropIfTimedOut(error);
        throw error;
      }) as never;
    }
    return result as never;
  }
}
