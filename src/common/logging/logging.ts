import type { Writable } from 'node:stream';
import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import pino, { type Logger } from 'pino';
import { currentRequestId } from './request-id';

/** Where pino keeps a child logger's bindings (Fastify's request logger binds `reqId`). */
const BINDINGS = pino.symbols.chindingsSym;

/** Query parameters that carry credentials (the hijack link's `token`, allauth's `key`). */
const SECRET_QUERY_PARAMETERS = /([?&](?:token|key|access|refresh|password|code)=)[^&#]*/gi;

/** A URL as it may appear in a log line: credential query values replaced. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY_PARAMETERS, '$1[Redacted]');
}

/**
 * The JSON logger of the whole app (Fastify's and Nest's lines alike). Request
 * lines hold method, redacted URL, status and time — never headers or bodies;
 * the redact paths guard any object that carries them by mistake.
 */
export function createLogger(level: string, stream?: Writable): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'gatehouse' },
    // Lines written during a request (Nest's loggers too) carry its id, once.
    mixin: (_object, _level, logger) => {
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
    serializers: {
      req: (req: FastifyRequest) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
        remoteAddress: req.ip,
      }),
      res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
      err: pino.stdSerializers.err,
    },
  };
  return stream ? pino(options, stream) : pino(options);
}

/** One line per request, after the answer; health probes are left out. */
export function logRequests(instance: FastifyInstance): void {
  instance.addHook('onResponse', (request, reply, done) => {
    if (!request.url.startsWith('/health')) {
      request.log.info(
        { req: request, res: reply, responseTime: Math.round(reply.elapsedTime) },
        'request completed',
      );
    }
    done();
  });
}

/** Nest's logger interface over the same pino instance. */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
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
