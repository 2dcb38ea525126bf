import type { Writable } from 'node:stream';
import type { LoggerService } from '@nestjs/common';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import pino, { type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import { currentRequestId } from './request-id';

/** Where pino keeps a child logger's bindings (Fastify's request logger binds `reqId`). */
const BINDINGS = pino.symbols.chindingsSym;

export type LogFormat = 'auto' | 'json' | 'pretty';

/** `auto`: readable lines for a developer at a terminal, JSON lines for everything else. */
export function wantsPrettyLogs(format: LogFormat = 'auto', production = false): boolean {
  if (format !== 'auto') return format === 'pretty';
  return !production && Boolean(process.stdout.isTTY);
}

/**
 * Query parameters that carry credentials or one-time secrets (the hijack link's
 * `token`, allauth's `key`, the login link's `ticket`, a reset link's `uid`…),
 * matched on the decoded name (`%74oken`, `TOKEN`, `token[]` alike).
 */
const SECRET_PARAMETER =
  /^(token|key|ticket|uid|access|refresh|access_token|refresh_token|password|code|secret|session|sessionid|signature|sig)$/i;
/** A decoded value that itself carries a secret parameter (a `next=` URL holding `?token=…`). */
const SECRET_INSIDE = /(^|[?&#;\s])(token|key|ticket|uid|access|refresh|password|code|secret)=/i;

/** A URL as it may appear in a log line: every secret-bearing query value replaced. */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const hash = url.indexOf('#', start);
  const end = hash < 0 ? url.length : hash;
  const query = url
    .slice(start + 1, end)
    .split('&')
    .map((part) => {
      const equals = part.indexOf('=');
      const rawName = equals < 0 ? part : part.slice(0, equals);
      const name = decodeLoosely(rawName).trim().replace(/\[.*$/, '');
      const value = equals < 0 ? '' : decodeLoosely(part.slice(equals + 1));
      return SECRET_PARAMETER.test(name) || SECRET_INSIDE.test(value)
        ? `${rawName}=[Redacted]`
        : part;
    });
  return `${url.slice(0, start)}?${query.join('&')}${url.slice(end)}`;
}

/** Percent-decoding as servers read query strings, twice over; undecodable text stays as it is. */
function decodeLoosely(text: string): string {
  let decoded = text.replace(/\+/g, ' ');
  for (let round = 0; round < 2; round++) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      decoded = decoded.replace(/%([0-9a-f]{2})/gi, (_match, hex: string) =>
        String.fromCharCode(parseInt(hex, 16)),
      );
    }
  }
  return decoded;
}

/**
 * The logger of the whole app (Fastify's and Nest's lines alike): JSON lines, or
 * pino-pretty's when `pretty` (same fields, same redaction). Request lines hold
 * method, redacted URL, status and time — never headers or bodies; the redact
 * paths guard any object that carries them by mistake.
 */
export function createLogger(level: string, stream?: Writable, prettyLines = false): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'gatehouse' },
    // Lines written during a request (Fastify's and Nest's alike) carry its id, once.
    mixin: (object, _level, logger) => {
      if ('reqId' in object) return {};
      const reqId = currentRequestId();
      if (!reqId) return {};
      const bindings = (logger as unknown as Record<symbol, string | undefined>)[BINDINGS];
      return bindings?.includes('"reqId"') ? {} : { reqId };
    },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'headers.authorization',
        'headers.cookie',
        '*.password',
        '*.password1',
        '*.password2',
        '*.new_password1',
        '*.new_password2',
        '*.old_password',
        '*.token',
        '*.key',
        '*.refresh',
        '*.access',
      ],
      censor: '[Redacted]',
    },
    hooks: {
      // Fastify's "Server listening at …" (one per address) repeats the start-up summary.
      logMethod(args, method, level) {
        const [first, second] = args as unknown[];
        const message = typeof first === 'string' ? first : second;
        if (
          level === 30 &&
          typeof message === 'string' &&
          message.startsWith('Server listening at')
        ) {
          return this.debug(...(args as [string]));
        }
        return method.apply(this, args);
      },
    },
    serializers: {
      // Fastify's request, or Express's (whose `url` its routers rewrite: `originalUrl` is the one sent).
      req: (req: FastifyRequest) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.originalUrl ?? req.url),
        remoteAddress: req.ip,
      }),
      res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
      err: pino.stdSerializers.err,
    },
  };
  if (prettyLines) {
    // Loaded only for a developer's terminal: production's JSON lines never need it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = (require('pino-pretty') as { default: typeof PinoPretty }).default;
    // Synchronous, in this thread: no transport worker to start or to lose lines at exit.
    const prettifier = pretty({
      destination: stream ?? 1,
      sync: true,
      colorize: !stream && Boolean(process.stdout.isTTY),
      // A request is one line: method, URL, status, time.
      ignore: 'pid,hostname,service,context,reqId,req,res,responseTime',
      messageFormat:
        '{if context}[{context}] {end}{msg}' +
        '{if req} {req.method} {req.url} → {res.statusCode} ({responseTime} ms){end}',
      translateTime: 'SYS:HH:MM:ss.l',
    });
    return pino(options, prettifier);
  }
  return stream ? pino(options, stream) : pino(options);
}

/**
 * Nest's start-up chatter (a line per module, controller and route): debug, so
 * that `info` shows one summary line; `LOG_LEVEL=debug` shows the route table.
 */
const START_UP_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/**
 * Fastify's `childLoggerFactory`: every request logs through the app's logger
 * itself. pino's child logger (Fastify's default) re-runs the redaction set-up
 * for each request, about 4 µs of every answer's CPU in `npm run bench`; the
 * mixin above stamps the request's id on its lines instead.
 */
export function requestLogger(logger: FastifyBaseLogger): FastifyBaseLogger {
  return logger;
}

/** Whether request lines are written at this level (above `info` there are none). */
export function logsRequests(level: string): boolean {
  return (pino.levels.values[level] ?? 0) <= pino.levels.values.info;
}

/** The line of one answered request, on either adapter; health probes are left out. */
export function logRequestLine(
  logger: Pick<Logger, 'info'>,
  request: { id: string; url: string; originalUrl?: string },
  reply: { statusCode: number },
  elapsedMs: number,
): void {
  if ((request.originalUrl ?? request.url).startsWith('/health')) return;
  logger.info(
    { reqId: request.id, req: request, res: reply, responseTime: Math.round(elapsedMs) },
    'request completed',
  );
}

/** One line per request, after the answer; health probes are left out. */
export function logRequests(instance: FastifyInstance): void {
  // Above `info` there is no request line to write: no hook for every answer to run.
  if (!logsRequests(instance.log.level)) return;
  instance.addHook('onResponse', (request, reply, done) => {
    logRequestLine(request.log, request, reply, reply.elapsedTime);
    done();
  });
}

/** Nest's logger interface over the same pino instance. */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.write(context && START_UP_CONTEXTS.has(context) ? 'debug' : 'info', message, context);
  }
  error(message: unknown, stackOrContext?: string, context?: string): void {
    const [stack, ctx] =
      context === undefined ? [undefined, stackOrContext] : [stackOrContext, context];
    this.write('error', message, ctx, stack);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  private write(level: pino.Level, message: unknown, context?: string, stack?: string): void {
    if (message instanceof Error) {
      this.logger[level]({ context, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ context, ...message });
    } else {
      this.logger[level]({ context, ...(stack ? { stack } : {}) }, String(message));
    }
  }
}
