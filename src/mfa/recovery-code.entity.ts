import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../accounts/user.entity';

/** One single-use recovery code of a user with MFA on: its digest only, never the code. */
@Entity({ name: 'mfa_recovery_codes' })
export class RecoveryCode {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /**
   * SHA-256 of the user id and the normalised code, hex: a code carries 60 random
   * bits, so no slow hash is needed against guessing from a stolen table.
   */
  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash: string;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Column({ name: 'used_at', type: Date, nullable: true })
  usedAt: Date | null;
}
