import { FastApiException } from '../../common/errors/fastapi.exception';

/** fastapi-users' ErrorCode values, which its routers send as `{"detail": CODE}` with 400. */
export const FastapiUsersErrorCode = {
  REGISTER_INVALID_PASSWORD: 'REGISTER_INVALID_PASSWORD',
  REGISTER_USER_ALREADY_EXISTS: 'REGISTER_USER_ALREADY_EXISTS',
  LOGIN_BAD_CREDENTIALS: 'LOGIN_BAD_CREDENTIALS',
  LOGIN_USER_NOT_VERIFIED: 'LOGIN_USER_NOT_VERIFIED',
  RESET_PASSWORD_BAD_TOKEN: 'RESET_PASSWORD_BAD_TOKEN',
  RESET_PASSWORD_INVALID_PASSWORD: 'RESET_PASSWORD_INVALID_PASSWORD',
  VERIFY_USER_BAD_TOKEN: 'VERIFY_USER_BAD_TOKEN',
  VERIFY_USER_ALREADY_VERIFIED: 'VERIFY_USER_ALREADY_VERIFIED',
  UPDATE_USER_EMAIL_ALREADY_EXISTS: 'UPDATE_USER_EMAIL_ALREADY_EXISTS',
  UPDATE_USER_INVALID_PASSWORD: 'UPDATE_USER_INVALID_PASSWORD',
} as const;
export type FastapiUsersErrorCode =
  (typeof FastapiUsersErrorCode)[keyof typeof FastapiUsersErrorCode];

/**
 * A fastapi-users 400: `{"detail": "CODE"}`, or `{"detail": {"code", "reason"}}`
 * for the invalid-password codes.
 */
export function fastapiUsersError(code: FastapiUsersErrorCode, reason?: string): FastApiException {
  return new FastApiException(400, reason === undefined ? code : { code, reason });
}

/** Starlette's bare 403 and 404, as fastapi-users raises them. */
export const forbidden = () => new FastApiException(403, 'Forbidden');
export const notFound = () => new FastApiException(404, 'Not Found');
