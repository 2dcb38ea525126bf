import { HttpStatus } from '@nestjs/common';
import {
  AuthenticationFailed,
  CsrfFailed,
  type DomainError,
  FieldErrors,
  LoginRefused,
  NON_FIELD,
  NotFoundError,
  PermissionDeniedError,
} from '../problems/domain.errors';
import { DrfException } from '../problems/drf.exception';
import { FastApiException } from '../problems/fastapi.exception';

/**
 * A domain error as DRF answers it when the surface has no more specific
 * wording: field errors as `{"field": [...]}`, the permission, not-found and
 * authentication answers of DRF's own classes. (A SimpleJWT TokenError is a
 * DomainError whose message and code are SimpleJWT's.)
 */
export function drfAnswer(error: DomainError): DrfException {
  if (error instanceof FieldErrors) return DrfException.fields(error.messages());
  if (error instanceof AuthenticationFailed) {
    const headers = error.challenge ? { 'WWW-Authenticate': error.challenge } : undefined;
    return new DrfException(HttpStatus.UNAUTHORIZED, { ...error.body }, headers);
  }
  if (error instanceof NotFoundError) return DrfException.notFound();
  if (error instanceof PermissionDeniedError) return DrfException.permissionDenied();
  if (error instanceof CsrfFailed) {
    return DrfException.detail(HttpStatus.FORBIDDEN, `CSRF Failed: ${error.reason}`);
  }
  if (error instanceof LoginRefused) {
    return DrfException.fields({ [NON_FIELD]: ['Unable to log in with provided credentials.'] });
  }
  if ('code' in error && typeof error.code === 'string') {
    // SimpleJWT's InvalidToken: `{"detail", "code"}`.
    return DrfException.detail(HttpStatus.UNAUTHORIZED, error.message, error.code);
  }
  return DrfException.detail(HttpStatus.BAD_REQUEST, error.message);
}

/**
 * A domain error as FastAPI (with fastapi-users) answers it when the surface has
 * no more specific wording: Starlette's bare 401/403/404, fastapi-users' login
 * codes, and field errors as FastAPI's 422 validation body.
 */
export function fastApiAnswer(error: DomainError): FastApiException {
  if (error instanceof LoginRefused) {
    return new FastApiException(
      400,
      error.reason === 'unverified' ? 'LOGIN_USER_NOT_VERIFIED' : 'LOGIN_BAD_CREDENTIALS',
    );
  }
  if (error instanceof NotFoundError) return new FastApiException(404, 'Not Found');
  if (error instanceof PermissionDeniedError || error instanceof CsrfFailed) {
    return new FastApiException(403, 'Forbidden');
  }
  if (error instanceof FieldErrors) {
    // What fastapi-users words with an ErrorCode, its surface maps; the rest is a validation error.
    return FastApiException.validation(
      Object.entries(error.fields).flatMap(([field, problems]) =>
        problems.map((p) => ({ type: p.code, loc: ['body', field], msg: p.message, input: null })),
      ),
    );
  }
  return new FastApiException(401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer' });
}
