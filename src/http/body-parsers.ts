import type { IncomingMessage } from 'node:http';
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import { type Dialect, routeDialect } from './route-config';
import { JsonParseError, TooManyFieldsError } from '../problems/problem';
import { countFormFields, parseJson } from './body-fields';
import { hostFastify } from './host-fastify';
import { readMultipartForm } from './multipart-form';

/** What the parsers bound: bytes (BODY_LIMIT) and fields (DATA_UPLOAD_MAX_NUMBER_FIELDS). */
export interface BodyLimits {
  bytes: number;
  fields: number;
}

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
 *
 * On every route, a JSON, urlencoded or multipart body of more than `limits.fields`
 * fields is refused while it is parsed (TooManyFieldsError), before any guard,
 * pipe or handler sees it: as Django refuses more than DATA_UPLOAD_MAX_NUMBER_FIELDS.
 */
export function registerBodyParsers(instance: FastifyInstance, limits: BodyLimits): void {
  const { bytes: bodyLimit, fields: maxFields } = limits;
  instance.removeAllContentTypeParsers();
  // Fastify tests this against the lower-cased media type *with* its parameters
  // (`application/json; charset="utf-8"`): a parameter must not make JSON a 415.
  instance.addContentTypeParser(
    /^application\/([\w.+-]+\+)?json(;|$)/,
    { parseAs: 'string', bodyLimit },
    (request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      try {
        if (routeDialect(request) === 'fastapi') return done(null, fastApiJson(text, maxFields));
        if (text.trim() === '') return done(null, {});
        done(null, parseJson(text, maxFields));
      } catch (error) {
        done(
          error instanceof TooManyFieldsError
            ? error
            : new JsonParseError((error as Error).message),
          undefined,
        );
      }
    },
  );
  // A field sent twice reads as its last value, as Django's QueryDict (and Starlette's FormData) does.
  instance.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit },
    (request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (countFormFields(text) > maxFields)
        return done(new TooManyFieldsError(maxFields), undefined);
      // FastAPI decides by the route whether this is a form or bytes: keep the text.
      if (routeDialect(request) === 'fastapi') return done(null, new RawBody(text));
      done(null, parseForm(text));
    },
  );
  // Read here rather than by @fastify/multipart, whose three async hooks ran on
  // every request, with a body or not (in `npm run bench`, 8 of a who-am-I's promises).
  const multipartLimits = { bodySize: bodyLimit, files: 5, fields: maxFields };
  instance.addContentTypeParser('multipart/form-data', (request, payload, done) => {
    readMultipartForm(request.headers, payload, multipartLimits).then(
      (form) => done(null, form),
      (error: Error) => done(error, undefined),
    );
  });
  // Every other media type (or none): a 415 on DRF routes (the body left unread, as
  // before this parser existed), the raw text on FastAPI ones.
  instance.addContentTypeParser('*', (request: FastifyRequest, payload, done) => {
    if (request.is404) return done(null, undefined);
    if (routeDialect(request) !== 'fastapi') {
      return done(new (hostFastify().errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE)(), undefined);
    }
    readText(payload, bodyLimit)
      // FastAPI decodes a body that names no media type as JSON.
      .then((text) =>
        request.headers['content-type'] === undefined
          ? fastApiJson(text, maxFields)
          : new RawBody(text),
      )
      .then(
        (body) => done(null, body),
        (error: Error) => done(error, undefined),
      );
  });
}

/** Methods whose body the parsers read (Fastify's; a GET's or HEAD's body is ignored). */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The same parsers as registerBodyParsers, for an adapter that leaves the body to
 * Gatehouse (Express): the body of a request to a route in `dialect`, read as
 * Fastify would hand it to the route (undefined when there is none), or the
 * error Fastify's parser would raise.
 */
export async function readBody(
  raw: IncomingMessage,
  dialect: Dialect,
  limits: BodyLimits,
): Promise<unknown> {
  const { bytes: bodyLimit, fields: maxFields } = limits;
  const method = raw.method ?? 'GET';
  if (!BODY_METHODS.has(method)) return undefined;
  const contentType = raw.headers['content-type'];
  const hasBody =
    raw.headers['transfer-encoding'] !== undefined ||
    (raw.headers['content-length'] !== undefined && raw.headers['content-length'] !== '0');
  if (contentType === undefined && !hasBody) return undefined;
  const declared = Number(raw.headers['content-length']);
  if (Number.isFinite(declared) && declared > bodyLimit) {
    throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
  }
  const type = (contentType ?? '').toLowerCase();
  if (contentType !== undefined && /^application\/([\w.+-]+\+)?json(;|$)/.test(type)) {
    const text = await readText(raw, bodyLimit);
    try {
      if (dialect === 'fastapi') return fastApiJson(text, maxFields);
      if (text.trim() === '') return {};
      return parseJson(text, maxFields);
    } catch (error) {
      if (error instanceof TooManyFieldsError) throw error;
      throw new JsonParseError((error as Error).message);
    }
  }
  if (/^application\/x-www-form-urlencoded(;|$)/.test(type)) {
    const text = await readText(raw, bodyLimit);
    if (countFormFields(text) > maxFields) throw new TooManyFieldsError(maxFields);
    return dialect === 'fastapi' ? new RawBody(text) : parseForm(text);
  }
  if (/^multipart\/form-data(;|$)/.test(type)) {
    return readMultipartForm(raw.headers, raw, {
      bodySize: bodyLimit,
      files: 5,
      fields: maxFields,
    });
  }
  if (dialect !== 'fastapi') throw new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE();
  const text = await readText(raw, bodyLimit);
  return contentType === undefined ? fastApiJson(text, maxFields) : new RawBody(text);
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
        reject(new (hostFastify().errorCodes.FST_ERR_CTP_BODY_TOO_LARGE)());
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

/**
 * JSON as FastAPI decodes it: nothing for an empty body, a RawBody when it does not
 * parse. Too many fields is no decoding error: it throws.
 */
function fastApiJson(text: string, maxFields: number): unknown {
  if (text === '') return undefined;
  try {
    return parseJson(text, maxFields);
  } catch (error) {
    if (error instanceof TooManyFieldsError) throw error;
    const message = (error as Error).message;
    const position = Number(/at position (\d+)/.exec(message)?.[1] ?? 0);
    return new RawBody(text, { message, position });
  }
}
