import type { Transporter } from 'nodemailer';
import type { MailMessage, MailTransport } from './mail-transport';

/**
 * nodemailer over an `smtp://` or `smtps://` URL: `smtp://` upgrades with
 * STARTTLS when the server offers it, `smtps://` is TLS from the first byte;
 * credentials come from the URL's user info.
 */
export class SmtpMailTransport implements MailTransport {
  /** nodemailer and its connection, made at the first mail (not every instance sends any). */
  private transporter?: Promise<Transporter>;

  constructor(private readonly url: string) {}

  async send(message: MailMessage): Promise<void> {
    this.transporter ??= import('nodemailer').then(({ createTransport }) =>
      createTransport(this.url),
    );
    await (await this.transporter).sendMail(message);
  }

  close(): void {
    void this.transporter?.then((transporter) => transporter.close());
  }
}
