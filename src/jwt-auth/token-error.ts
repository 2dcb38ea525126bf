import { DomainError } from '../problems/domain.errors';

/** SimpleJWT's answer to a bad token on refresh/verify, as documented in the seeds. */
export const INVALID_TOKEN_BODY = {
  detail: 'Token is invalid or expired',
  code: 'token_not_valid',
} as const;

/** SimpleJWT's answer to wrong credentials, or an unknown or inactive user. */
export const NO_ACTIVE_ACCOUNT_BODY = {
  detail: 'No active account found with the given credentials',
} as const;

/** The token seed 004's examples show (a shortened JWT). */
export const SEED_004_TOKEN = 'eyJ0eXAiOi.JKV1QiLCJhbGc.iOiJIUzI1N';

/** Why a token was refused, with SimpleJWT's message and code (a domain error: SimpleJWT's wording is the reason). */
export class TokenError extends DomainError {
  constructor(
    message: TokenErrorMessage,
    readonly code: 'token_not_valid' | 'no_active_account' = 'token_not_valid',
  ) {
    super(message);
  }
}

export type TokenErrorMessage =
  | 'Token is invalid or expired'
  | 'Token has wrong type'
  | 'Token has no type'
  | 'Token has no id'
  | "Token has no 'exp' claim"
  | 'Token is blacklisted'
  | 'No active account found for the given token.';
