import { HttpException, HttpStatus } from '@nestjs/common';

export type DrfBody = Record<string, unknown> | unknown[];

/**
 * An error already in DRF's wire format: the body is sent as it is, with the
 * given headers (`WWW-Authenticate`, `Allow`, `Retry-After`).
 */
export class DrfException extends HttpException {
  constructor(
    status: number,
    /** Undefined: no body at all (djoser's bare `Response(status=400)`). */
    readonly body: DrfBody | undefined,
    readonly headers: Record<string, string> = {},
  ) {
    super(body ?? {}, status);
  }

  /** `{"detail": "..."}`, plus SimpleJWT's `code` when given. */
  static detail(
    status: number,
    detail: string,
    code?: string,
    headers?: Record<string, string>,
  ): DrfException {
    return new DrfException(status, code ? { detail, code } : { detail }, headers);
  }

  /** `{"field": ["message", ...], "non_field_errors": [...]}` with 400. */
  static fields(errors: Record<string, string[]>): DrfException {
    return new DrfException(HttpStatus.BAD_REQUEST, errors);
  }

  static nonField(...messages: string[]): DrfException {
    return DrfException.fields({ non_field_errors: messages });
  }

  static notFound(): DrfException {
    return DrfException.detail(HttpStatus.NOT_FOUND, DRF_MESSAGES.notFound);
  }

  static permissionDenied(): DrfException {
    return DrfException.detail(HttpStatus.FORBIDDEN, DRF_MESSAGES.permissionDenied);
  }
}

/** DRF's own strings, to the character. */
export const DRF_MESSAGES = {
  notAuthenticated: 'Authentication credentials were not provided.',
  permissionDenied: 'You do not have permission to perform this action.',
  notFound: 'Not found.',
  methodNotAllowed: (method: string) => `Method "${method}" not allowed.`,
  unsupportedMediaType: (type: string) => `Unsupported media type "${type}" in request.`,
  parseError: (message: string) => `JSON parse error - ${message}`,
  malformed: 'Malformed request.',
  /** Django sends no body of its own for TooManyFieldsSent; this says what it logs. */
  tooManyFields: (limit: number) =>
    `The number of fields in the request body exceeded DATA_UPLOAD_MAX_NUMBER_FIELDS (${limit}).`,
  tooLarge: 'Request body is too large.',
  serverError: 'A server error occurred.',
  serviceUnavailable: 'Service temporarily unavailable, try again later.',
  notAcceptable: 'Could not satisfy the request Accept header.',
  throttled: (seconds: number) =>
    `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.`,
} as const;
