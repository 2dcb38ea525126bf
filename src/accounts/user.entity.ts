import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AccountProvider, PLATFORM_PROVIDER_ID } from './account-provider.entity';

/** KYC states, as seed 000 writes them. */
export const KYC_STATUSES = ['pending', 'kyc_in_review', 'kyc_passed', 'kyc_failed'] as const;
export type KycStatus = (typeof KYC_STATUSES)[number];

/**
 * The one user store behind every surface. Column names follow Django's
 * `auth_user` and the seeds, so imported rows keep their meaning.
 * The e-mail is unique case-insensitively (an index on lower(email), see the migration).
 */
@Entity({ name: 'users' })
export class User {
  /** Integer pk: SimpleJWT's `user_id`, dj-rest-auth's `pk`, seed 000's `id`. */
  @PrimaryGeneratedColumn()
  id: number;

  /** fastapi-users' `id` and the JWT `sub`. */
  @Column({ type: 'varchar', length: 36, unique: true })
  uuid: string;

  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 150, unique: true })
  username: string;

  /**
   * `identityKey(email)` and `identityKey(username)` (identity-key.ts), each under a
   * unique index: look-alikes — another letter case, a Kelvin sign, a fullwidth
   * letter — are one identity on SQLite and PostgreSQL alike. Null only for the
   * later of two look-alikes that predate the keys (see the migration).
   */
  @Column({ name: 'email_key', type: 'varchar', length: 64, nullable: true })
  emailKey: string | null;

  @Column({ name: 'username_key', type: 'varchar', length: 64, nullable: true })
  usernameKey: string | null;

  @Column({ name: 'first_name', type: 'varchar', length: 150, default: '' })
  firstName: string;

  @Column({ name: 'last_name', type: 'varchar', length: 150, default: '' })
  lastName: string;

  /** An encoded hash (`$argon2id$…`, or an imported Django/passlib one until next login). */
  @Column({ type: 'varchar', length: 255 })
  password: string;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;

  @Column({ name: 'is_verified', type: 'boolean', default: false })
  isVerified: boolean;

  @Column({ name: 'is_staff', type: 'boolean', default: false })
  isStaff: boolean;

  @Column({ name: 'is_superuser', type: 'boolean', default: false })
  isSuperuser: boolean;

  /** Seed 002's "Your account has been blocked" state, distinct from inactive. */
  @Column({ name: 'is_blocked', type: 'boolean', default: false })
  isBlocked: boolean;

  @Column({ name: 'date_joined', type: Date })
  dateJoined: Date;

  @Column({ name: 'last_login', type: Date, nullable: true })
  lastLogin: Date | null;

  @Column({ name: 'country_code', type: 'varchar', length: 2, nullable: true })
  countryCode: string | null;

  @Column({ name: 'kyc_status', type: 'varchar', length: 20, default: 'pending' })
  kycStatus: KycStatus;

  @Column({ type: 'varchar', length: 20, default: 'pending' })
  status: KycStatus;

  @Column({ name: 'has_deposited', type: 'boolean', default: false })
  hasDeposited: boolean;

  /** Stellar account id (`G…`, 56 characters). */
  @Column({ name: 'public_key', type: 'varchar', length: 56, nullable: true })
  publicKey: string | null;

  @Column({ name: 'signer_key', type: 'varchar', length: 56, nullable: true })
  signerKey: string | null;

  /** Short code of the user's referral link (4–8 URL-safe characters). */
  @Column({ name: 'referral_code', type: 'varchar', length: 8, unique: true })
  referralCode: string;

  @Column({ name: 'account_provider_id', type: 'integer', default: PLATFORM_PROVIDER_ID })
  accountProviderId: number;

  @ManyToOne(() => AccountProvider, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'account_provider_id' })
  accountProvider?: AccountProvider;

  /** When the last e-mail confirmation mail was sent (the resend rate limit). */
  @Column({ name: 'email_confirmation_sent_at', type: Date, nullable: true })
  emailConfirmationSentAt: Date | null;

  /**
   * When every session of the user was last ended at once (deactivation, "log out
   * everywhere"): a credential issued before it is dead, even after a re-activation.
   */
  @Column({ name: 'sessions_ended_at', type: Date, nullable: true })
  sessionsEndedAt: Date | null;

  /** Seed 002's newsletter opt-in. */
  @Column({ type: 'boolean', default: false })
  subscribe: boolean;

  /**
   * Whether this user may still act: log in, authenticate a request, be mailed a
   * reset or verification link. Django's `is_active`, and not blocked (seed 002).
   */
  get canAuthenticate(): boolean {
    return this.isActive && !this.isBlocked;
  }
}
