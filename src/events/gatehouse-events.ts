/**
 * Lifecycle events Gatehouse emits through `@nestjs/event-emitter`, for audit
 * logs, analytics or side effects in a consumer's own code (`@OnEvent(...)`).
 * Payloads name the user and the circumstances, never a password or a token.
 */
export const GatehouseEvent = {
  userRegistered: 'user.registered',
  userLoggedIn: 'user.logged_in',
  userLoginFailed: 'user.login_failed',
  userLoggedOut: 'user.logged_out',
  passwordChanged: 'user.password_changed',
  passwordResetRequested: 'user.password_reset_requested',
  emailVerified: 'user.email_verified',
  tokenRevoked: 'token.revoked',
  tokenRefreshed: 'token.refreshed',
  tokenRefreshFailed: 'token.refresh_failed',
  tokenKeyCreated: 'token.key_created',
  linkLogin: 'user.link_login',
  loginLinkIssued: 'user.login_link_issued',
  requestThrottled: 'request.throttled',
  legacyImported: 'import.completed',
  userImported: 'user.imported',
  userDeactivated: 'user.deactivated',
  tokenReuseDetected: 'token.reuse_detected',
  sessionsEnded: 'session.ended',
  mfaEnabled: 'mfa.enabled',
  mfaDisabled: 'mfa.disabled',
  mfaChallengeFailed: 'mfa.challenge_failed',
  mfaRecoveryCodeUsed: 'mfa.recovery_code_used',
} as const;

/** The user an event is about. */
export interface UserEventPayload {
  userId: number;
  uuid: string;
  email: string;
}

/** Which surface saw the event: the seed API the client spoke. */
export type Surface = 'djoser' | 'simplejwt' | 'rest-auth' | 'fastapi-users' | 'dashboard';

export interface UserRegisteredEvent extends UserEventPayload {
  surface: Surface;
}

export interface UserLoggedInEvent extends UserEventPayload {
  surface: Surface;
}

/** A refused login. `userId` is set only when the identifier named a real user. */
export interface UserLoginFailedEvent {
  /** The surface, or `scheme:<word>` for a consumer's `Authorization` scheme (`scheme:Basic`). */
  surface: Surface | `scheme:${string}`;
  /** The e-mail or username as typed (never the password). */
  identifier: string;
  reason: 'bad_credentials' | 'inactive' | 'blocked' | 'unverified';
  userId?: number;
}

export interface UserLoggedOutEvent extends UserEventPayload {
  surface: Surface;
}

export interface PasswordChangedEvent extends UserEventPayload {
  /** `change` (the old password given) or `reset` (through a mailed link). */
  via: 'change' | 'reset';
  /**
   * Whether the change logs the user out everywhere, where the surface's library has
   * its own setting for it (djoser's LOGOUT_ON_PASSWORD_CHANGE); else LOGOUT_ON_PASSWORD_CHANGE.
   */
  logout?: boolean;
}

export type PasswordResetRequestedEvent = UserEventPayload;

export type EmailVerifiedEvent = UserEventPayload;

/** A credential stopped working before its time: a Token key revoked, a refresh token blacklisted. */
export interface TokenRevokedEvent {
  userId: number;
  kind: 'token_key' | 'refresh_token';
  /** Why: logout, a password change, an admin action. */
  reason: 'logout' | 'password_changed' | 'admin';
  /** How many credentials were revoked at once. */
  count: number;
}

/** A refresh token exchanged for a new access token. */
export interface TokenRefreshedEvent extends UserEventPayload {
  surface: Surface;
}

/** A refresh token refused: invalid or expired, blacklisted, or its user gone or inactive. */
export interface TokenRefreshFailedEvent {
  surface: Surface;
  reason: 'token_not_valid' | 'blacklisted' | 'no_active_account';
}

/** A Token key minted: at a dj-rest-auth login or sign-up, by `tokens:create`, or by a consumer's code. */
export interface TokenKeyCreatedEvent extends UserEventPayload {
  via?: 'login' | 'registration' | 'cli';
  /** The surface that minted it; none from the CLI. */
  surface?: Surface;
}

/**
 * A dashboard session opened by a link instead of the login form: seed 002's
 * hijack URL (a Token key) or a single-use login-link ticket. A refused link
 * (unknown, revoked, used or expired) names no user.
 */
export interface LinkLoginEvent {
  via: 'hijack' | 'login_link';
  outcome: 'success' | 'failure';
  userId?: number;
}

/** A single-use login link made for a user (`POST /auth/login-link/`); the link itself is never carried. */
export type LoginLinkIssuedEvent = UserEventPayload;

/** One run of `import:django` or `import:fastapi-users` that wrote its rows (not a dry run). */
export interface LegacyImportedEvent {
  source: 'django' | 'fastapi-users';
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
}

/**
 * One user brought over by trickle mode when a lookup missed on it (at a login,
 * a Token key, a token's subject, a reset link): written new, or updated.
 */
