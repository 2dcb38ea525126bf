import { HttpStatus } from '@nestjs/common';
import {
  AuthenticationFailed,
  CsrfFailed,
  type DomainError,
  FieldErrors,
  LoginRefused,
  MfaCodeRejected,
  MfaPasswordRejected,
  MfaStateConflict,
  MfaUnavailable,
  NON_FIELD,
  NotFoundError,
  PermissionDeniedError,
  TooManyAttempts,
} from '../problems/domain.errors';
import {
  MFA_REQUIRED_DRF,
  MFA_REQUIRED_FASTAPI,
  MfaRequired,
  SECOND_FACTOR_REFUSED_DRF,
  SECOND_FACTOR_REFUSED_FASTAPI,
  SecondFactorRefused,
} from '../problems/login-challenge.errors';
import { DRF_MESSAGES, DrfException } from '../problems/drf.exception';
import { FASTAPI_REASONS, FastApiException } from '../problems/fastapi.exception';

/** An MFA step that does not fit the user's state, in DRF's words (a `non_field_errors` entry). */
const DRF_MFA_STATE: Record<MfaStateConflict['expected'], string> = {
  pending: 'No TOTP enrolment is pending.',
  enabled: 'Multi-factor authentication is already enabled.',
  disabled: 'Multi-factor authentication is not enabled.',
};
/** fastapi-users' style: an ErrorCode string as the 400's detail. */
const FASTAPI_MFA_STATE: Record<MfaStateConflict['expected'], string> = {
  pending: 'MFA_NOT_PENDING',
  enabled: 'MFA_ALREADY_ENABLED',
  disabled: 'MFA_NOT_ENABLED',
};

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
  // Every DRF login surface answers the second factor alike (none of the libraries has one).
  if (error instanceof MfaRequired) {
    return new DrfException(HttpStatus.UNAUTHORIZED, {
      ...MFA_REQUIRED_DRF,
      mfa_token: error.mfaToken,
    });
  }
  if (error instanceof SecondFactorRefused) {
    return new DrfException(HttpStatus.UNAUTHORIZED, {
      ...SECOND_FACTOR_REFUSED_DRF[error.reason],
    });
  }
  if (error instanceof TooManyAttempts) {
    return DrfException.detail(429, DRF_MESSAGES.throttled(error.retryAfter), undefined, {
      'Retry-After': String(error.retryAfter),
    });
  }
  if (error instanceof MfaCodeRejected) return DrfException.fields({ code: ['Invalid code.'] });
  if (error instanceof MfaPasswordRejected) {
    return DrfException.fields({ password: ['Invalid password.'] });
  }
  if (error instanceof MfaStateConflict) {
    return DrfException.fields({ [NON_FIELD]: [DRF_MFA_STATE[error.expected]] });
  }
  if (error instanceof MfaUnavailable) return DrfException.detail(503, error.message);
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
  if (error instanceof MfaRequired) {
    return new FastApiException(400, MFA_REQUIRED_FASTAPI, {}, { mfa_token: error.mfaToken });
  }
  if (error instanceof SecondFactorRefused) {
    return new FastApiException(400, SECOND_FACTOR_REFUSED_FASTAPI[error.reason]);
  }
  if (error instanceof NotFoundError) return new FastApiException(404, 'Not Found');
  if (error instanceof TooManyAttempts) {
    return new FastApiException(429, FASTAPI_REASONS[429], {
      'Retry-After': String(error.retryAfter),
    });
  }
  if (error instanceof MfaCodeRejected) return new FastApiException(400, 'MFA_INVALID_CODE');
  if (error instanceof MfaPasswordRejected) {
    return new FastApiException(400, 'MFA_INVALID_PASSWORD');
  }
  if (error instanceof MfaStateConflict) {
    return new FastApiException(400, FASTAPI_MFA_STATE[error.expected]);
  }
  if (error instanceof MfaUnavailable) return new FastApiException(503, error.message);
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
