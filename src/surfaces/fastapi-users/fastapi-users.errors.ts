import { FieldErrors } from '../../problems/domain.errors';
import type { SurfaceErrorMapper } from '../../dialects/surface-errors';
import { FastApiException } from '../../problems/fastapi.exception';

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

/** The codes that carry the validators' messages as their `reason`. */
const WITH_REASON = new Set<FastapiUsersErrorCode>([
  FastapiUsersErrorCode.REGISTER_INVALID_PASSWORD,
  FastapiUsersErrorCode.RESET_PASSWORD_INVALID_PASSWORD,
  FastapiUsersErrorCode.UPDATE_USER_INVALID_PASSWORD,
]);

/**
 * How one fastapi-users router words field errors: its ErrorCode for each
 * `field:code` it can meet (the same rule has a different code per router).
 */
export function fastapiUsersErrors(
  codes: Readonly<Record<string, FastapiUsersErrorCode>>,
): SurfaceErrorMapper {
  return (error) => {
    if (!(error instanceof FieldErrors)) return undefined;
    for (const [field, problems] of Object.entries(error.fields)) {
      const code = codes[`${field}:${problems[0]?.code}`];
      if (code === undefined) continue;
      const reason = WITH_REASON.has(code) ? problems.map((p) => p.message).join(' ') : undefined;
      return fastapiUsersError(code, reason);
    }
    return undefined;
  };
}
