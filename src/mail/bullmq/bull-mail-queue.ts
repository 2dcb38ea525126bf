import type { Logger } from '@nestjs/common';
import type { Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DeliverMail, MailOutbox, QueuedMail } from '../outbox/mail-outbox';

const QUEUE = 'mail';

/** Carries how long to wait before the next attempt to the backoff strategy. */
class RetryLater extends Error {
  constructor(readonly retryInMs: number) {
    super('mail delivery failed; retrying');
  }
}

/**
 * The mail queue in Redis (BullMQ), used with REDIS_URL: jobs survive restarts,
 * each is delivered by one worker across instances, failed attempts are retried
 * with MailService's backoff. The producer side fails fast (BullMQ's advice for
 * producers): a mail Redis cannot take right now goes to the database outbox at
 * once (whose worker always runs), never into process memory, so no mail is lost
 * to a restart during a Redis outage. The worker keeps reconnecting.
 * BullMQ is loaded (`open`) only when REDIS_URL is set.
 */
export class BullMailQueue {
  private readonly adds = new Set<Promise<void>>();

  private constructor(
    /** A fail-fast connection: no offline queue. */
    private readonly producer: Redis,
    private readonly queue: Queue,
    private readonly worker: Worker,
    /** The worker's own connection, which waits for Redis through an outage. */
    private readonly workerConnection: Redis,
    private readonly fallback: MailOutbox,
    private readonly logger: Logger,
  ) {
    this.queue.on('error', () => undefined);
    // The worker reports each failed reconnection: one line per kind of failure, not per retry.
    let last = '';
    this.worker.on('error', (error) => {
      if (error.message !== last) this.logger.warn(`mail queue: ${error.message}`);
      last = error.message;
    });
    this.worker.on('ready', () => (last = ''));
  }

  static async open(
    redis: Redis,
    prefix: string,
    maxAttempts: number,
    deliver: DeliverMail,
    fallback: MailOutbox,
    logger: Logger,
  ): Promise<BullMailQueue> {
    const { Queue, Worker } = await import('bullmq');
    // Fail-fast like the shared connection (no offline queue), but without its command
    // timeout: an add that timed out might still have reached Redis, and would then go
    // to the outbox too (two mails). Adds run after the answer, so a slow one holds no request.
    const producer = redis.duplicate({ commandTimeout: undefined });
    producer.on('error', () => undefined); // RedisModule logs Redis' state
    const queue = new Queue(QUEUE, {
      connection: producer,
      prefix,
      defaultJobOptions: {
        attempts: maxAttempts,
        backoff: { type: 'mail' },
        removeOnComplete: true,
        removeOnFail: true,
      },
    });
    // Blocking reads: no per-command retry limit, no command timeout, an offline queue.
    const workerConnection = redis.duplicate({
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      commandTimeout: undefined,
    });
    workerConnection.on('error', () => undefined); // RedisModule logs Redis' state
    const worker = new Worker(
      QUEUE,
      async (job: Job<QueuedMail>) => {
        const outcome = await deliver(job.data, job.attemptsMade + 1);
        if (!outcome.delivered && outcome.retryInMs !== undefined) {
          throw new RetryLater(outcome.retryInMs);
        }
      },
      {
        connection: workerConnection,
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
      },
    );
    return new BullMailQueue(producer, queue, worker, workerConnection, fallback, logger);
  }

  start(): void {
    void this.worker
      .run()
      .catch((error: Error) => this.logger.warn(`mail queue: ${error.message}`));
  }

  enqueue(mail: QueuedMail): void {
    if (this.producer.status !== 'ready') {
      // Redis is away (or not yet connected): BullMQ would wait for it, in memory.
      this.logger.warn(
        'mail queue unavailable (Redis is not connected); using the database outbox',
      );
      this.fallback.enqueue(mail);
      return;
    }
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

  /**
   * Lets the job in progress finish (for at most `boundMs`); the others stay in Redis
   * for the next worker. With Redis away there is nothing to finish there: a job in
   * progress could not record its outcome, and is taken over once Redis is back.
   */
  async stop(boundMs: number): Promise<void> {
    while (this.adds.size > 0) await Promise.all([...this.adds]);
    if (this.workerConnection.status === 'ready') {
      const bound = new Promise((resolve) => setTimeout(resolve, boundMs).unref());
      await Promise.race([
        Promise.all([this.worker.close(), this.queue.close()]).catch(() => undefined),
        bound,
      ]);
    }
    this.workerConnection.disconnect();
    this.producer.disconnect();
  }
}
