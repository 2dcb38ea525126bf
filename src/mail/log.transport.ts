import { Logger } from '@nestjs/common';
import type { MailMessage, MailTransport } from './mail-transport';

/**
 * With no SMTP_URL, mails are written to the log, links included, as Django's
 * console e-mail backend does: a development aid, never a production setting.
 */
export class LogMailTransport implements MailTransport {
  private readonly logger = new Logger('Mail');

  send(message: MailMessage): Promise<void> {
    this.logger.log(`mail (no SMTP_URL set) to ${message.to}: ${message.subject}\n${message.text}`);
    return Promise.resolve();
  }
}
