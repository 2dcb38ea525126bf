import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A mail waiting for delivery (the database outbox, used without REDIS_URL).
 * The row is deleted once the mail is delivered or given up, so the links it
 * carries stay at rest only while the mail is in flight.
 */
@Entity({ name: 'mail_outbox' })
@Index('IDX_mail_outbox_due', ['nextAttemptAt'])
export class OutboxMail {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 64 })
  template: string;

  @Column({ type: 'varchar', length: 320 })
  recipient: string;

  /** The template's values, as JSON. */
  @Column({ type: 'text' })
  context: string;

  /** Delivery attempts started so far. */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: Date })
  nextAttemptAt: Date;

  /** Until when the instance that claimed the row owns its delivery; null when unclaimed. */
  @Column({ name: 'claimed_until', type: Date, nullable: true })
  claimedUntil: Date | null;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;
}
