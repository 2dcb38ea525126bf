import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { GatehouseConfig } from '../config/gatehouse-config';
import { JwtTokenService } from '../jwt-auth/jwt-token.service';
import { JobLockService } from './job-lock.service';

const JOB = 'token-flush';

/** Removes the rows of one kind that have expired by `now`; how many it removed. */
export type ExpiredRowsFlush = (now: Date) => Promise<number>;

/** How many rows a flush removed, by kind (`refresh_tokens`, and what other modules added). */
export type FlushedRows = Record<string, number>;

/**
 * Removes expired refresh-token rows every TOKEN_FLUSH_INTERVAL seconds, on
 * one instance at a time: each tick runs only where the job's lease was taken.
 * Gatehouse's other modules add their own expired rows to the same run (`alsoFlush`).
 */
@Injectable()
export class TokenFlushService implements OnApplicationBootstrap {
  private readonly logger = new Logger('TokenFlush');
  private readonly kinds = new Map<string, { label: string; flush: ExpiredRowsFlush }>();

  constructor(
    private readonly config: GatehouseConfig,
    tokens: JwtTokenService,
    private readonly scheduler: SchedulerRegistry,
    private readonly locks: JobLockService,
  ) {
    this.alsoFlush('refresh_tokens', 'expired refresh tokens', (now) => tokens.flushExpired(now));
  }

  /**
   * Adds a kind of expiring row to every flush: `kind` keys it in `flushExpired`'s
   * answer, `label` names it in the log ("removed 3 expired MFA challenges").
   */
  alsoFlush(kind: string, label: string, flush: ExpiredRowsFlush): void {
    this.kinds.set(kind, { label, flush });
  }

  onApplicationBootstrap(): void {
    const seconds = this.config.jwt.flushInterval;
    if (seconds <= 0) return;
    const timer = setInterval(() => void this.tick(seconds), seconds * 1000);
    timer.unref();
    // Registered with the scheduler, which clears it when the app closes.
    this.scheduler.addInterval(JOB, timer);
  }

  /** Removes every kind's expired rows now (the CLI's `tokens:flush-expired`). */
  async flushExpired(now = new Date()): Promise<FlushedRows> {
    const removed: FlushedRows = {};
    for (const [kind, { flush }] of this.kinds) removed[kind] = await flush(now);
    return removed;
  }

  /** One scheduled run: flushes when this instance holds the lease (a little shorter than the interval). */
  async tick(intervalSeconds: number): Promise<boolean> {
    try {
      if (!(await this.locks.acquire(JOB, intervalSeconds * 900))) return false;
      const removed = await this.flushExpired();
      for (const [kind, count] of Object.entries(removed))
        if (count > 0) this.logger.log(`removed ${count} ${this.kinds.get(kind)?.label ?? kind}`);
      return true;
    } catch (error) {
      this.logger.error(error instanceof Error ? error.message : String(error));
      return false;
    }
  }
}
