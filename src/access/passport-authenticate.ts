import { HttpException } from '@nestjs/common';
import type { HttpReply, HttpRequest } from '../http/http-seam';
import type { PassportStatic } from 'passport';
import { AuthenticationFailed } from '../problems/domain.errors';
import type { AuthenticatedUser, AuthScheme, AuthUser } from './auth-scheme';
import type { SchemeRun } from './authorization';
import { type MaybePromise, whenReady } from '../infra/when-ready';

/** DRF's AuthenticationFailed, for a consumer strategy that fails without its own error. */
function incorrectCredentials(scheme: string, info: unknown): AuthenticationFailed {
  const challenge = typeof info === 'string' ? info : `${scheme} realm="api"`;
  return new AuthenticationFailed({ detail: 'Incorrect authentication credentials.' }, challenge);
}

/** A passport Authenticator (`new passport.Passport()`). */
export type Authenticator = InstanceType<PassportStatic['Passport']>;

/** What a passport strategy concluded: `user` on success, else the failure's `info`. */
export interface PassportOutcome {
  user: unknown;
  info: unknown;
}

/**
 * Runs a registered passport strategy on a request, without session, as
 * @nestjs/passport's AuthGuard does; rejects with the strategy's `error()`.
 * A strategy that concludes at once (a cached credential) is answered at once,
 * without a promise: every promise on the hot path is CPU (see whenReady).
 */
export function runPassportStrategy(
  authenticator: Authenticator,
  name: string,
  request: object,
  response: object,
  credentials: readonly string[] = [],
): MaybePromise<PassportOutcome> {
  const options: SchemeRun = { session: false, credentials };
  // How the strategy concluded (the first conclusion counts, as a promise's would),
  // and who waits for it when it did not conclude at once.
  const state: {
    concluded?: { outcome: PassportOutcome } | { error: object };
    resolve?: (outcome: PassportOutcome) => void;
    reject?: (error: object) => void;
  } = {};
  const conclude = (conclusion: { outcome: PassportOutcome } | { error: object }) => {
    if (state.concluded) return;
    state.concluded = conclusion;
    if ('error' in conclusion) state.reject?.(conclusion.error);
    else state.resolve?.(conclusion.outcome);
  };
  // Errors pass through as they are (a driver's error must stay classifiable,
  // and may come from another realm); only a bare value gets wrapped.
  const fail = (error: unknown) =>
    conclude({
      error: typeof error === 'object' && error !== null ? error : new Error(String(error)),
    });
  try {
    const middleware = authenticator.authenticate(
      name,
      options,
      (error: unknown, user: unknown, info: unknown) =>
        error ? fail(error) : conclude({ outcome: { user, info } }),
    ) as (request: object, response: object, next: (error: unknown) => void) => void;
    middleware(request, response, fail);
  } catch (error) {
    // An extractor may throw its surface's error (e.g. a failed CSRF check).
    fail(error);
  }
  const now = state.concluded;
  if (now && 'error' in now) {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- thrown as the strategy gave it (see fail)
    throw now.error;
  }
  if (now) return now.outcome;
  return new Promise((resolve, reject) => {
    state.resolve = resolve;
    state.reject = reject;
  });
}

/**
 * Runs a scheme's passport strategy on the request (no session), as
 * @nestjs/passport's AuthGuard does: what its `validate` answers (a User, or
 * Gatehouse's `{user, credential}`), undefined when the strategy finds no
 * credentials, or the strategy's error. A scheme checked as a login has its
 * checks counted and its refusals audited (CredentialChecks).
 */
export function authenticateWithPassport(
  authenticator: Authenticator,
  name: string,
  scheme: AuthScheme,
  word: string,
  request: HttpRequest,
  reply: HttpReply,
  credentials: readonly string[] = [],
): MaybePromise<AuthenticatedUser | undefined> {
  if (scheme.checkedAsLogin)
    return authenticateAsLogin(authenticator, name, scheme, word, request, reply, credentials);
  return whenReady(
    runPassportStrategy(authenticator, name, request, reply, credentials),
    (outcome) => concluded(outcome, scheme, word, request, credentials),
  );
}

async function authenticateAsLogin(
  authenticator: Authenticator,
  name: string,
  scheme: AuthScheme,
  word: string,
  request: HttpRequest,
  reply: HttpReply,
  credentials: readonly string[],
): Promise<AuthenticatedUser | undefined> {
  const counted = scheme.checkedAsLogin!;
  const check = await counted.checks.begin(
    request,
    scheme.schemes[0] ?? word,
    counted.identify(request),
  );
  let outcome: PassportOutcome;
  try {
    outcome = await runPassportStrategy(authenticator, name, request, reply, credentials);
  } catch (error) {
    // A strategy refusing with its own 401 refused the credential too.
    if (isRefusal(error)) await check.refused();
    throw error;
  }
  try {
    return concluded(outcome, scheme, word, request, credentials);
  } catch (failure) {
    await check.refused();
    throw failure;
  }
}

/** The strategy's user, undefined for "no credentials", or the failure it concluded with. */
function concluded(
  { user, info }: PassportOutcome,
  scheme: AuthScheme,
  word: string,
  request: HttpRequest,
  credentials: readonly string[],
): AuthenticatedUser | undefined {
  if (user) return isBareUser(user) ? { user } : (user as AuthenticatedUser);
  const failure = scheme.failure
    ? scheme.failure(request, info, credentials)
    : incorrectCredentials(word, info);
  if (failure) throw failure;
  return undefined;
}

/**
 * A consumer strategy's `validate` answers the user itself (passport's habit),
 * Gatehouse's its `{user, credential}`: only a user carries its own `id`.
 */
function isBareUser(value: unknown): value is AuthUser {
  return typeof value === 'object' && value !== null && 'id' in value;
}

function isRefusal(error: unknown): boolean {
  return (
    error instanceof AuthenticationFailed ||
    (error instanceof HttpException && error.getStatus() === 401)
  );
}
