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
  requestThrottled: 'request.throttled',
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
  surface: Surface;
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

/** A request refused with 429 by the throttling of a credential- or mail-bearing endpoint. */
export interface RequestThrottledEvent {
  scope: 'login' | 'mail' | 'confirm';
  /** The route's path pattern. */
  path: string;
  address: string;
  userAgent?: string;
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
  [GatehouseEvent.requestThrottled]: RequestThrottledEvent;
}

/** The payload fields every user event shares. */
export function userRef(user: { id: number; uuid: string; email: string }): UserEventPayload {
  return { userId: user.id, uuid: user.uuid, email: user.email };
}
