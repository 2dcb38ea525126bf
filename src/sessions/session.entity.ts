import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../accounts/user.entity';

/** What a session stands for: the credential a login handed out. */
export type SessionKind = 'jwt' | 'token' | 'fastapi' | 'dashboard' | 'login_link';

/** Why a session ended (auth_sessions.end_reason). */
export type SessionEndReason =
  | 'logout'
  | 'revoked'
  | 'others_revoked'
  | 'staff'
  | 'password_changed'
  | 'deactivated'
  | 'reuse_detected'
  | (string & {});

/**
 * One login on one device, whatever the surface: a refresh-token family, a Token
 * key, a fastapi-users token, a dashboard or login-link session. The credentials
 * themselves point at it (`session_id`); ending it ends them all.
 */
@Entity({ name: 'auth_sessions' })
export class Session {
  /** A UUID: it goes into tokens (`sid`) and URLs, so it must not be guessable. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index()
  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 16 })
  kind: SessionKind;

  /** The surface the login came through: 'djoser', 'simplejwt', 'rest-auth', 'fastapi-users', 'dashboard', 'imported'… */
  @Column({ type: 'varchar', length: 32 })
  surface: string;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: Date, nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  @Column({ name: 'ip_address', type: 'varchar', length: 45, nullable: true })
  ipAddress: string | null;

  @Index()
  @Column({ name: 'ended_at', type: Date, nullable: true })
  endedAt: Date | null;

  @Column({ name: 'end_reason', type: 'varchar', length: 32, nullable: true })
  endReason: string | null;

  /**
   * RFC 8176 methods of the login, space-separated (`pwd otp`), when it took a
   * second factor; null for a login by one factor. Tokens of the session carry it (`amr`).
   */
  @Column({ type: 'varchar', length: 64, nullable: true })
  amr: string | null;
}
