import type { KeyObject } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { HttpRequest } from '../http/http-seam';
import {
  type JwtFromRequestFunction,
  Strategy,
  type StrategyOptionsWithRequest,
} from 'passport-jwt';
import { UsersService } from '../accounts/users.service';
import { AuthCache } from '../access/auth-cache.service';
import type { AuthenticatedUser } from '../access/auth-scheme';
import { AuthSchemeRegistry } from '../access/auth-scheme.registry';
import { authorizationOf, type SchemeRun } from '../access/authorization';
import { type MaybePromise, whenReady } from '../infra/when-ready';
import { AuthenticationFailed } from '../problems/domain.errors';
import { inRequestContext } from '../http/request-context';
import { SessionsService } from '../sessions/sessions.service';
import { JwtKeys } from './jwt-keys';
import { type AccessTokenRules, AccessTokenRulesRegistry } from './access-token-rules';
import { checkClaims, type TokenClaims, userIdOf } from './jwt-token.service';
import { TokenError } from './token-error';
import { VerifiedTokens } from './verified-tokens';

export const JWT_STRATEGY = 'gatehouse-jwt';

/** SimpleJWT's JWTAuthentication answer to a refused access token. */
export function notValidForAnyTokenType(message: string): AuthenticationFailed {
  return new AuthenticationFailed({
    detail: 'Given token not valid for any token type',
    code: 'token_not_valid',
    messages: [{ token_class: 'AccessToken', token_type: 'access', message }],
  });
}

/**
 * passport-jwt's options for Gatehouse's access tokens: the algorithm pinned, the
 * key a KeyObject picked by `kid` (JwtKeys.keyFor; a string secret would be
 * rebuilt on every request), the request handed to `validate`.
 */
export function accessTokenOptions(
  keys: JwtKeys,
  jwtFromRequest: (request: HttpRequest) => string | null,
): StrategyOptionsWithRequest {
  return {
    jwtFromRequest: jwtFromRequest as JwtFromRequestFunction,
    secretOrKeyProvider: (_request, token: string, done) =>
      done(null, keys.keyFor(token) as KeyObject & string),
    algorithms: [keys.algorithm],
    passReqToCallback: true,
  };
}

/**
 * SimpleJWT's JWTAuthentication after the signature and expiry are verified: an
 * access token (never a refresh token) naming a user who still exists and is
 * active, and whatever the route's library adds (AccessTokenRules: on
 * fastapi-users' routes, its audience, and the tokens it minted before the move).
 */
export function authenticateAccessToken(
  users: UsersService,
  cache: AuthCache,
  sessions: SessionsService,
  request: HttpRequest,
  payload: unknown,
  rules: AccessTokenRules | undefined,
): MaybePromise<AuthenticatedUser> {
  let claims: TokenClaims;
  try {
    claims = checkClaims(payload, 'access');
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    return inRequestContext(request, () => legacyAccessToken(payload, error, rules));
  }
  if (rules?.acceptsClaims && !rules.acceptsClaims(claims)) {
    throw notValidForAnyTokenType('Token is invalid or expired');
  }
  const userId = userIdOf(claims);
  if (userId === undefined) {
    throw new AuthenticationFailed({
      detail: 'Token contained no recognizable user identification',
      code: 'token_not_valid',
    });
  }
  // A warm cache answers without a promise; a miss reads inside the request's context.
  return whenReady(
    cache.user(userId, () => inRequestContext(request, () => users.findById(userId))),
    (user) => {
      if (!user)
        throw new AuthenticationFailed({ detail: 'User not found', code: 'user_not_found' });
      if (!user.canAuthenticate) {
        throw new AuthenticationFailed({ detail: 'User is inactive', code: 'user_inactive' });
      }
      // Its session ended (a logout, "log out everywhere", a deactivation): from memory, no read.
      if (sessions.refuses(claims.sid, user, claims.iat)) {
        throw notValidForAnyTokenType('Token is blacklisted');
      }
      if (claims.sid) sessions.touch(claims.sid, request.headers['user-agent'], request.ip);
      return { user, credential: { claims, sessionId: claims.sid } };
    },
  );
}

