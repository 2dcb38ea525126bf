import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import Busboy from '@fastify/busboy';
import { TooManyFieldsError } from '../problems/problem';
import { type CountedJson, readJson } from './body-fields';

/** A multipart body the client got wrong: a 400, or a 413 past a limit (see dialects/classify.ts). */
export class MultipartBodyError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly statusCode: 400 | 413,
  ) {
    super(message);
  }
}

export interface MultipartLimits {
  /** Bytes of the whole body (BODY_LIMIT, as for every other body), hence of any part. */
  bodySize: number;
  files: number;
  /**
   * Fields (DATA_UPLOAD_MAX_NUMBER_FIELDS): each non-file part, and each field
   * inside a part declared `application/json`. Files are counted by `files`.
   */
  fields: number;
}

/** A field's text, a file's bytes, a JSON part's value, or a list of them. */
type FormValue = unknown;

/**
 * A `multipart/form-data` body as DRF's MultiPartParser hands it to a serializer:
 * `{name: value}`, a name sent twice as a list of its values, a file as its bytes
 * (nothing is written to disk), a part declared `application/json` as its JSON.
 * An empty body is an empty form. Read in the content-type parser, so a request
 * without a multipart body pays nothing for multipart support.
 */
export function readMultipartForm(
  headers: IncomingHttpHeaders,
  body: Readable,
  limits: MultipartLimits,
): Promise<Record<string, FormValue>> {
  return new Promise((resolve, reject) => {
    const form: Record<string, FormValue> = {};
    let pendingFiles = 0;
    let finished = false;
    let settled = false;
    let sawData = false;
    let fields = 0;

    const fail = (error: MultipartBodyError | TooManyFieldsError): void => {
      if (settled) return;
      settled = true;
      body.unpipe(busboy);
      // Leave the body readable: the answer still has to reach the client.
      body.resume();
      reject(error);
    };
    const succeed = (): void => {
      if (settled || !finished || pendingFiles > 0) return;
      settled = true;
      resolve(form);
    };
    const add = (name: string, value: FormValue): void => {
      const held = form[name];
      if (held === undefined) form[name] = value;
      else if (Array.isArray(held)) held.push(value);
      else form[name] = [held, value];
    };
    // A name such as `__proto__` or `constructor` never becomes a key of the form.
    const forbidden = (name: string): boolean => name in Object.prototype;
    const tooLarge = (code: string, message: string) =>
      fail(new MultipartBodyError(message, code, 413));
    const malformed = (message: string) =>
      fail(new MultipartBodyError(message, 'GH_MULTIPART', 400));
    const tooManyFields = () => fail(new TooManyFieldsError(limits.fields));

    let busboy: InstanceType<typeof Busboy>;
    try {
      busboy = new Busboy({
        headers: headers as ConstructorParameters<typeof Busboy>[0]['headers'],
        limits: {
          fieldSize: limits.bodySize,
          fileSize: limits.bodySize,
          files: limits.files,
          fields: limits.fields,
          parts: limits.fields + limits.files,
        },
      });
    } catch (error) {
      // "Multipart: Boundary not found", an unsupported Content-Type…
      body.resume();
      reject(new MultipartBodyError((error as Error).message, 'GH_MULTIPART', 400));
      return;
    }

    busboy.on('field', (name, value, _nameTruncated, valueTruncated, _encoding, mimeType) => {
      if (forbidden(name)) return malformed(`"${name}" is not allowed as a field name`);
      if (++fields > limits.fields) return tooManyFields();
      if (!/^application\/json/i.test(mimeType)) return add(name, value);
      if (valueTruncated) return malformed(`field "${name}" is not valid JSON`);
      let json: CountedJson;
      try {
        json = readJson(value, limits.fields - fields);
      } catch (error) {
        if (error instanceof TooManyFieldsError) return tooManyFields();
        return malformed(`field "${name}" is not valid JSON`);
      }
      fields += json.fields;
      add(name, json.value);
    });
    busboy.on('file', (name, file) => {
      if (forbidden(name)) {
        file.resume();
        return malformed(`"${name}" is not allowed as a field name`);
      }
      pendingFiles++;
      const chunks: Buffer[] = [];
      file.on('data', (chunk: Buffer) => chunks.push(chunk));
      file.on('limit', () => tooLarge('FST_REQ_FILE_TOO_LARGE', 'request file too large'));
      file.on('error', (error: Error) => malformed(error.message));
      file.on('end', () => {
        pendingFiles--;
        add(name, Buffer.concat(chunks));
        succeed();
      });
    });
    busboy.on('partsLimit', () => tooLarge('FST_PARTS_LIMIT', 'reach parts limit'));
    busboy.on('filesLimit', () => tooLarge('FST_FILES_LIMIT', 'reach files limit'));
    busboy.on('fieldsLimit', tooManyFields);
    busboy.on('error', (error: Error) => {
      // An empty body is an empty form, not truncated multipart data.
      if (!sawData && error.message === 'Unexpected end of multipart data') {
        finished = true;
        return succeed();
      }
      malformed(error.message);
    });
    busboy.on('finish', () => {
      finished = true;
      succeed();
    });
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      sawData = true;
      size += chunk.length;
      // Every part within its limit still makes no body larger than BODY_LIMIT.
      if (size > limits.bodySize && !settled)
        tooLarge('FST_ERR_CTP_BODY_TOO_LARGE', 'request body is too large');
    });
    body.on('error', (error: Error) => malformed(error.message));
    body.on('aborted', () => malformed('the request was closed before the body was read'));
    body.pipe(busboy);
  });
}
