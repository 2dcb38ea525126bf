import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { GatehouseConfig } from '../config/gatehouse-config';
import { MAIL_TRANSPORT, type MailMessage, type MailTransport } from './mail-transport';
import {
  loadTemplate,
  type MailContext,
  type MailTemplateName,
  renderTemplate,
} from './mail-templates';

/** Longest wait between two attempts, whatever the doubling reaches. */
const MAX_RETRY_DELAY_MS = 10 * 60 * 1000;

/**
 * Renders mails from their templates and delivers them in the background:
 * `send` returns at once, so no HTTP answer waits for (or fails with) the SMTP
 * server; a failed delivery is retried with exponential backoff and logged.
 * The queue lives in this process: a restart drops mails not yet delivered.
 */
@Injectable()
export class MailService implements OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private readonly inFlight = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();

  constructor(
    private readonly config: GatehouseConfig,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
  ) {}

  /** Queues a mail; never throws, never waits for delivery. */
  send(template: MailTemplateName, to: string, context: MailContext): void {
    const job = this.deliver(template, to, { site_name: this.siteName(), ...context }).finally(() =>
      this.inFlight.delete(job),
    );
    this.inFlight.add(job);
  }

  /**
   * Runs a mail's preparation (the account lookup, its token, then `send`) after
   * the answer has gone: endpoints that must not tell an existing account from an
   * unknown one answer in the same time either way. Never throws.
   */
  defer(work: () => Promise<void>): void {
    const job: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((error: unknown) =>
        this.logger.error(`mail preparation failed: ${(error as Error).message}`),
      )
      .finally(() => this.inFlight.delete(job));
    this.inFlight.add(job);
  }

  /** Resolves once every queued mail is delivered or given up (tests, graceful stops). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  onApplicationShutdown(): void {
    if (this.inFlight.size > 0) {
      this.logger.warn(`${this.inFlight.size} mail(s) not delivered before shutdown`);
    }
    this.shutdown.abort();
    this.transport.close?.();
  }

  private async deliver(template: MailTemplateName, to: string, context: MailContext) {
    let message: MailMessage;
    try {
      message = await this.render(template, to, context);
    } catch (error) {
      this.logger.error(`mail "${template}" cannot be rendered: ${(error as Error).message}`);
      return;
    }
    const { maxAttempts, retryDelay } = this.config.mail;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (this.shutdown.signal.aborted) return;
      try {
        await this.transport.send(message);
        if (attempt > 1) this.logger.log(`mail "${template}" delivered on attempt ${attempt}`);
        return;
      } catch (error) {
        const reason = (error as Error).message;
        if (attempt === maxAttempts) {
          this.logger.error(`mail "${template}" given up after ${attempt} attempts: ${reason}`);
          return;
        }
        const delay = Math.min(retryDelay * 1000 * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
        this.logger.warn(
          `mail "${template}" attempt ${attempt} failed (${reason}); retrying in ${Math.round(delay)} ms`,
        );
        try {
          await sleep(delay, undefined, { signal: this.shutdown.signal, ref: false });
        } catch {
          return; // shutting down
        }
      }
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
