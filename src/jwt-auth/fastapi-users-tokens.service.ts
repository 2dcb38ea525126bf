import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { User } from '../accounts/user.entity';
import { GatehouseConfig } from '../config/gatehouse-config';

type Claims = Record<string, unknown>;

/** fastapi-users' audiences of its reset-password and verification tokens. */
export const RESET_PASSWORD_TOKEN_AUDIENCE = 'fastapi-users:reset';
export const VERIFY_USER_TOKEN_AUDIENCE = 'fastapi-users:verify';

/** What a valid reset-password token names. */
export interface ResetPasswordClaims {
  /** The user's UUID. */
  sub: string;
  password_fgpt: string;
}

/** What a valid verification token names. */
export interface VerifyClaims {
  sub: string;
  email: string;
}

/**
 * fastapi-users' short-lived single-purpose JWTs: the reset-password token
 * (`sub`, `password_fgpt`, aud `fastapi-users:reset`) and the verification token
 * (`sub`, `email`, aud `fastapi-users:verify`). Signed with Gatehouse's JWT key,
 * the configured algorithm pinned; each audience is checked, so neither is ever
 * taken for the other or for an access token (which has no such audience).
 */
@Injectable()
export class FastapiUsersTokensService {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly jwt: JwtService,
  ) {}

  /** A reset token bound to the user's current password hash: it dies once the password changes. */
  resetPasswordToken(user: User): Promise<string> {
    return this.sign(
      { sub: user.uuid, password_fgpt: passwordFingerprint(user.password) },
      RESET_PASSWORD_TOKEN_AUDIENCE,
      this.config.fastapiUsers.resetPasswordTokenLifetime,
    );
  }

  verificationToken(user: User): Promise<string> {
    return this.sign(
      { sub: user.uuid, email: user.email },
      VERIFY_USER_TOKEN_AUDIENCE,
      this.config.fastapiUsers.verificationTokenLifetime,
    );
  }

  /** The claims of a valid, unexpired reset token, or null. */
  async readResetPasswordToken(token: string): Promise<ResetPasswordClaims | null> {
    const claims = await this.read(token, RESET_PASSWORD_TOKEN_AUDIENCE);
    if (typeof claims?.sub !== 'string' || typeof claims.password_fgpt !== 'string') return null;
    return { sub: claims.sub, password_fgpt: claims.password_fgpt };
  }

  /** The claims of a valid, unexpired verification token, or null. */
  async readVerificationToken(token: string): Promise<VerifyClaims | null> {
    const claims = await this.read(token, VERIFY_USER_TOKEN_AUDIENCE);
    if (typeof claims?.sub !== 'string' || typeof claims.email !== 'string') return null;
    return { sub: claims.sub, email: claims.email };
  }

  /** Whether a reset token's fingerprint matches the user's password hash now (constant time). */
  matchesPassword(claims: ResetPasswordClaims, user: User): boolean {
    const expected = Buffer.from(passwordFingerprint(user.password));
    const given = Buffer.from(claims.password_fgpt);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private sign(claims: Claims, audience: string, lifetime: number): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    // JwtService signs with the pinned algorithm, the KeyObject and its `kid`;
    // fastapi-users' tokens carry no `iat`.
    return this.jwt.signAsync(
      { ...claims, aud: audience, exp: now + lifetime },
      { noTimestamp: true },
    );
  }

  private async read(token: string, audience: string): Promise<Claims | null> {
    try {
      const payload = await this.jwt.verifyAsync<Claims>(token, { audience });
      return typeof payload.exp === 'number' ? payload : null;
    } catch {
      return null;
    }
  }
}

/**
 * fastapi-users puts a (salted) hash of the password hash in the token; the
 * token is signed, so a SHA-256 digest does the same job: it changes with the
 * password and reveals nothing of the hash.
 */
function passwordFingerprint(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('base64url');
}
