/** One rendered mail, ready to hand to a transport. */
export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Delivers one mail or throws (the caller retries). Gatehouse ships an SMTP
 * transport (nodemailer) and a log transport; a deployment can provide its own
 * class under `MAIL_TRANSPORT` (an HTTP mail API, say).
 */
export interface MailTransport {
  send(message: MailMessage): Promise<void>;
  close?(): void;
}

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');
