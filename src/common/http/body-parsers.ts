import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import { routeDialect } from '../errors/dialect.decorators';
import { JsonParseError } from '../errors/problem';
import { readMultipartForm } from './multipart-form';

/**
 * Deeper JSON is refused as unparsable: nothing Gatehouse reads nests beyond a few
 * levels, and transforming and validating a deeper body recurses once per level.
 */
export const MAX_JSON_DEPTH = 64;

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
export function registerBodyParsers(instance: FastifyInstance, bodyLimit: number): void {
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
        done(null, parseJson(text));
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
  // Read here rather than by @fastify/multipart, whose three async hooks ran on
  // every request, with a body or not (in `npm run bench`, 8 of a who-am-I's promises).
  const limits = { bodySize: bodyLimit, files: 5, fields: 100, parts: 105 };
  instance.addContentTypeParser('multipart/form-data', (request, payload, done) => {
    readMultipartForm(request.headers, payload, limits, parseJson).then(
      (form) => done(null, form),
      (error: Error) => done(error, undefined),
    );
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

/**
 * A request body as text, refused past `limit` bytes as Fastify's own parsers do.
 * The stream is left open (not destroyed) so the answer can still reach the client.
 */
function readText(stream: NodeJS.ReadableStream, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
    };
    const onData = (chunk: Buffer | string): void => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > limit) {
        stop();
        reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
        return;
      }
      chunks.push(buffer);
    };
    const onEnd = (): void => {
      stop();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (error: Error): void => {
      stop();
      reject(error);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

/** An urlencoded form as an object; a field sent twice reads as its last value. */
export function parseForm(text: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(text));
}

/** JSON as FastAPI decodes it: nothing for an empty body, a RawBody when it does not parse. */
function fastApiJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return parseJson(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = Number(/at position (\d+)/.exec(message)?.[1] ?? 0);
    return new RawBody(text, { message, position });
  }
}

/** JSON.parse, refusing nesting deeper than MAX_JSON_DEPTH with a parser-style message. */
export function parseJson(text: string): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) {
        throw new SyntaxError(
          `Maximum nesting depth of ${MAX_JSON_DEPTH} exceeded at position ${i}`,
        );
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return JSON.parse(text);
}
