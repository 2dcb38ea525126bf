import { applyDecorators, SetMetadata } from '@nestjs/common';
import type { GatehouseConfig, ThrottleRate } from '../config/gatehouse-config';
import type { ThrottleIdentity } from './client-identity';

/**
 * What a throttled endpoint does, which decides its rates:
 * - `login`: checks a password or a credential (every login, password change, token refresh, hijack);
 * - `mail`: sends a mail (sign-up, password reset request, resend, request-verify-token, forgot-password);
 * - `confirm`: checks a mailed secret (reset confirm, e-mail verification, login-link ticket);
 * - `sessions`: lists or ends the caller's sessions (`<me>/sessions/`), counted per user;
 * - `mfa`: the caller's multi-factor enrolment (`<me>/mfa/`), counted per user.
 */
export type ThrottleScope = 'login' | 'mail' | 'confirm' | 'sessions' | 'mfa';

export const THROTTLE_SCOPE = 'gatehouse:throttle-scope';
export const THROTTLE_IDENTITY = 'gatehouse:throttle-identity';

/**
 * Counts requests to this handler per client address (`<scope>_address`) and per
 * account the request names from that address (`<scope>`) — the account is what
 * `identity` says the handler reads, never another field of the request — with the
 * rates of DEFAULT_THROTTLE_RATES; mail is counted per account across addresses
 * too (`mail_account`). Scopes, not handlers, share a count: five login endpoints
 * do not give five times the attempts.
 */
export const Throttled = (
  scope: ThrottleScope,
  identity: ThrottleIdentity,
): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(THROTTLE_SCOPE, scope), SetMetadata(THROTTLE_IDENTITY, identity));

/**
 * Scopes also counted per account across every address (`<scope>_account`): a
 * mailbox must not get a flood of mails from many addresses. Never `login`: a
 * count across addresses would let an attacker lock the owner out.
 */
export const COUNTED_ACROSS_ADDRESSES: ReadonlySet<ThrottleScope> = new Set(['mail']);

/**
 * Defaults, for an owner typing a password wrong a few times (ASVS 5.0 §6.3.1:
 * no more than 100 failed attempts per hour on one account); one address gets
 * more, to leave room for a shared office or mobile carrier address.
 */
export const DEFAULT_THROTTLE_RATES: Record<string, ThrottleRate> = {
  login: { limit: 10, seconds: 60 },
  login_address: { limit: 60, seconds: 60 },
  mail: { limit: 5, seconds: 3600 },
  mail_address: { limit: 50, seconds: 3600 },
  mail_account: { limit: 10, seconds: 3600 },
  confirm: { limit: 10, seconds: 60 },
  confirm_address: { limit: 60, seconds: 60 },
  // A devices page polls and ends sessions now and then; a script ending them in a loop is stopped.
  sessions: { limit: 30, seconds: 60 },
  sessions_address: { limit: 120, seconds: 60 },
  // `<me>/mfa/` requests, per user; wrong second-factor codes (at enrolment or
  // login) are counted apart, per account from an address: a 6-digit code must
  // not be guessable, yet an attacker elsewhere must not lock its owner out.
  mfa: { limit: 30, seconds: 60 },
  mfa_address: { limit: 120, seconds: 60 },
  mfa_code: { limit: 5, seconds: 60 },
  mfa_code_address: { limit: 30, seconds: 60 },
};

/** The rate of a scope (`login`), of its per-address count (`login_address`) or of its count across addresses (`mail_account`). */
export function throttleRate(config: GatehouseConfig, name: string): ThrottleRate {
  return config.throttleRates?.[name] ?? DEFAULT_THROTTLE_RATES[name];
}