/** A token the route's library minted before the move; else SimpleJWT's refusal. */
async function legacyAccessToken(
  payload: unknown,
  error: TokenError,
  rules: AccessTokenRules | undefined,
): Promise<AuthenticatedUser> {
  const legacy = rules?.legacyUser ? await rules.legacyUser(payload) : undefined;
  if (legacy) return legacy;
  throw notValidForAnyTokenType(error.message);
}

/** The one credential after the scheme word, read as the registry read it, or none. */
function tokenOf(request: HttpRequest): string | null {
  const credentials = authorizationOf(request)?.credentials ?? [];
  return credentials.length === 1 ? credentials[0] : null;
}

/**
 * `Authorization: JWT <access>` and `Authorization: Bearer <access>` on passport-jwt.
 * Errors are SimpleJWT's, to the letter; the route's library may read the header
 * more strictly (AccessTokenRules.readsHeader).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) implements OnModuleInit {
  constructor(
    private readonly registry: AuthSchemeRegistry,
    private readonly users: UsersService,
    private readonly cache: AuthCache,
    private readonly rules: AccessTokenRulesRegistry,
    private readonly verified: VerifiedTokens,
    private readonly sessions: SessionsService,
    keys: JwtKeys,
  ) {
    // passport-jwt takes its token from the request (it is given no options).
    super(accessTokenOptions(keys, tokenOf));
  }

  /**
   * passport-jwt's authenticate, but a token whose signature this process already
   * verified goes straight to `validate` with the claims it proved (expiry checked
   * again): repeat requests skip the signature check, the most expensive step.
   */
  // passport's typings say Express; Gatehouse's strategies see the seam's request.
  authenticate(incoming: object, options?: unknown): void {
    const request = incoming as HttpRequest;
    // The registry hands over the header's words (SchemeRun); passport-jwt's own path reads them again.
    const words = (options as Partial<SchemeRun> | undefined)?.credentials;
    const token = words ? (words.length === 1 ? words[0] : null) : tokenOf(request);
    const claims = token === null ? undefined : this.verified.get(token);
    if (!claims) {
      super.authenticate(request as never, options);
      return;
    }
    // What passport-jwt does with `validate`'s answer, without its promise wrapper.
    const strategy = this as unknown as {
      success(user: unknown): void;
      error(error: unknown): void;
    };
    let answer: MaybePromise<AuthenticatedUser>;
    try {
      answer = this.accept(request, claims);
    } catch (error) {
      strategy.error(error);
      return;
    }
    if (answer instanceof Promise) {
      answer.then(
        (user) => strategy.success(user),
        (error: unknown) => strategy.error(error),
      );
    } else {
      strategy.success(answer);
    }
  }

  onModuleInit(): void {
    this.registry.register({
      schemes: ['JWT', 'Bearer'],
      strategy: this,
      failure: (_request, _info, credentials) =>
        credentials.length === 1
          ? notValidForAnyTokenType('Token is invalid or expired')
          : new AuthenticationFailed({
              detail: 'Authorization header must contain two space-delimited values',
              code: 'bad_authorization_header',
            }),
    });
  }

  /** passport-jwt's verify callback: the token's signature and expiry were just checked. */
  validate(request: HttpRequest, payload: unknown): MaybePromise<AuthenticatedUser> {
    const token = tokenOf(request);
    if (token !== null) this.verified.remember(token, payload);
    return this.accept(request, payload);
  }

  private accept(request: HttpRequest, payload: unknown): MaybePromise<AuthenticatedUser> {
    const rules = this.rules.of(request);
    if (rules?.readsHeader && !rules.readsHeader(request.headers.authorization ?? '')) {
      throw notValidForAnyTokenType('Token is invalid or expired');
    }
    return authenticateAccessToken(this.users, this.cache, this.sessions, request, payload, rules);
  }
}
