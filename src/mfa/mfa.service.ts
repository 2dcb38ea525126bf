import { createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Not, Repository } from 'typeorm';
import { PasswordHasherService } from '../accounts/password-hasher.service';
import type { User } from '../accounts/user.entity';
import { GatehouseConfig } from '../config/gatehouse-config';
import { GatehouseEvent, type Surface, userRef } from '../events/gatehouse-events';
import { GatehouseEvents } from '../events/gatehouse-events.service';
import { CompiledLookup } from '../database/compiled-lookup';
import { MailService } from '../mail/mail.service';
import { currentRequest } from '../observability/request-context';
import {
  MfaCodeRejected,
  MfaPasswordRejected,
  MfaStateConflict,
  MfaUnavailable,
  TooManyAttempts,
} from '../problems/domain.errors';
import { throttleRate } from '../throttling/throttle-scopes';
import { THROTTLE_STORE, type ThrottleStore } from '../throttling/throttle-store';
import { qrSvg } from './qr-svg';
import { RecoveryCode } from './recovery-code.entity';
import { SealedBox } from '../infra/crypto/sealed-box';
import { base32Encode } from '../infra/base32';
import { isTotpShaped, matchTotp, newTotpSecret, otpauthUrl } from './totp';
import { TotpDevice } from './totp-device.entity';

/** Which second factor a code was. */
export type SecondFactorKind = 'otp' | 'recovery_code';

/** Where a code came from: the surface (for the audit trail) and the client's address (for the counts). */
export interface MfaAttempt {
  surface: Surface | 'admin';
  /** Default: the current request's client address. */
  ip?: string;
}

export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const DEFAULT_ISSUER = 'Gatehouse';

/**
 * Multi-factor login (docs/mfa.md): a TOTP authenticator per user (RFC 6238) and
 * ten single-use recovery codes. Secrets are sealed with AES-256-GCM under
 * MFA_ENCRYPTION_KEY, recovery codes stored as digests; a code is accepted once
 * (a conditional UPDATE, so two instances sharing the database cannot both take
 * it); wrong codes are counted per account from an address and per address
 * (`mfa_code`, `mfa_code_address`). Codes, secrets and recovery codes are never logged.
 */
