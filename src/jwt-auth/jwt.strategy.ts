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
import { authorizationOf } from '../access/authorization';
import { type MaybePromise, whenReady } from '../infra/when-ready';
import { AuthenticationFailed } from '../problems/domain.errors';
import { inRequestContext } from '../http/request-context';
import { JwtKeys } from './jwt-keys';
import { type AccessTokenRules, AccessTokenRulesRegistry } from './access-token-rules';
import { checkClaims, type TokenClaims, userIdOf } from './jwt-token.service';
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
 * active, and whatever the route's library adds (AccessTokenRules: on
 * fastapi-users' routes, its audience, and the tokens it minted before the move).
 */
export function authenticateAccessToken(
  users: UsersService,
  cache: AuthCache,
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
      return { user, credential: { claims } };
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
    keys: JwtKeys,
  ) {
    super(
      // passport-jwt takes its token from the request (it is given no options):
      // read the header as the registry read it to pick this scheme.
      accessTokenOptions(keys, (request) => {
        const credentials = authorizationOf(request)?.credentials ?? [];
        return credentials.length === 1 ? credentials[0] : null;
      }),
    );
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

  validate(request: HttpRequest, payload: unknown): MaybePromise<AuthenticatedUser> {
    const rules = this.rules.of(request);
    if (rules?.readsHeader && !rules.readsHeader(request.headers.authorization ?? '')) {
      throw notValidForAnyTokenType('Token is invalid or expired');
    }
    return authenticateAccessToken(this.users, this.cache, request, payload, rules);
  }
}
