import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AuthEventOutcome = 'success' | 'failure';

/**
 * One authentication event: who (user id when known, the identifier as typed,
 * truncated), from where (client address, user agent), on which surface, what
 * happened and how it ended. Never a password, token, key or link.
 */
@Entity({ name: 'auth_events' })
export class AuthEvent {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column({ name: 'occurred_at', type: Date })
  occurredAt: Date;

  @Index()
  @Column({ type: 'varchar', length: 40 })
  type: string;

  @Column({ type: 'varchar', length: 10 })
  outcome: AuthEventOutcome;

  @Index()
  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId: number | null;

  @Column({ type: 'varchar', length: 150, nullable: true })
  identifier: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  surface: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  reason: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  address: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 256, nullable: true })
  userAgent: string | null;

  /** What the columns do not say, e.g. an import run's counts; never a secret. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  details: string | null;
}
