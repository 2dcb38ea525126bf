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
 * PostgreSQL SQLSTATEs that mean "not now" rather than "wrong query": class 08
 * (connection exception), 57P01–57P03 (shutdown, cannot connect now), 53300
 * (too many connections), 57014 (statement timeout); and SQLite's lock timeout.
 */
const SERVER_CODES = /^(08...|57P0[123]|53300|57014|SQLITE_BUSY|SQLITE_IOERR.*|SQLITE_CANTOPEN)$/;

/** What pg and the pool say, without a code, when a connection dies or never comes. */
const MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Connection is not established|the database system is (starting up|shutting down)/i;

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
