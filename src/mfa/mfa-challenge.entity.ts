import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../accounts/user.entity';
import type { FirstFactor } from '../accounts/login.service';

/**
 * A login waiting for its second factor: the `mfa_token` handed out with the
 * challenge (its SHA-256 only), bound to the user and the surface, for 5 minutes, once.
 */
@Entity({ name: 'mfa_challenges' })
export class MfaChallenge {
  @PrimaryColumn({ name: 'token_sha256', type: 'varchar', length: 64 })
  tokenSha256: string;

  @Index()
  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** The surface that issued it: only that surface's login endpoint redeems it. */
  @Column({ type: 'varchar', length: 32 })
  surface: string;

  /** How the first factor was given (`pwd`, `link`): it decides the session's `amr`. */
  @Column({ name: 'first_factor', type: 'varchar', length: 8 })
  firstFactor: FirstFactor;

  /** Wrong codes sent with it; at MFA_CHALLENGE_ATTEMPTS it is dead. */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Index()
  @Column({ name: 'expires_at', type: Date })
  expiresAt: Date;

  @Column({ name: 'used_at', type: Date, nullable: true })
  usedAt: Date | null;
}
