import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { GatehouseConfig } from '../config/gatehouse-config';
import { JwtTokenService } from '../jwt-auth/jwt-token.service';
import { JobLockService } from './job-lock.service';

const JOB = 'token-flush';

/**
 * Removes expired refresh-token rows every TOKEN_FLUSH_INTERVAL seconds, on
 * one instance at a time: each tick runs only where the job's lease was taken.
 */
@Injectable()
export class TokenFlushService implements OnApplicationBootstrap {
  private readonly logger = new Logger('TokenFlush');

  constructor(
    private readonly config: GatehouseConfig,
    private readonly tokens: JwtTokenService,
    private readonly scheduler: SchedulerRegistry,
    private readonly locks: JobLockService,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.jwt.flushInterval;
    if (seconds <= 0) return;
    const timer = setInterval(() => void this.tick(seconds), seconds * 1000);
    timer.unref();
    // Registered with the scheduler, which clears it when the app closes.
    this.scheduler.addInterval(JOB, timer);
  }

  /** One scheduled run: flushes when this instance holds the lease (a little shorter than the interval). */
  async tick(intervalSeconds: number): Promise<boolean> {
    try {
      if (!(await this.locks.acquire(JOB, intervalSeconds * 900))) return false;
      const removed = await this.tokens.flushExpired();
      if (removed > 0) this.logger.log(`removed ${removed} expired refresh tokens`);
      return true;
    } catch (error) {
      this.logger.error(error instanceof Error ? error.message : String(error));
      return false;
    }
  }
}
