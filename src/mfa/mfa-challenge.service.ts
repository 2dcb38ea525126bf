import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../infra/crypto/sha256';
import { Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, MoreThan, Repository } from 'typeorm';
import {
  type FirstFactor,
  type LoginOutcome,
  LoginService,
  type SecondFactorGate,
} from '../accounts/login.service';
import type { User } from '../accounts/user.entity';
import { UsersService } from '../accounts/users.service';
import type { Surface } from '../events/gatehouse-events';
import { TokenFlushService } from '../jobs/token-flush.service';
import { MfaCodeRejected } from '../problems/domain.errors';
import { MfaRequired, SecondFactorRefused } from '../problems/login-challenge.errors';
import { MfaChallenge } from './mfa-challenge.entity';
import { MfaService } from './mfa.service';

/** How long an `mfa_token` is good for (DESIGN.md: 5 minutes). */
export const MFA_CHALLENGE_LIFETIME_SECONDS = 300;
/** Wrong codes one `mfa_token` survives; the next login starts over with the password. */
export const MFA_CHALLENGE_ATTEMPTS = 5;

/**
 * The second step of every login (LoginService's SecondFactorGate): a user with
 * MFA on gets an `mfa_token` instead of credentials, and the same endpoint takes
 * it back with a code. The token is random, stored as its SHA-256, bound to the
 * user and the surface, good for 5 minutes and once: a conditional UPDATE decides
 * the one redemption, whichever instance serves it. Codes are MfaService's
 * (TOTP replay, recovery codes, throttling, audit). Neither is ever logged.
 */
@Injectable()
export class MfaChallengeService implements SecondFactorGate, OnModuleInit {
  constructor(
    private readonly logins: LoginService,
    private readonly mfa: MfaService,
    private readonly users: UsersService,
    @InjectRepository(MfaChallenge) private readonly challenges: Repository<MfaChallenge>,
    // Absent in an app without Gatehouse's scheduled jobs: each user's next challenge still clears theirs.
    @Optional() private readonly tokenFlush?: TokenFlushService,
  ) {}

  onModuleInit(): void {
    this.logins.useSecondFactor(this);
    this.tokenFlush?.alsoFlush('mfa_challenges', 'expired MFA challenges', (now) =>
      this.flushExpired(now),
    );
  }

  /**
   * Removes every challenge past its 5 minutes, used or not: those of users who never
   * came back (the token flush runs it every TOKEN_FLUSH_INTERVAL seconds).
   */
  async flushExpired(now = new Date()): Promise<number> {
    const result = await this.challenges.delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }

  async challenge(user: User, surface: Surface, firstFactor: FirstFactor): Promise<void> {
    // Users without MFA: this one indexed lookup is all the login pays.
    if (!(await this.mfa.isEnabled(user.id))) return;
    const token = randomBytes(24).toString('base64url');
    const now = new Date();
    // The user's stale challenges go as new ones come.
    await this.challenges.delete({ userId: user.id, expiresAt: LessThan(now) });
    await this.challenges.insert({
      tokenSha256: sha256Hex(token),
      userId: user.id,
      surface,
      firstFactor,
      attempts: 0,
      createdAt: now,
      expiresAt: new Date(now.getTime() + MFA_CHALLENGE_LIFETIME_SECONDS * 1000),
      usedAt: null,
    });
    throw new MfaRequired(token);
  }

  async redeem(mfaToken: string, code: string, surface: Surface): Promise<LoginOutcome> {
    const tokenSha256 = sha256Hex(mfaToken);
    const row = await this.challenges.findOneBy({ tokenSha256 });
    const now = new Date();
    if (
      !row ||
      row.usedAt !== null ||
      row.expiresAt.getTime() <= now.getTime() ||
      row.surface !== surface ||
      row.attempts >= MFA_CHALLENGE_ATTEMPTS
    ) {
      throw new SecondFactorRefused('token_invalid');
    }
    const user = await this.users.findById(row.userId);
    if (!user) throw new SecondFactorRefused('token_invalid');
    try {
      await this.mfa.verifySecondFactor(user, code, { surface });
    } catch (error) {
      if (!(error instanceof MfaCodeRejected)) throw error;
      await this.challenges
        .createQueryBuilder()
        .update()
        .set({ attempts: () => 'attempts + 1' })
        .where('token_sha256 = :tokenSha256', { tokenSha256 })
        .execute();
      throw new SecondFactorRefused('invalid_code');
    }
    // Once: of two redemptions, on this instance or another, one UPDATE matches.
    const { affected } = await this.challenges.update(
      { tokenSha256, usedAt: IsNull(), expiresAt: MoreThan(now) },
      { usedAt: now },
    );
    if (affected !== 1) throw new SecondFactorRefused('token_invalid');
    return { user, amr: amrAfter(row.firstFactor), firstFactor: row.firstFactor };
  }
}

/**
 * RFC 8176 methods of a login with a second factor. A recovery code is a
 * one-time password too, so it is `otp` as a TOTP code is. A login link has no
 * RFC 8176 name: `mfa` says two factors were given, `otp` names the one it can.
 */
export function amrAfter(firstFactor: FirstFactor): string[] {
  return firstFactor === 'pwd' ? ['pwd', 'otp'] : ['mfa', 'otp'];
}
