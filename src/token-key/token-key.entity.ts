import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../accounts/user.entity';

/**
 * A persistent API key (DRF's authtoken, seed 002). The clear key is shown once;
 * the table keeps its first characters for lookup and its SHA-256.
 */
@Entity({ name: 'token_keys' })
export class TokenKey {
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

  @Index()
  @Column({ type: 'varchar', length: 8 })
  prefix: string;

  @Column({ name: 'key_sha256', type: 'varchar', length: 64, unique: true })
  keySha256: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  name: string | null;

  @Column({ type: Date })
  created: Date;

  @Column({ name: 'last_used', type: Date, nullable: true })
  lastUsed: Date | null;
}
