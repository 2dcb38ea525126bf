/** Socket-level failures: the database server cannot be reached or went away. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * SQLSTATEs and SQLite result codes that mean "not now" rather than "wrong query".
 * PostgreSQL: class 08 (connection exception), 57P01–57P03 (terminated by an
 * administrator, shutting down, cannot connect now), 53300 (too many connections),
 * 57014 (statement timeout), 25P03 (a transaction left idle past its timeout), 25006 (read-only: `default_transaction_read_only`, a
 * standby). SQLite: a lock held elsewhere past the busy timeout (BUSY, LOCKED), a
 * file that cannot be written (READONLY_*: permissions, moved or replaced), I/O
 * errors, a full disk, a file that cannot be opened.
 */
const SERVER_CODES =
  /^(08...|57P0[123]|53300|57014|25P03|25006|SQLITE_(BUSY|LOCKED|READONLY|IOERR|FULL|CANTOPEN)(_\w+)?)$/;

/**
 * What pg and the pool say, without a code (or with one too broad to go by, as 55000
 * for a database whose `ALLOW_CONNECTIONS` is off), when a connection dies or never comes;
 * and TypeORM's QueryRunnerAlreadyReleasedError, which is what the rest of a `save()`'s
 * transaction meets once its connection died under it (TypeORM releases the runner).
 */
const MESSAGES =
  /Connection terminated|Query runner already released|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Connection is not established|Client was closed and is not queryable|the database system is (starting up|shutting down)|is not currently accepting connections/i;

/**
 * Whether an error (as TypeORM or the driver raised it) means the database is
 * unavailable: the request deserves a 503 and a retry, not a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 4; depth++) {
    const { code, message, driverError } = cause as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
    };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_CODES.test(code))) {
      return true;
    }
    if (typeof message === 'string' && MESSAGES.test(message)) return true;
    cause = driverError ?? (cause as { cause?: unknown }).cause;
  }
  return false;
}
