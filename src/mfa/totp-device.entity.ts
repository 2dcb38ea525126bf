import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../accounts/user.entity';

/**
 * A user's TOTP authenticator (at most one per user): pending from `beginTotp`
 * until a first code confirms it. MFA is on for the user while a confirmed one exists.
 */
@Entity({ name: 'mfa_totp_devices' })
export class TotpDevice {
  @PrimaryGeneratedColumn()
  id: number;

  @Index({ unique: true })
  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /**
   * The secret, sealed (SealedBox: AES-256-GCM under a key derived from
   * MFA_ENCRYPTION_KEY, bound to the user); never stored in clear.
   */
  @Column({ type: 'text' })
  secret: string;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  /** Null while pending. */
  @Column({ name: 'confirmed_at', type: Date, nullable: true })
  confirmedAt: Date | null;

  /** The time step of the last code accepted: that code, and every earlier one, is refused. */
  @Column({ name: 'last_used_step', type: 'integer', nullable: true })
  lastUsedStep: number | null;
}
