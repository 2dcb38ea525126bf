import type { KeyObject } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { HttpRequest } from '../http/http-seam';
import {
  type JwtFromRequestFunction,
  Strategy,
  type StrategyOptionsWithRequest,
} from 'passport-jwt';
import { canonicalUuid } from '../accounts/fastapi-users.service';
import { UsersService } from '../accounts/users.service';
import { AuthCache } from '../access/auth-cache.service';
import type { AuthenticatedUser } from '../access/auth-scheme';
import { AuthSchemeRegistry } from '../access/auth-scheme.registry';
import { type MaybePromise, whenReady } from '../infra/when-ready';
import { AuthenticationFailed } from '../problems/domain.errors';
import { routeDialect } from '../http/route-config';
import { inRequestContext } from '../http/request-context';
import { SessionsService } from '../sessions/sessions.service';
import { JwtKeys } from './jwt-keys';
import {
  checkClaims,
  FASTAPI_USERS_AUDIENCE,
  fastapiUsersSubject,
  type TokenClaims,
  userIdOf,
} from './jwt-token.service';
import { TokenError } from './token-error';

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
 * active. On fastapi-users' routes the token must also carry its audience, as
 * fastapi-users' JWT strategy checks.
 */
export function authenticateAccessToken(
  users: UsersService,
  cache: AuthCache,
  sessions: SessionsService,
  request: HttpRequest,
  payload: unknown,
): MaybePromise<AuthenticatedUser> {
  let claims: TokenClaims;
  try {
    claims = checkClaims(payload, 'access');
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    return inRequestContext(request, () => legacyAccessToken(users, request, payload, error));
  }
  if (routeDialect(request) === 'fastapi' && !hasAudience(claims, FASTAPI_USERS_AUDIENCE)) {
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

/** On fastapi-users' routes, a token its JWTStrategy minted before the move; else SimpleJWT's refusal. */
async function legacyAccessToken(
  users: UsersService,
  request: HttpRequest,
  payload: unknown,
  error: TokenError,
): Promise<AuthenticatedUser> {
  const legacy =
    routeDialect(request) === 'fastapi' ? await fastapiUsersUser(users, payload) : undefined;
  if (legacy) return legacy;
  throw notValidForAnyTokenType(error.message);
}

/**
 * The active user of a token fastapi-users' JWTStrategy minted (`{sub, aud, exp}`
 * only, verified with JWT_SECRET or JWT_PREVIOUS_SECRETS), or undefined.
 */
async function fastapiUsersUser(
  users: UsersService,
  payload: unknown,
): Promise<AuthenticatedUser | undefined> {
  const sub = fastapiUsersSubject(payload);
  const uuid = sub === undefined ? null : canonicalUuid(sub);
  const user = uuid ? await users.findByUuid(uuid) : null;
  // Minted before the move, so before any deactivation here: one ends them all.
  return user?.canAuthenticate && !user.sessionsEndedAt ? { user, credential: { sub } } : undefined;
}

function hasAudience(claims: TokenClaims, audience: string): boolean {
  return Array.isArray(claims.aud) ? claims.aud.includes(audience) : claims.aud === audience;
}

/**
 * `Authorization: JWT <access>` and `Authorization: Bearer <access>` on passport-jwt.
 * Errors are SimpleJWT's, to the letter; on fastapi-users' routes (FastAPI's
 * `{"detail": "Unauthorized"}`), the header must be exactly `<scheme> <token>`:
 * fastapi-users splits it at the first space, so a second one spoils the token.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) implements OnModuleInit {
  constructor(
    private readonly registry: AuthSchemeRegistry,
    private readonly users: UsersService,
    private readonly cache: AuthCache,
    private readonly sessions: SessionsService,
    keys: JwtKeys,
  ) {
    super(
      accessTokenOptions(keys, (request) => {
        const credentials = request.authorizationCredentials ?? [];
        return credentials.length === 1 ? credentials[0] : null;
      }),
    );
  }

  onModuleInit(): void {
    this.registry.register({
      schemes: ['JWT', 'Bearer'],
      strategy: this,
      failure: (request) =>
        request.authorizationCredentials?.length === 1
          ? notValidForAnyTokenType('Token is invalid or expired')
          : new AuthenticationFailed({
              detail: 'Authorization header must contain two space-delimited values',
              code: 'bad_authorization_header',
            }),
    });
  }

  validate(request: HttpRequest, payload: unknown): MaybePromise<AuthenticatedUser> {
    if (
      routeDialect(request) === 'fastapi' &&
      !/^\S+ \S+$/.test(request.headers.authorization ?? '')
    ) {
      throw notValidForAnyTokenType('Token is invalid or expired');
    }
    return authenticateAccessToken(this.users, this.cache, this.sessions, request, payload);
  }
}
