import multipart from '@fastify/multipart';
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import { routeDialect } from '../errors/dialect.decorators';
import { JsonParseError } from '../errors/problem';

/**
 * A body as FastAPI holds it before validation when it is not JSON it could
 * decode: the raw text of a non-JSON media type (FastAPI keeps those as bytes,
 * and reads an urlencoded one as form fields only on a form route), or JSON that
 * failed to decode, with the parser's complaint.
 */
export class RawBody {
  constructor(
    readonly text: string,
    readonly jsonError?: { message: string; position: number },
  ) {}
}

/**
 * The body formats DRF's default parsers accept: JSON, form-urlencoded and
 * multipart (fields only; files stay buffers). Anything else with a body is a 415.
 * An empty JSON body is `{}`, as DRF reads it, so field errors say what is missing.
 *
 * Routes in FastAPI's dialect read bodies as FastAPI does instead: any media type
 * is let through (a form route then sees no fields, a JSON route undecoded bytes),
 * an empty body is no body, and undecodable JSON reaches the route's validation
 * (a form route ignores it; others answer FastAPI's 422 `json_invalid`).
 */
export async function registerBodyParsers(
  instance: FastifyInstance,
  bodyLimit: number,
): Promise<void> {
  instance.removeAllContentTypeParsers();
  // Fastify tests this against the lower-cased media type *with* its parameters
  // (`application/json; charset="utf-8"`): a parameter must not make JSON a 415.
  instance.addContentTypeParser(
    /^application\/([\w.+-]+\+)?json(;|$)/,
    { parseAs: 'string', bodyLimit },
    (request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (routeDialect(request) === 'fastapi') return done(null, fastApiJson(text));
      if (text.trim() === '') return done(null, {});
      try {
        done(null, JSON.parse(text));
      } catch (error) {
        done(new JsonParseError((error as Error).message), undefined);
      }
    },
  );
  // A field sent twice reads as its last value, as Django's QueryDict (and Starlette's FormData) does.
  instance.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit },
    (request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      // FastAPI decides by the route whether this is a form or bytes: keep the text.
      if (routeDialect(request) === 'fastapi') return done(null, new RawBody(text));
      done(null, parseForm(text));
    },
  );
  await instance.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fieldSize: bodyLimit, fileSize: bodyLimit, files: 5, fields: 100, parts: 105 },
  });
  // Every other media type (or none): a 415 on DRF routes (the body left unread, as
  // before this parser existed), the raw text on FastAPI ones.
  instance.addContentTypeParser('*', (request: FastifyRequest, payload, done) => {
    if (request.is404) return done(null, undefined);
    if (routeDialect(request) !== 'fastapi') {
      return done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(), undefined);
    }
    readText(payload, bodyLimit).then(
      // FastAPI decodes a body that names no media type as JSON.
      (text) =>
        done(
          null,
          request.headers['content-type'] === undefined ? fastApiJson(text) : new RawBody(text),
        ),
      (error: Error) => done(error, undefined),
    );
  });
}

/** A request body as text, refused past `limit` bytes as Fastify's own parsers do. */
async function readText(stream: AsyncIterable<Buffer | string>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > limit) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** An urlencoded form as an object; a field sent twice reads as its last value. */
export function parseForm(text: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(text));
}

/** JSON as FastAPI decodes it: nothing for an empty body, a RawBody when it does not parse. */
function fastApiJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = Number(/at position (\d+)/.exec(message)?.[1] ?? 0);
    return new RawBody(text, { message, position });
  }
}
