import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../accounts/user.entity';

/**
 * A browser session of the trader dashboard (seed 002's auto-login), or a
 * single-use login-link ticket (`kind = 'ticket'`). Only SHA-256 digests are kept.
 */
@Entity({ name: 'dashboard_sessions' })
export class DashboardSession {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** The session (auth_sessions) this credential belongs to; null for one made before sessions. */
  @Index()
  @Column({ name: 'session_id', type: 'varchar', length: 36, nullable: true })
  sessionId: string | null;

  @Column({ type: 'varchar', length: 10 })
  kind: 'session' | 'ticket';

  @Column({ name: 'secret_sha256', type: 'varchar', length: 64, unique: true })
  secretSha256: string;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Index()
  @Column({ name: 'expires_at', type: Date })
  expiresAt: Date;
}
