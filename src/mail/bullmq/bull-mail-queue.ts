import type { Logger } from '@nestjs/common';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { DeliverMail, MailOutbox, QueuedMail } from '../outbox/mail-outbox';

const QUEUE = 'mail';
/** How long a stop waits for the worker's job and Redis before cutting the connections. */
const CLOSE_BOUND_MS = 5000;

/** Carries how long to wait before the next attempt to the backoff strategy. */
class RetryLater extends Error {
  constructor(readonly retryInMs: number) {
    super('mail delivery failed; retrying');
  }
}

/**
 * The mail queue in Redis (BullMQ), used with REDIS_URL: jobs survive restarts,
 * each is delivered by one worker across instances, failed attempts are retried
 * with MailService's backoff. When Redis cannot take a mail, it goes to the
 * database outbox instead (whose worker always runs), so no mail is lost.
 */
export class BullMailQueue {
  private readonly queue: Queue;
  private readonly worker: Worker;
  private readonly connections: Redis[] = [];
  private readonly adds = new Set<Promise<void>>();

  constructor(
    redisUrl: string,
    prefix: string,
    maxAttempts: number,
    private readonly deliver: DeliverMail,
    private readonly fallback: MailOutbox,
    private readonly logger: Logger,
  ) {
    const connection = (failFast: boolean) => {
      const client = new Redis(redisUrl, {
        maxRetriesPerRequest: failFast ? 1 : null,
        enableOfflineQueue: !failFast,
        connectTimeout: 2000,
      });
      client.on('error', () => undefined); // RedisModule logs Redis' state
      this.connections.push(client);
      return client;
    };
    this.queue = new Queue(QUEUE, {
      connection: connection(false),
      prefix,
      defaultJobOptions: {
        attempts: maxAttempts,
        backoff: { type: 'mail' },
        removeOnComplete: true,
        removeOnFail: true,
      },
    });
    this.queue.on('error', () => undefined);
    this.worker = new Worker(QUEUE, (job: Job<QueuedMail>) => this.process(job), {
      connection: connection(false),
      prefix,
      autorun: false,
      // A worker that dies mid-delivery leaves a stalled job: another takes it
      // within ~15 s, however many times that happens.
      lockDuration: 10_000,
      stalledInterval: 5_000,
      maxStalledCount: 100,
      settings: {
        backoffStrategy: (_attempts, _type, error) =>
          error instanceof RetryLater ? error.retryInMs : 1000,
      },
    });
    this.worker.on('error', (error) => this.logger.warn(`mail queue: ${error.message}`));
  }

  start(): void {
    void this.worker
      .run()
      .catch((error: Error) => this.logger.warn(`mail queue: ${error.message}`));
  }

  enqueue(mail: QueuedMail): void {
    const add = this.queue
      .add(mail.template, mail)
      .then(
        () => undefined,
        (error: Error) => {
          this.logger.warn(`mail queue unavailable (${error.message}); using the database outbox`);
          this.fallback.enqueue(mail);
        },
      )
      .finally(() => this.adds.delete(add));
    this.adds.add(add);
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).reduce((sum, count) => sum + count, 0);
  }

  /** Resolves once Redis holds no mail (or cannot be asked: then nothing is queued there by us). */
  async idle(): Promise<void> {
    for (;;) {
      while (this.adds.size > 0) await Promise.all([...this.adds]);
      if ((await this.depth().catch(() => 0)) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Lets the job in progress finish; the others stay in Redis for the next worker. */
  async stop(): Promise<void> {
    while (this.adds.size > 0) await Promise.all([...this.adds]);
    // Closing waits for Redis, which may be away: bounded, then the sockets are cut.
    const bound = new Promise((resolve) => setTimeout(resolve, CLOSE_BOUND_MS).unref());
    await Promise.race([
      Promise.all([this.worker.close(), this.queue.close()]).catch(() => undefined),
      bound,
    ]);
    for (const client of this.connections) client.disconnect();
  }

  private async process(job: Job<QueuedMail>): Promise<void> {
    const outcome = await this.deliver(job.data, job.attemptsMade + 1);
    if (!outcome.delivered && outcome.retryInMs !== undefined) {
      throw new RetryLater(outcome.retryInMs);
    }
  }
}
