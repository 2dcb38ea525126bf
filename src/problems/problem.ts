/** Seconds a client is told to wait (`Retry-After`) while the database is unavailable. */
export const UNAVAILABLE_RETRY_AFTER = '5';

/** Marks the error our JSON body parser raises, so the filters can tell it apart. */
export class JsonParseError extends Error {
  readonly code = 'GH_JSON_PARSE';
  readonly statusCode = 400;
}

/**
 * A body with more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS, refused by the body
 * parsers before anything reads it (Django's TooManyFieldsSent).
 */
export class TooManyFieldsError extends Error {
  readonly code = 'GH_TOO_MANY_FIELDS';
  readonly statusCode = 400;

  constructor(readonly limit: number) {
    super(`The request body has more than ${limit} fields`);
  }
}

/** One line for the log: the error's message, never its stack (an outage is not a bug). */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
