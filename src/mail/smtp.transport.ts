import { createTransport, type Transporter } from 'nodemailer';
import type { MailMessage, MailTransport } from './mail-transport';

/**
 * nodemailer over an `smtp://` or `smtps://` URL: `smtp://` upgrades with
 * STARTTLS when the server offers it, `smtps://` is TLS from the first byte;
 * credentials come from the URL's user info.
 */
export class SmtpMailTransport implements MailTransport {
  private readonly transporter: Transporter;

  constructor(url: string) {
    this.transporter = createTransport(url);
  }

  async send(message: MailMessage): Promise<void> {
    await this.transporter.sendMail(message);
  }

  close(): void {
    this.transporter.close();
  }
}
