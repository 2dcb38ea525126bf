import { Injectable } from '@nestjs/common';
import type { User } from '../accounts/user.entity';
import { UsersService } from '../accounts/users.service';
import { appSecret } from '../infra/crypto/app-secret';
import { TimestampSigner } from '../infra/crypto/signing';
import { NotFoundError } from '../problems/domain.errors';
import { GatehouseEvent, userRef } from '../events/gatehouse-events';
import { GatehouseEvents } from '../events/gatehouse-events.service';
import { GatehouseConfig } from '../config/gatehouse-config';
import { MailService } from '../mail/mail.service';

/** What a confirmation key carries: the user and the address it confirms. */
interface ConfirmationPayload {
  u: number;
  e: string;
}

/**
 * allauth's HMAC e-mail confirmations: the key is signed, expiring and
 * single-purpose, and nothing is stored. It confirms one address of one user,
 * once: a verified address, or an address changed since, makes it void.
 */
@Injectable()
export class EmailConfirmationService {
  private readonly signer: TimestampSigner;

  constructor(
    private readonly config: GatehouseConfig,
    private readonly users: UsersService,
    private readonly mail: MailService,
    private readonly events: GatehouseEvents,
  ) {
    this.signer = new TimestampSigner(appSecret(config), 'gatehouse.email-confirmation');
  }

  /**
   * Mails a confirmation link unless one went out within RESEND_EMAIL_INTERVAL
   * (allauth's 1-per-3-minutes rate), so nobody can flood an inbox.
   */
  async send(user: User): Promise<void> {
    if (!(await this.users.claimConfirmationMail(user, this.config.resendEmailInterval))) return;
    const payload: ConfirmationPayload = { u: user.id, e: user.email.toLowerCase() };
    const key = this.signer.sign(payload);
    this.mail.send('email-verification', user.email, {
      username: user.username,
      email: user.email,
      key,
      // Verbatim, as allauth's reverse() writes it: the key's `:` is not percent-encoded
      // (a signed key holds only URL-safe base64 and `:`).
      activate_url: `${this.config.frontendUrl}/verify-email/${key}/`,
    });
  }

  /** `send`, after the answer (a sign-up's: its time must not depend on the mail). */
  sendLater(user: User): void {
    this.mail.defer(() => this.send(user));
  }

  /** dj-rest-auth's resend-email: a new link for an unconfirmed address, nothing otherwise. */
  resend(email: string): Promise<void> {
    // Off the request path: an existing and an unknown address answer in the same time.
    this.mail.defer(() => this.resendConfirmation(email));
    return Promise.resolve();
  }

  private async resendConfirmation(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (user?.canAuthenticate && !user.isVerified) await this.send(user);
  }

  /** @throws NotFoundError for a forged, expired, used or stale key */
  async confirm(key: string): Promise<User> {
    const payload = this.signer.unsign<ConfirmationPayload>(
      key,
      this.config.emailConfirmationLifetime,
    );
    const user =
      payload && Number.isSafeInteger(payload.u) ? await this.users.findById(payload.u) : null;
    if (!user || user.isVerified || user.email.toLowerCase() !== payload?.e) {
      throw new NotFoundError('e-mail confirmation');
    }
    if (!(await this.users.markVerified(user))) throw new NotFoundError('e-mail confirmation');
    await this.events.emit(GatehouseEvent.emailVerified, userRef(user));
    return user;
  }
}
