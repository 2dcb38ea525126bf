import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';

/** A mail as the SMTP server on loopback received it, parsed. */
export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/**
 * What a link in a mail is for, and the secrets it carries:
 * `activation` — allauth's e-mail confirmation (`/verify-email/<key>/`, `key`);
 * `reset` — Django's password reset (`/password-reset/confirm/<uid>/<token>/`, `uid` and `token`);
 * `verification` — fastapi-users' verify link (`/verify?token=`, `token`);
 * `fastapi-reset` — fastapi-users' reset link (`/reset-password?token=`, `token`);
 * `login` — a single-use login link (`?ticket=`, `ticket`);
 * `other` — any other link.
 */
export interface MailLink {
  kind: 'activation' | 'reset' | 'verification' | 'fastapi-reset' | 'login' | 'other';
  url: string;
  uid?: string;
  token?: string;
  key?: string;
  ticket?: string;
}

/** The parts of `smtp-server` the mailbox uses (an optional peer: loaded when a mailbox starts). */
interface SmtpServer {
  server: { address(): AddressInfo | string | null };
  once(event: 'error', listener: (error: Error) => void): unknown;
  listen(port: number, host: string, callback: () => void): unknown;
  close(callback: () => void): unknown;
}
interface SmtpSession {
  envelope: { mailFrom: { address: string } | false; rcptTo: { address: string }[] };
}
interface SmtpServerModule {
  SMTPServer: new (options: {
    authOptional: boolean;
    disabledCommands: string[];
    logger: boolean;
    onData(stream: Readable, session: SmtpSession, callback: (error?: Error) => void): void;
  }) => SmtpServer;
}
interface ParsedMail {
  subject?: string;
  text?: string;
  html?: string | false;
}
interface MailParserModule {
  simpleParser(this: void, source: Readable): Promise<ParsedMail>;
}

/** `import()` of an optional peer, with the command that installs it when it is missing. */
async function optionalPeer<T>(name: string, member: string): Promise<T> {
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(name)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(
      `@gatehouse-auth/nestjs/testing: mailbox() needs the "${name}" package (npm install --save-dev smtp-server mailparser)`,
      { cause: error },
    );
  }
  // A CommonJS module seen from ES modules: its exports may sit on `default`.
  return (member in loaded ? loaded : (loaded.default as Record<string, unknown>)) as T;
}

/**
 * A real SMTP server on 127.0.0.1 that keeps what it receives: Gatehouse's
 * nodemailer transport talks to it over TCP, as it would to a relay. Give the
 * app `SMTP_URL: mailbox.url` (startApp's `mailbox` option does).
 * `port` pins the port (to bring a stopped server back on the same address).
 */
export class Mailbox {
  readonly mails: ReceivedMail[] = [];
  private server?: SmtpServer;
  private waiters: (() => void)[] = [];
  port = 0;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  static async start(port = 0): Promise<Mailbox> {
    const mailbox = new Mailbox();
    await mailbox.listen(port);
    return mailbox;
  }

  async listen(port = this.port): Promise<void> {
    const { SMTPServer } = await optionalPeer<SmtpServerModule>('smtp-server', 'SMTPServer');
    const { simpleParser } = await optionalPeer<MailParserModule>('mailparser', 'simpleParser');
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            this.mails.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
            });
            for (const wake of this.waiters.splice(0)) wake();
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
  }

  /** Stops listening (the mails received so far are kept). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The mails sent to an address, in arrival order. */
  to(address: string): ReceivedMail[] {
    return this.mails.filter(
      (mail) => mail.to.includes(address.toLowerCase()) || mail.to.includes(address),
    );
  }

  /** Waits until `count` mails have reached `address` and returns the last one. */
  async waitFor(address: string, count = 1, timeoutMs = 10_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    while (this.to(address).length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no mail #${count} to ${address} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.to(address)[count - 1];
  }

  /** Waits for the `count`th mail to `address` and returns its link of that kind, parsed. */
  async waitForLink(address: string, kind: MailLink['kind'], count = 1): Promise<MailLink> {
    const mail = await this.waitFor(address, count);
    const link = linksIn(mail).find((candidate) => candidate.kind === kind);
    if (!link) throw new Error(`no ${kind} link in mail "${mail.subject}" to ${address}`);
    return link;
  }
}

/** Starts a mailbox on an ephemeral loopback port. */
export function mailbox(port = 0): Promise<Mailbox> {
  return Mailbox.start(port);
}

/** The first URL in a mail's text. */
export function linkIn(mail: ReceivedMail): string {
  const match = /https?:\/\/\S+/.exec(mail.text);
  if (!match) throw new Error(`no link in mail "${mail.subject}"`);
  return match[0];
}

/** Every link in a mail's text, each with what it is for and the secrets it carries. */
export function linksIn(mail: ReceivedMail): MailLink[] {
  return [...mail.text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((match) => parseLink(match[0]));
}

/** What a mailed link is for, and its uid/token/key/ticket. */
export function parseLink(url: string): MailLink {
  const parsed = new URL(url);
  const path = parsed.pathname;
  const query = (name: string) => parsed.searchParams.get(name) ?? undefined;
  const reset = /\/password-reset\/confirm\/([^/]+)\/([^/]+)\/?$/.exec(path);
  if (reset) {
    return {
      kind: 'reset',
      url,
      uid: decodeURIComponent(reset[1]),
      token: decodeURIComponent(reset[2]),
    };
  }
  const activation = /\/verify-email\/([^/]+)\/?$/.exec(path);
  if (activation) return { kind: 'activation', url, key: decodeURIComponent(activation[1]) };
  const ticket = query('ticket');
  if (ticket) return { kind: 'login', url, ticket };
  const token = query('token');
  if (token && /\/verify\/?$/.test(path)) return { kind: 'verification', url, token };
  if (token && /\/reset-password\/?$/.test(path)) return { kind: 'fastapi-reset', url, token };
  return { kind: 'other', url, token };
}