@Injectable()
export class MfaService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Mfa');
  private readonly box?: SealedBox;
  private readonly confirmedDevice: CompiledLookup<TotpDevice>;
  private readonly derivedKey: boolean;
  private derivedKeyWarned = false;

  constructor(
    @InjectRepository(TotpDevice) private readonly devices: Repository<TotpDevice>,
    @InjectRepository(RecoveryCode) private readonly codes: Repository<RecoveryCode>,
    private readonly dataSource: DataSource,
    private readonly config: GatehouseConfig,
    private readonly hasher: PasswordHasherService,
    private readonly events: GatehouseEvents,
    @Optional() private readonly mail?: MailService,
    @Optional() @Inject(THROTTLE_STORE) private readonly store?: ThrottleStore,
  ) {
    const key = config.mfa?.encryptionKey ?? (config.isProduction ? undefined : devKey(config));
    this.box = key ? new SealedBox(key, 'gatehouse.mfa-totp') : undefined;
    this.derivedKey = !config.mfa?.encryptionKey && key !== undefined;
    this.confirmedDevice = new CompiledLookup(
      devices,
      (column, userId) =>
        `${column('userId')} = ${userId} AND ${column('confirmedAt')} IS NOT NULL`,
    );
  }

  /** Refuses to boot in production without MFA_ENCRYPTION_KEY once a user has MFA on. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.box) return;
    const enrolled = await this.devices.count({ where: { confirmedAt: Not(IsNull()) } });
    if (enrolled > 0) {
      throw new Error(
        `MFA_ENCRYPTION_KEY is required when NODE_ENV=production: ${enrolled} user(s) have multi-factor login on`,
      );
    }
  }

  /**
   * Whether the user has MFA on (a confirmed TOTP device): one lookup on a unique
   * index, compiled once — every login asks it, and `exists` built its statement
   * anew each time (~4 % of a login's event-loop CPU in `npm run bench`).
   */
  isEnabled(userId: number): Promise<boolean> {
    return this.confirmedDevice.exists(userId);
  }

  /** Whether TOTP is on, and how many unused recovery codes are left (0 while off). */
  async status(userId: number): Promise<{ totp: boolean; recoveryCodesLeft: number }> {
    if (!(await this.isEnabled(userId))) return { totp: false, recoveryCodesLeft: 0 };
    return { totp: true, recoveryCodesLeft: await this.unusedCodes(userId) };
  }

  /** Starts (or restarts) enrolment: a new pending secret, replacing a pending one. */
  async beginTotp(user: User): Promise<{ secret: string; otpauthUrl: string; qrSvg: string }> {
    const box = this.requireBox();
    // Said when it matters, at the first enrolment: `npm start` with no configuration
    // logs its one summary line, and most development apps never enrol anyone.
    if (this.derivedKey && !this.derivedKeyWarned) {
      this.derivedKeyWarned = true;
      this.logger.warn(
        'MFA_ENCRYPTION_KEY is not set: TOTP secrets are sealed with a key derived from the JWT key (development only; set MFA_ENCRYPTION_KEY before production)',
      );
    }
    const existing = await this.devices.findOne({ where: { userId: user.id } });
    if (existing?.confirmedAt) throw new MfaStateConflict('enabled');
    const raw = newTotpSecret();
    const sealed = box.seal(raw.toString('base64url'), sealContext(user.id));
    if (!existing) {
      // Two first calls at once both get here: the second INSERT is ignored, and both
      // replace the pending secret below (the last one wins, as a new call does).
      await this.devices
        .createQueryBuilder()
        .insert()
        .values({
          userId: user.id,
          secret: sealed,
          createdAt: new Date(),
          confirmedAt: null,
          lastUsedStep: null,
        })
        .orIgnore()
        .execute();
    }
    // Only a pending device is replaced: one confirmed meanwhile stays.
    const { affected } = await this.devices.update(
      { userId: user.id, confirmedAt: IsNull() },
      { secret: sealed, createdAt: new Date(), lastUsedStep: null },
    );
    if (!affected) throw new MfaStateConflict('enabled');
    const secret = base32Encode(raw);
    const url = otpauthUrl(this.issuer(), user.email, secret);
    return { secret, otpauthUrl: url, qrSvg: await qrSvg(url) };
  }

  /** Confirms the pending enrolment with a first code: MFA is on; the recovery codes, shown once. */
  async confirmTotp(
    user: User,
    code: string,
    attempt: MfaAttempt,
  ): Promise<{ recoveryCodes: string[] }> {
    const device = await this.devices.findOne({ where: { userId: user.id } });
    if (!device) throw new MfaStateConflict('pending');
    if (device.confirmedAt) throw new MfaStateConflict('enabled');
    await this.counted(user, attempt, async () => {
      const step = isTotpShaped(code) ? this.match(device, code) : undefined;
      if (step === undefined) return 'invalid';
      const accepted = await this.devices
        .createQueryBuilder()
        .update()
        .set({ confirmedAt: new Date(), lastUsedStep: step })
        .where('id = :id AND confirmed_at IS NULL', { id: device.id })
        .andWhere('(last_used_step IS NULL OR last_used_step < :step)', { step })
        .execute();
      return accepted.affected ? undefined : 'replayed';
    });
    const recoveryCodes = await this.replaceRecoveryCodes(user.id);
    await this.events.emit(GatehouseEvent.mfaEnabled, {
      ...userRef(user),
      surface: attempt.surface,
    });
    this.mail?.send('mfa-enabled', user.email, { email: user.email });
    return { recoveryCodes };
  }

  /** Turns MFA off (a pending enrolment too), proven by the password or a code. */
  async disable(
    user: User,
    proof: { password?: string; code?: string },
    attempt: MfaAttempt,
  ): Promise<void> {
    const device = await this.devices.findOne({ where: { userId: user.id } });
    if (!device) throw new MfaStateConflict('disabled');
    if (proof.code !== undefined && device.confirmedAt) {
      await this.verifySecondFactor(user, proof.code, attempt);
    } else if (proof.password !== undefined) {
      const password = proof.password;
      await this.counted(user, attempt, async () => {
        const { valid } = await this.hasher.check(password, user.password);
        return valid ? undefined : 'password';
      });
    } else {
      // A code for an enrolment never confirmed proves nothing.
      throw new MfaCodeRejected();
    }
    const removed = await this.remove(user.id);
    if (!removed) return;
    await this.events.emit(GatehouseEvent.mfaDisabled, {
      ...userRef(user),
      by: 'user',
      surface: attempt.surface,
    });
    if (device.confirmedAt) this.mail?.send('mfa-disabled', user.email, { email: user.email });
  }

  /** A fresh set of recovery codes for a code (TOTP or recovery); the old set stops working. */
  async regenerateRecoveryCodes(user: User, code: string, attempt: MfaAttempt): Promise<string[]> {
    if (!(await this.isEnabled(user.id))) throw new MfaStateConflict('disabled');
    await this.verifySecondFactor(user, code, attempt);
    return this.replaceRecoveryCodes(user.id);
  }

  /**
   * A TOTP code or a recovery code for a user with MFA on, each accepted once;
   * throttled per account from an address and per address; a refusal is a
   * `mfa.challenge_failed`, a recovery code spent a `mfa.recovery_code_used`.
   * @throws MfaCodeRejected, TooManyAttempts
   */
  async verifySecondFactor(
    user: User,
    code: string,
    attempt: MfaAttempt,
  ): Promise<SecondFactorKind> {
    let kind = 'otp' as SecondFactorKind;
    let left = 0;
    await this.counted(user, attempt, async () => {
      if (isTotpShaped(code)) {
        const device = await this.devices.findOne({
          where: { userId: user.id, confirmedAt: Not(IsNull()) },
        });
        const step = device ? this.match(device, code) : undefined;
        if (!device || step === undefined) return 'invalid';
        const accepted = await this.devices
          .createQueryBuilder()
          .update()
          .set({ lastUsedStep: step })
          .where('id = :id', { id: device.id })
          .andWhere('(last_used_step IS NULL OR last_used_step < :step)', { step })
          .execute();
        return accepted.affected ? undefined : 'replayed';
      }
      if (!(await this.isEnabled(user.id))) return 'invalid';
      const spent = await this.spendRecoveryCode(user.id, code);
      if (spent === undefined) return 'invalid';
      kind = 'recovery_code';
      left = spent;
      return undefined;
    });
    if (kind === 'recovery_code') {
      await this.events.emit(GatehouseEvent.mfaRecoveryCodeUsed, {
        ...userRef(user),
        surface: attempt.surface,
        left,
      });
    }
    return kind;
  }

  /** Turns a user's MFA off for staff or the CLI (a lost phone); whether it was on. Mails the user. */
  async reset(userId: number, by: { staff?: User; cli?: boolean }): Promise<boolean> {
    const device = await this.devices.findOne({ where: { userId }, relations: { user: true } });
    const wasOn = !!device?.confirmedAt;
    await this.remove(userId);
    if (!device?.user || !wasOn) return false;
    await this.events.emit(GatehouseEvent.mfaDisabled, {
      ...userRef(device.user),
      by: by.staff ? 'staff' : 'cli',
      surface: by.staff ? 'admin' : undefined,
    });
    this.mail?.send('mfa-disabled', device.user.email, { email: device.user.email });
    return true;
  }

  private issuer(): string {
    return this.config.mfa?.issuer ?? DEFAULT_ISSUER;
  }

  private requireBox(): SealedBox {
    if (!this.box) throw new MfaUnavailable();
    return this.box;
  }

  /** The step the code matches on the device, if any. */
  private match(device: TotpDevice, code: string): number | undefined {
    const opened = this.requireBox().open(device.secret, sealContext(device.userId));
    if (opened === undefined) {
      // Sealed under another key (MFA_ENCRYPTION_KEY changed or lost): an operator's problem, not a wrong code.
      this.logger.error(
        `the TOTP secret of user ${device.userId} does not open with MFA_ENCRYPTION_KEY: was the key changed? (mfa:reset re-enrols the user)`,
      );
      throw new MfaUnavailable();
    }
    return matchTotp(Buffer.from(opened, 'base64url'), code);
  }

  /**
   * Runs one check of a code (or password) under the counts: refused at once while
   * a count is spent; a refusal (`check` names why) is counted and recorded, and
   * raised as MfaCodeRejected (MfaPasswordRejected), or TooManyAttempts once it
   * spends a count. A check that succeeds uses up nothing.
   */
  private async counted(
    user: User,
    attempt: MfaAttempt,
    check: () => Promise<'invalid' | 'replayed' | 'password' | undefined>,
  ): Promise<void> {
    const counts = this.countsOf(user.id, attempt);
    if (this.store) {
      const now = await this.store.peek(counts.map((count) => count.key));
      const spent = Math.max(
        0,
        ...now.map((count, i) =>
          count.hits >= throttleRate(this.config, counts[i].name).limit ? count.retryAfter : 0,
        ),
      );
      if (spent > 0) throw await this.throttled(attempt, spent);
    }
    const refused = await check();
    if (refused === undefined) return;
    let retryAfter = 0;
    for (const { name, key } of this.store ? counts : []) {
      const rate = throttleRate(this.config, name);
      const hit = await this.store!.hit(key, rate.limit, rate.seconds * 1000);
      if (!hit.allowed) retryAfter = Math.max(retryAfter, hit.retryAfter);
    }
    await this.events.emit(GatehouseEvent.mfaChallengeFailed, {
      userId: user.id,
      surface: attempt.surface,
      reason: refused,
    });
    if (retryAfter > 0) throw await this.throttled(attempt, retryAfter);
    throw refused === 'password' ? new MfaPasswordRejected() : new MfaCodeRejected();
  }

  /** A 429 to come, announced as the throttling guard announces its own (`throttled` in auth_events). */
  private async throttled(attempt: MfaAttempt, retryAfter: number): Promise<TooManyAttempts> {
    await this.events
      .emit(GatehouseEvent.requestThrottled, {
        scope: 'mfa',
        path: '',
        address: this.addressOf(attempt),
        userAgent: currentRequest()?.userAgent,
      })
      .catch(() => undefined);
    return new TooManyAttempts(retryAfter);
  }

  private addressOf(attempt: MfaAttempt): string {
    return attempt.ip ?? currentRequest()?.address ?? 'unknown';
  }

  /** The account's count from this address (never across addresses: no lockout of the owner) and the address's. */
  private countsOf(userId: number, attempt: MfaAttempt) {
    const address = this.addressOf(attempt);
    const account = createHash('sha256').update(`user:${userId}`).digest('hex');
    return [
      { name: 'mfa_code_address', key: `mfa_code:address:${address}` },
      { name: 'mfa_code', key: `mfa_code:identifier:${address}|${account}` },
    ];
  }

  private unusedCodes(userId: number): Promise<number> {
    return this.codes.count({ where: { userId, usedAt: IsNull() } });
  }

  /** Spends a recovery code of the user: how many are left, or undefined when it is none of theirs (or used). */
  private async spendRecoveryCode(userId: number, code: string): Promise<number | undefined> {
    const given = Buffer.from(recoveryDigest(userId, code), 'hex');
    const unused = await this.codes.find({ where: { userId, usedAt: IsNull() } });
    let match: RecoveryCode | undefined;
    for (const row of unused) {
      if (timingSafeEqual(Buffer.from(row.codeHash, 'hex'), given)) match ??= row;
    }
    if (!match) return undefined;
    const { affected } = await this.codes.update(
      { id: match.id, usedAt: IsNull() },
      { usedAt: new Date() },
    );
    return affected ? unused.length - 1 : undefined;
  }

  private async replaceRecoveryCodes(userId: number): Promise<string[]> {
    const fresh = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(RecoveryCode, { userId });
      const createdAt = new Date();
      await manager.insert(
        RecoveryCode,
        fresh.map((code) => ({
          userId,
          codeHash: recoveryDigest(userId, code),
          createdAt,
          usedAt: null,
        })),
      );
    });
    return fresh;
  }

  /** Deletes the user's device and codes; whether there was a device. */
  private async remove(userId: number): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const { affected } = await manager.delete(TotpDevice, { userId });
      await manager.delete(RecoveryCode, { userId });
      return (affected ?? 0) > 0;
    });
  }
}

/** The additional data a secret is sealed with: its user (a row copied onto another does not open). */
function sealContext(userId: number): string {
  return `mfa-totp:${userId}`;
}

/**
 * Outside production without MFA_ENCRYPTION_KEY: a key derived from the JWT key
 * (itself kept under DATA_DIR in development), so it survives restarts.
 */
function devKey(config: GatehouseConfig): Buffer | undefined {
  const base = config.jwt.secret ?? config.jwt.privateKey;
  if (!base) return undefined;
  return Buffer.from(hkdfSync('sha256', base, 'gatehouse-mfa', 'mfa-encryption-key', 32));
}

/** `xxxx-xxxx-xxxx` from 32 unambiguous characters: 60 random bits. */
function newRecoveryCode(): string {
  const bytes = randomBytes(12);
  const chars = Array.from(bytes, (byte) => RECOVERY_ALPHABET[byte & 31]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/** A recovery code's digest: its user and its characters, case, spaces and dashes aside. */
function recoveryDigest(userId: number, code: string): string {
  const normal = code.toLowerCase().replace(/[^a-z0-9]/g, '');
  return createHash('sha256').update(`${userId}:${normal}`).digest('hex');
}
