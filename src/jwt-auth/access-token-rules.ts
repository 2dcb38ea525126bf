import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../access/auth-scheme';
import type { HttpRequest } from '../http/http-seam';
import { type Dialect, routeDialect } from '../http/route-config';
import type { TokenClaims } from './jwt-token.service';

/**
 * What a mirrored library checks of an access token beyond SimpleJWT's
 * JWTAuthentication, on the routes of its dialect: fastapi-users' exact header,
 * its audience, the tokens it minted before the move. The surface registers its
 * library's rules (surfaces/fastapi-users/fastapi-users.token-rules.ts); the JWT
 * strategies know none of them.
 */
export interface AccessTokenRules {
  /** Whether the library reads this `Authorization` header; false refuses the token. */
  readsHeader?(authorization: string): boolean;
  /** Whether a token that passed SimpleJWT's checks carries what the library needs. */
  acceptsClaims?(claims: TokenClaims): boolean;
  /**
   * The user of a token that failed SimpleJWT's checks but the library minted
   * (signature and expiry already verified), or undefined.
   */
  legacyUser?(payload: unknown): Promise<AuthenticatedUser | undefined>;
}

/** The access-token rules of each dialect's routes; no rules: SimpleJWT's alone. */
@Injectable()
export class AccessTokenRulesRegistry {
  private readonly byDialect = new Map<Dialect, AccessTokenRules>();

  register(dialect: Dialect, rules: AccessTokenRules): void {
    this.byDialect.set(dialect, rules);
  }

  /** The rules of the route the request matched (read once per authentication). */
  of(request: HttpRequest): AccessTokenRules | undefined {
    return this.byDialect.size === 0 ? undefined : this.byDialect.get(routeDialect(request));
  }
}
