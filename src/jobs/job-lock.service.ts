import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '../infra/redis/redis.module';
import { GatehouseConfig } from '../config/gatehouse-config';
import { JobLease } from './job-lease.entity';

/**
 * Leases for scheduled jobs: of all instances, the one that takes a job's
 * lease runs it, and nobody else does until the lease lapses. In Redis
 * (`SET NX PX` on `<REDIS_PREFIX>:job:<name>`) with REDIS_URL, else in the `job_leases` table (a conditional
 * UPDATE, or the INSERT that creates the row).
 */
@Injectable()
export class JobLockService {
  private readonly logger = new Logger('Jobs');
  /** This instance, as lease holder. */
  readonly holder = randomUUID();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis | null,
    private readonly config: GatehouseConfig,
  ) {}

  /** Takes the job's lease for `ttlMs` when it is free; true when this instance got it. */
  async acquire(job: string, ttlMs: number): Promise<boolean> {
    if (this.redis?.status === 'ready') {
      try {
        const set = await this.redis.set(
          `${this.config.redisPrefix}:job:${job}`,
          this.holder,
          'PX',
          ttlMs,
          'NX',
        );
        return set === 'OK';
      } catch (error) {
        this.logger.warn(
          `Redis lock for ${job} failed (${(error as Error).message}); using the database`,
        );
      }
    }
    return this.acquireInDatabase(job, ttlMs);
  }

  private async acquireInDatabase(job: string, ttlMs: number): Promise<boolean> {
    const now = new Date();
    const until = new Date(now.getTime() + ttlMs);
    const leases = this.dataSource.getRepository(JobLease);
    const taken = await leases
      .createQueryBuilder()
      .update(JobLease)
      .set({ holder: this.holder, expiresAt: until })
      .where('name = :job', { job })
      .andWhere('expires_at <= :now', { now })
      .execute();
    if (taken.affected === 1) return true;
    try {
      await leases.insert({ name: job, holder: this.holder, expiresAt: until });
      return true;
    } catch {
      return false; // the row exists: another instance holds the lease
    }
  }
}
