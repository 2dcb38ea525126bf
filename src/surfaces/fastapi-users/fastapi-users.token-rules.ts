import { Injectable, type OnModuleInit } from '@nestjs/common';
import { FastapiUsersService } from '../../accounts/fastapi-users.service';
import type { AuthenticatedUser } from '../../access/auth-scheme';
import { AccessTokenRulesRegistry } from '../../jwt-auth/access-token-rules';
import {
  FASTAPI_USERS_AUDIENCE,
  fastapiUsersSubject,
  type TokenClaims,
} from '../../jwt-auth/jwt-token.service';

/**
 * fastapi-users' JWTStrategy on its routes (the FastAPI dialect's), beside
 * SimpleJWT's checks: the header is exactly `<scheme> <token>` (fastapi-users
 * splits it at the first space, so a second one spoils the token), a token
 * carries its audience, and a token fastapi-users minted before the move
 * (`{sub, aud, exp}` only) still authenticates its active user.
 */
@Injectable()
export class FastapiUsersTokenRules implements OnModuleInit {
  constructor(
    private readonly registry: AccessTokenRulesRegistry,
    private readonly users: FastapiUsersService,
  ) {}

  onModuleInit(): void {
    this.registry.register('fastapi', {
      readsHeader: (authorization) => /^\S+ \S+$/.test(authorization),
      acceptsClaims: (claims) => hasAudience(claims, FASTAPI_USERS_AUDIENCE),
      legacyUser: (payload) => this.legacyUser(payload),
    });
  }

  /** The active user of a token fastapi-users minted (verified with JWT_SECRET or JWT_PREVIOUS_SECRETS). */
  private async legacyUser(payload: unknown): Promise<AuthenticatedUser | undefined> {
    const sub = fastapiUsersSubject(payload);
    const user = sub === undefined ? null : await this.users.findById(sub);
    // Minted before the move, so before any deactivation here: one ends them all.
    return user?.canAuthenticate && !user.sessionsEndedAt
      ? { user, credential: { sub } }
      : undefined;
  }
}

function hasAudience(claims: TokenClaims, audience: string): boolean {
  return Array.isArray(claims.aud) ? claims.aud.includes(audience) : claims.aud === audience;
}
