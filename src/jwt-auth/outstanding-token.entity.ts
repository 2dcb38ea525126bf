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

  /** The session (auth_sessions) this credential belongs to; null for one made before sessions. */
  @Index()
  @Column({ name: 'session_id', type: 'varchar', length: 36, nullable: true })
  sessionId: string | null;

  @Column({ name: 'token_sha256', type: 'varchar', length: 64 })
  tokenSha256: string;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Index()
  @Column({ name: 'expires_at', type: Date })
  expiresAt: Date;

  /** When it was rotated (ROTATE_REFRESH_TOKENS): presented again past the grace window, it is reuse. */
  @Column({ name: 'rotated_at', type: Date, nullable: true })
  rotatedAt: Date | null;

  /** The refresh token it was rotated into, encrypted, handed out again within the grace window. */
  @Column({ type: 'text', nullable: true })
  successor: string | null;
}
