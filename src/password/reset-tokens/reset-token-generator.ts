import { Injectable } from '@nestjs/common';
import type { User } from '../../accounts/user.entity';
import { appSecret } from '../../infra/crypto/app-secret';
import { safeEqual, saltedHmac } from '../../infra/crypto/signing';
import { GatehouseConfig } from '../../config/gatehouse-config';
import { allauthHashValue } from './allauth';
import { djangoHashValue } from './django';

const KEY_SALT = 'django.contrib.auth.tokens.PasswordResetTokenGenerator';
/** Django counts seconds from 2001-01-01. */
const EPOCH_2001 = Date.UTC(2001, 0, 1) / 1000;

/** What a generator's HMAC is taken over (its `_make_hash_value`). */
type HashValue = (user: User, timestamp: number) => string;

/**
 * Links mailed before the move may come from Django's generator or allauth's (which
 * dj-rest-auth uses when allauth is installed); Gatehouse makes Django's.
 */
const HASH_VALUES: readonly HashValue[] = [djangoHashValue, allauthHashValue];

/**
 * Django's PasswordResetTokenGenerator: `<base36 timestamp>-<every other hex
 * digit of an HMAC>` over the user's pk, password hash, last login, the
 * timestamp and the e-mail (reset-tokens/django.ts; allauth's variant appends the
 * addresses). Nothing is stored: the token dies when the password
 * changes (the hash differs), when the user logs in or changes the address, and
 * after PASSWORD_RESET_TIMEOUT.
 */
@Injectable()
export class PasswordResetTokenGenerator {
  private readonly secret: Buffer;
  /**
   * Django's SECRET_KEY (JWT_SECRET after the move) and JWT_PREVIOUS_SECRETS, as
   * Django's SECRET_KEY_FALLBACKS: links Django mailed before the move still reset.
   */
  private readonly djangoSecrets: readonly string[];

  constructor(private readonly config: GatehouseConfig) {
    this.secret = appSecret(config);
    this.djangoSecrets = [
      ...(config.jwt.algorithm === 'HS256' && config.jwt.secret ? [config.jwt.secret] : []),
      ...(config.jwt.previousSecrets ?? []),
    ];
  }

  make(user: User, now = Date.now()): string {
    return this.tokenAt(user, secondsSince2001(now));
  }

  check(user: User, token: string, now = Date.now()): boolean {
    const match = /^([0-9a-z]{1,13})-([0-9a-f]{32})$/.exec(token);
    if (!match) return false;
    const timestamp = parseInt(match[1], 36);
    const secrets = [this.secret, ...this.djangoSecrets];
    const matches = secrets.some((secret) =>
      HASH_VALUES.some((hashValue) =>
        safeEqual(this.tokenAt(user, timestamp, secret, hashValue), token),
      ),
    );
    if (!matches) return false;
    return secondsSince2001(now) - timestamp <= this.config.passwordResetTimeout;
  }

  private tokenAt(
    user: User,
    timestamp: number,
    secret: string | Buffer = this.secret,
    hashValue: HashValue = djangoHashValue,
  ): string {
    const hash = saltedHmac(KEY_SALT, hashValue(user, timestamp), secret).toString('hex');
    return `${timestamp.toString(36)}-${[...hash].filter((_, i) => i % 2 === 0).join('')}`;
  }
}

function secondsSince2001(ms: number): number {
  return Math.floor(ms / 1000 - EPOCH_2001);
}
