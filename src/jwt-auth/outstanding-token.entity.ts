import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../accounts/user.entity';

/**
 * Every refresh token issued (SimpleJWT's token_blacklist app). The token itself
 * is not kept: its `jti` identifies it, its SHA-256 is kept for audit.
 */
@Entity({ name: 'outstanding_tokens' })
export class OutstandingToken {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId: number | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 255, unique: true })
  jti: string;

  @Column({ name: 'token_sha256', type: 'varchar', length: 64 })
  tokenSha256: string;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Index()
  @Column({ name: 'expires_at', type: Date })
  expiresAt: Date;
}
