import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '../infra/redis/redis.module';
import { holdRequestContext } from '../observability/request-context';
import { GatehouseConfig } from '../config/gatehouse-config';
import { MAIL_TRANSPORT, type MailMessage, type MailTransport } from './mail-transport';
import {
  loadTemplate,
  type MailContext,
  type MailTemplateName,
  renderTemplate,
} from './mail-templates';
import { BullMailQueue } from './bullmq/bull-mail-queue';
import {
  type AttemptOutcome,
  type DeliverMail,
  MailOutbox,
  type QueuedMail,
} from './outbox/mail-outbox';

/** Longest wait between two attempts, whatever the doubling reaches. */
const MAX_RETRY_DELAY_MS = 10 * 60 * 1000;
/**
 * Deferred mail preparations run on ticks of the wall clock this far apart, in
 * batches: never in step with the request that asked for one, so the work an
 * existing account costs lands on whichever request is running then, of either kind.
 */
const PREPARATION_TICK_MS = 20;

/**
 * Renders mails from their templates and delivers them in the background:
 * `send` returns at once, so no HTTP answer waits for (or fails with) the SMTP
 * server. The mail is queued durably, so a restart resumes it and exactly one
 * instance delivers it: in Redis through BullMQ with REDIS_URL, in the outbox
 * table otherwise and whenever Redis cannot take it. A failed delivery is
 * retried with exponential backoff and logged.
 */
@Injectable()
export class MailService
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger('Mail');
  private readonly outbox: MailOutbox;
  /** Failed delivery attempts since this instance started (metrics). */
  failures = 0;

  /** With REDIS_URL, the BullMQ queue (which falls back to the outbox when Redis is away). */
  private redisQueue?: BullMailQueue;
  private readonly deliver: DeliverMail = (mail, attempt) => this.attempt(mail, attempt);

  constructor(
    private readonly config: GatehouseConfig,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {
    this.outbox = new MailOutbox(dataSource, this.deliver, this.logger);
  }

  /** Opens the queue in Redis (BullMQ, heavy, is loaded only with REDIS_URL). */
  async onModuleInit(): Promise<void> {
    if (!this.redis) return;
    this.redisQueue = await BullMailQueue.open(
      this.redis,
      this.config.redisPrefix,
      this.config.mail.maxAttempts,
      this.deliver,
      this.outbox,
      this.logger,
    );
  }

  /** Preparations `defer` runs after the answer, until they have queued their mail. */
  private readonly inFlight = new Set<Promise<void>>();

  /** Queues a mail; never throws, never waits for delivery. */
  send(template: MailTemplateName, to: string, context: MailContext): void {
    const mail = { template, to, context: { site_name: this.siteName(), ...context } };
    (this.redisQueue ?? this.outbox).enqueue(mail);
  }

  /**
   * Runs a mail's preparation (the account lookup, its token, then `send`) after
   * the answer has gone: endpoints that must not tell an existing account from an
   * unknown one answer in the same time either way. Never throws.
   */
  defer(work: () => Promise<void>): void {
    // The request's context outlives its answer until the mail is prepared: the
    // event it records (password_reset_requested, …) names the client.
    const release = holdRequestContext();
    const job: Promise<void> = new Promise<void>((resolve) => this.nextTick.push(resolve))
      .then(work)
      .catch((error: unknown) =>
        this.logger.error(`mail preparation failed: ${(error as Error).message}`),
      )
      .finally(() => {
        release();
        this.inFlight.delete(job);
      });
    this.inFlight.add(job);
    this.tickTimer ??= setTimeout(
      () => {
        this.tickTimer = undefined;
        for (const start of this.nextTick.splice(0)) start();
      },
      PREPARATION_TICK_MS - (Date.now() % PREPARATION_TICK_MS),
    );
  }

  /** The preparations waiting for the next tick, and its timer. */
  private readonly nextTick: (() => void)[] = [];
  private tickTimer?: NodeJS.Timeout;

  /** Resolves once every queued mail is delivered or given up (tests, graceful stops). */
  async idle(): Promise<void> {
    // Mails still being prepared after their answer (`defer`) are queued first.
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    await this.redisQueue?.idle();
    await this.outbox.idle();
  }

  /** Mails waiting for delivery, across instances (those in Redis only while it answers). */
  async queueDepth(): Promise<number> {
    const inRedis = (await this.redisQueue?.depth().catch(() => 0)) ?? 0;
    return inRedis + (await this.outbox.depth());
  }

  onApplicationBootstrap(): void {
    this.outbox.start();
    this.redisQueue?.start();
  }

  /** Lets the delivery in progress finish; undelivered mail stays queued for the next start. */
  async beforeApplicationShutdown(): Promise<void> {
    // SHUTDOWN_TIMEOUT bounds the whole stop in main.ts; this bounds Redis' part in a host app too.
    await Promise.all([
      this.redisQueue?.stop(this.config.shutdownTimeout * 1000),
      this.outbox.stop(),
    ]);
  }

  onApplicationShutdown(): void {
    this.transport.close?.();
  }

  /** One delivery attempt, logged; says whether and when to retry. */
  private async attempt(queued: QueuedMail, attempt: number): Promise<AttemptOutcome> {
    const template = queued.template as MailTemplateName;
    let message: MailMessage;
    try {
      message = await this.render(template, queued.to, queued.context);
    } catch (error) {
      this.logger.error(`mail "${template}" cannot be rendered: ${(error as Error).message}`);
      return { delivered: false };
    }
    const { maxAttempts, retryDelay } = this.config.mail;
    try {
      await this.transport.send(message);
      if (attempt > 1) this.logger.log(`mail "${template}" delivered on attempt ${attempt}`);
      return { delivered: true };
    } catch (error) {
      const reason = (error as Error).message;
      this.failures++;
      if (attempt >= maxAttempts) {
        this.logger.error(`mail "${template}" given up after ${attempt} attempts: ${reason}`);
        return { delivered: false };
      }
      const delay = Math.min(retryDelay * 1000 * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
      this.logger.warn(
        `mail "${template}" attempt ${attempt} failed (${reason}); retrying in ${Math.round(delay)} ms`,
      );
      return { delivered: false, retryInMs: delay };
    }
  }

  private async render(
    template: MailTemplateName,
    to: string,
    context: MailContext,
  ): Promise<MailMessage> {
    const source = await loadTemplate(template, this.config.mail.templatesDir);
    return {
      from: this.config.mail.from,
      to,
      subject: renderTemplate(source.subject, context, false),
      text: renderTemplate(source.text, context, false),
      html: renderTemplate(source.html, context, true),
    };
  }

  /** allauth names the site in its mails; the frontend's host stands in for Django's Site. */
  private siteName(): string {
    return new URL(this.config.frontendUrl).host;
  }
}
