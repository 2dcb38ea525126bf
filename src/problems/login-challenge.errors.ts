import { DomainError } from './domain.errors';

/**
 * The first factor was right and the account has multi-factor login on: the
 * login answers this challenge instead of credentials. The client sends the
 * `mfaToken` back to the same endpoint with a code (DESIGN.md "Multi-factor login").
 */
export class MfaRequired extends DomainError {
  constructor(readonly mfaToken: string) {
    // The token stays out of the message: messages reach logs.
    super('multi-factor authentication required');
  }
}

/**
 * Why a login's second step was refused: a wrong (or replayed) code, or an
 * `mfa_token` that is unknown, expired, used, worn out by wrong codes or of another surface.
 */
export type SecondFactorRefusal = 'invalid_code' | 'token_invalid';

export class SecondFactorRefused extends DomainError {
  constructor(readonly reason: SecondFactorRefusal) {
    super(`second factor refused: ${reason}`);
  }
}

/** DRF's words for the challenge and the refusals (every DRF surface says them alike). */
export const MFA_REQUIRED_DRF = {
  detail: 'Multi-factor authentication required.',
  code: 'mfa_required',
} as const;
export const SECOND_FACTOR_REFUSED_DRF: Record<
  SecondFactorRefusal,
  { detail: string; code: string }
> = {
  invalid_code: { detail: 'Invalid multi-factor code.', code: 'mfa_invalid_code' },
  token_invalid: { detail: 'Multi-factor token is invalid or expired.', code: 'mfa_token_invalid' },
};

/** fastapi-users-style ErrorCodes of the same (fastapi-users has no second factor: ours). */
export const MFA_REQUIRED_FASTAPI = 'LOGIN_MFA_REQUIRED';
export const SECOND_FACTOR_REFUSED_FASTAPI: Record<SecondFactorRefusal, string> = {
  invalid_code: 'LOGIN_MFA_BAD_CODE',
  token_invalid: 'LOGIN_MFA_TOKEN_INVALID',
};
