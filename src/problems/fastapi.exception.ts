import { HttpException } from '@nestjs/common';

/** One item of FastAPI/pydantic 2's 422 body. */
export interface FastApiValidationItem {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

/**
 * An error already in FastAPI's wire format: `{"detail": …}` with the given status
 * (and, after `detail`, the fields of `extra`: the multi-factor challenge's `mfa_token`).
 */
export class FastApiException extends HttpException {
  constructor(
    status: number,
    readonly detail: unknown,
    readonly headers: Record<string, string> = {},
    readonly extra?: Readonly<Record<string, unknown>>,
  ) {
    super({ detail, ...extra }, status);
  }

  static validation(items: FastApiValidationItem[]): FastApiException {
    return new FastApiException(422, items);
  }
}

/** Starlette's reason phrases, which FastAPI sends as `detail` for bare HTTP errors. */
export const FASTAPI_REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Request Entity Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
