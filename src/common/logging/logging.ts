import type { IncomingMessage } from 'node:http';
import type { Writable } from 'node:stream';
import type { Params } from 'nestjs-pino';

/** Query parameters that carry credentials (the hijack link's `token`, allauth's `key`). */
const SECRET_QUERY_PARAMETERS = /([?&](?:token|key|access|refresh|password|code)=)[^&#]*/gi;

/** A URL as it may appear in a log line: credential query values replaced. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY_PARAMETERS, '$1[Redacted]');
}

/**
 * Structured JSON request logs that never hold a credential: the Authorization
 * and Cookie headers, Set-Cookie, passwords and secret query values are redacted.
 */
export function loggerParams(level: string, stream?: Writable): Params {
  const options = {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrftoken"]',
        'res.headers["set-cookie"]',
        'req.body.password',
        'req.body.password1',
        'req.body.password2',
        'req.body.new_password1',
        'req.body.new_password2',
        'req.body.old_password',
        'req.query.token',
        'req.query.key',
      ],
      censor: '[Redacted]',
    },
    serializers: {
      req: (req: { url?: string } & Record<string, unknown>) => ({
        ...req,
        url: redactUrl(req.url ?? ''),
      }),
    },
    // Health probes are frequent and say nothing new.
    autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
  };
  return { pinoHttp: stream ? [options, stream] : options };
}
