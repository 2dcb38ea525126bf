import type { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, Repository } from 'typeorm';
import { OutboxMail } from './outbox-mail.entity';

/** A mail as queued: the template and its values, rendered at delivery. */
export interface QueuedMail {
  template: string;
  to: string;
  context: Record<string, string>;
}

/** What one delivery attempt came to; `retryInMs` is set when another attempt is due. */
export type AttemptOutcome = { delivered: true } | { delivered: false; retryInMs?: number };

/** Tries to deliver a mail once (attempt counts from 1); never throws. */
export type DeliverMail = (mail: QueuedMail, attempt: number) => Promise<AttemptOutcome>;

/** How long a claim lasts: an instance that dies mid-delivery leaves its mail to another after this. */
const CLAIM_LEASE_MS = 5 * 60 * 1000;
/** How often an idle worker looks for mail queued by other instances (or left by dead ones). */
const POLL_INTERVAL_MS = 2000;
const BATCH = 20;

/**
 * The database outbox: `enqueue` writes a row, the worker of every instance
 * claims due rows with a conditional UPDATE (so exactly one instance delivers
 * each), deletes a row once it is delivered or given up, and reschedules a
 * failed one. A restart resumes whatever is left.
 */
export class MailOutbox {
  private readonly rows: Repository<OutboxMail>;
  private readonly inserts = new Set<Promise<void>>();
  private draining?: Promise<void>;
  private drainAgain = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    dataSource: DataSource,
    private readonly deliver: DeliverMail,
    private readonly logger: Logger,
  ) {
    this.rows = dataSource.getRepository(OutboxMail);
  }

  /** Starts the worker: mails left by an earlier run are delivered now. */
  start(): void {
    this.kick();
  }

  /** Writes the mail to the outbox (in the background); the worker delivers it. */
  enqueue(mail: QueuedMail): void {
    const now = new Date();
    const insert = this.rows
      .insert({
        template: mail.template,
        recipient: mail.to,
        context: JSON.stringify(mail.context),
        attempts: 0,
        nextAttemptAt: now,
        claimedUntil: null,
        createdAt: now,
      })
      .then(
        () => this.kick(),
        (error: Error) =>
          this.logger.error(`mail "${mail.template}" could not be queued: ${error.message}`),
      )
      .finally(() => this.inserts.delete(insert));
    this.inserts.add(insert);
  }

  /** Mails waiting in the outbox, all instances together. */
  depth(): Promise<number> {
    return this.rows.count();
  }

  /** Resolves once the outbox is empty (every mail delivered or given up). */
  async idle(): Promise<void> {
    for (;;) {
      await this.settleInserts();
      if (this.draining) {
        await this.draining;
        continue;
      }
      if ((await this.rows.count()) === 0) return;
      await sleep(20);
      this.kick();
    }
  }

  /** Stops claiming mail and waits for the attempt in progress; what is left stays queued. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.settleInserts();
    await this.draining;
  }

  private async settleInserts(): Promise<void> {
    while (this.inserts.size > 0) await Promise.all([...this.inserts]);
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    clearTimeout(this.timer);
    this.draining = this.drain()
      .catch((error: Error) => this.logger.warn(`mail outbox unavailable: ${error.message}`))
      .finally(() => {
        this.draining = undefined;
        if (this.drainAgain) {
          this.drainAgain = false;
          this.kick();
        } else {
          void this.scheduleNext();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      this.drainAgain = false;
      const now = new Date();
      const due = await this.rows
        .createQueryBuilder('mail')
        .select('mail.id')
        .where('mail.next_attempt_at <= :now', { now })
        .andWhere('(mail.claimed_until IS NULL OR mail.claimed_until < :now)', { now })
        .orderBy('mail.id')
        .limit(BATCH)
        .getMany();
      if (due.length === 0) return;
      for (const { id } of due) {
        if (this.stopped) return;
        await this.attempt(id);
      }
    }
  }

  /** Claims one row (or finds another instance has) and makes one delivery attempt. */
  private async attempt(id: number): Promise<void> {
    const now = new Date();
    const claim = await this.rows
      .createQueryBuilder()
      .update(OutboxMail)
      .set({
        claimedUntil: new Date(now.getTime() + CLAIM_LEASE_MS),
        attempts: () => 'attempts + 1',
      })
      .where('id = :id', { id })
      .andWhere('next_attempt_at <= :now', { now })
      .andWhere('(claimed_until IS NULL OR claimed_until < :now)', { now })
      .execute();
    if (claim.affected !== 1) return;
    const row = await this.rows.findOneBy({ id });
    if (!row) return;
    const mail: QueuedMail = {
      template: row.template,
      to: row.recipient,
      context: JSON.parse(row.context) as Record<string, string>,
    };
    const outcome = await this.deliver(mail, row.attempts);
    if (!outcome.delivered && outcome.retryInMs !== undefined) {
      await this.rows.update(
        { id },
        { nextAttemptAt: new Date(Date.now() + outcome.retryInMs), claimedUntil: null },
      );
    } else {
      await this.rows.delete({ id });
    }
  }

  /** Wakes the worker when the next retry is due, or after the poll interval. */
  private async scheduleNext(): Promise<void> {
    if (this.stopped) return;
    let wait = POLL_INTERVAL_MS;
    try {
      const next = await this.rows
        .createQueryBuilder('mail')
        .select('MIN(mail.next_attempt_at)', 'next')
        .getRawOne<{ next: string | Date | null }>();
      if (next?.next) {
        const at = new Date(next.next instanceof Date ? next.next : utc(next.next)).getTime();
        wait = Math.max(0, Math.min(wait, at - Date.now()));
      }
    } catch {
      // The database is away: poll again later.
    }
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }
}

/** SQLite hands raw timestamps back as UTC text without a zone. */
function utc(text: string): string {
  return /[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`;
}