export interface UserImportedEvent extends UserEventPayload {
  source: 'django' | 'fastapi-users';
  outcome: 'created' | 'updated';
  /** What the lookup that missed was by (never the key itself). */
  via: 'email' | 'username' | 'id' | 'uuid' | 'token_key';
  /** The e-mail or username as typed, when the lookup was by one. */
  identifier?: string;
}

/** A request refused with 429 by the throttling of a credential- or mail-bearing endpoint. */
export interface RequestThrottledEvent {
  scope: 'login' | 'mail' | 'confirm' | 'sessions' | 'mfa';
  /** The route's path pattern (empty for wrong second-factor codes, counted by MfaService). */
  path: string;
  address: string;
  userAgent?: string;
}

/**
 * A rotated-past refresh token presented again after REFRESH_REUSE_GRACE (RFC 9700
 * §4.14.2): its session was ended. The address and user agent come from the request.
 */
export interface TokenReuseDetectedEvent {
  userId: number;
  sessionId: string;
  surface: Surface;
}

/**
 * Sessions ended on purpose: by their user (`<me>/sessions/`, the dashboard), by
 * staff (`/api/users/{id}/sessions/`) or from the CLI. `count` may be 0 (nothing was live).
 */
export interface SessionsEndedEvent {
  userId: number;
  /** `revoked` (one, by its user), `others_revoked` ("log out other devices"), `staff` (all, by staff or the CLI). */
  reason: 'revoked' | 'others_revoked' | 'staff';
  count: number;
  /** The session ended, when one was named. */
  sessionId?: string;
  /** The surface that ended them; none from the CLI. */
  surface?: Surface | 'admin';
}

/** MFA turned on: a first TOTP code confirmed the enrolment. */
export interface MfaEnabledEvent extends UserEventPayload {
  surface?: Surface | 'admin';
}

/** MFA turned off: by the user (with the password or a code), by staff or from the CLI. */
export interface MfaDisabledEvent extends UserEventPayload {
  by: 'user' | 'staff' | 'cli';
  surface?: Surface | 'admin';
}

/** A second-factor code refused (never the code itself). */
export interface MfaChallengeFailedEvent {
  userId: number;
  surface?: Surface | 'admin';
  /** `invalid` (wrong or malformed), `replayed` (a code already used), `password` (a wrong password to disable). */
  reason: 'invalid' | 'replayed' | 'password';
}

/** A recovery code spent in place of a TOTP code; `left` are still unused. */
export interface MfaRecoveryCodeUsedEvent extends UserEventPayload {
  surface?: Surface | 'admin';
  left: number;
}

export interface GatehouseEventMap {
  [GatehouseEvent.userRegistered]: UserRegisteredEvent;
  [GatehouseEvent.userLoggedIn]: UserLoggedInEvent;
  [GatehouseEvent.userLoginFailed]: UserLoginFailedEvent;
  [GatehouseEvent.userLoggedOut]: UserLoggedOutEvent;
  [GatehouseEvent.passwordChanged]: PasswordChangedEvent;
  [GatehouseEvent.passwordResetRequested]: PasswordResetRequestedEvent;
  [GatehouseEvent.emailVerified]: EmailVerifiedEvent;
  [GatehouseEvent.tokenRevoked]: TokenRevokedEvent;
  [GatehouseEvent.tokenRefreshed]: TokenRefreshedEvent;
  [GatehouseEvent.tokenRefreshFailed]: TokenRefreshFailedEvent;
  [GatehouseEvent.tokenKeyCreated]: TokenKeyCreatedEvent;
  [GatehouseEvent.linkLogin]: LinkLoginEvent;
  [GatehouseEvent.loginLinkIssued]: LoginLinkIssuedEvent;
  [GatehouseEvent.requestThrottled]: RequestThrottledEvent;
  [GatehouseEvent.legacyImported]: LegacyImportedEvent;
  [GatehouseEvent.userImported]: UserImportedEvent;
  [GatehouseEvent.userDeactivated]: UserEventPayload;
  [GatehouseEvent.tokenReuseDetected]: TokenReuseDetectedEvent;
  [GatehouseEvent.sessionsEnded]: SessionsEndedEvent;
  [GatehouseEvent.mfaEnabled]: MfaEnabledEvent;
  [GatehouseEvent.mfaDisabled]: MfaDisabledEvent;
  [GatehouseEvent.mfaChallengeFailed]: MfaChallengeFailedEvent;
  [GatehouseEvent.mfaRecoveryCodeUsed]: MfaRecoveryCodeUsedEvent;
}

/** What the events read of a user (Gatehouse's `User` is one): events sit below the features. */
export interface EventUser {
  id: number;
  uuid: string;
  email: string;
  isActive: boolean;
}

/** The payload fields every user event shares. */
export function userRef(user: Pick<EventUser, 'id' | 'uuid' | 'email'>): UserEventPayload {
  return { userId: user.id, uuid: user.uuid, email: user.email };
}
