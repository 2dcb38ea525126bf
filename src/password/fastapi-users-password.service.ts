import { Injectable } from '@nestjs/common';
import { FastapiUsersService } from '../accounts/fastapi-users.service';
import { UsersService } from '../accounts/users.service';
import { FieldErrors } from '../problems/domain.errors';
import { GatehouseEvent, userRef } from '../events/gatehouse-events';
import { GatehouseEvents } from '../events/gatehouse-events.service';
import { GatehouseConfig } from '../config/gatehouse-config';
import { FastapiUsersTokensService } from '../jwt-auth/fastapi-users-tokens.service';
import { MailService } from '../mail/mail.service';
import { PasswordService, passwordContext } from './password.service';
import { PasswordValidationService } from './password-validation.service';

/**
 * fastapi-users' reset router: the forgot/reset flow with signed, short-lived
 * reset tokens bound to the current password; its `validate_password` hook is
 * served by Django's validators.
 */
@Injectable()
export class FastapiUsersPasswordService {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly users: UsersService,
    private readonly fastapiUsers: FastapiUsersService,
    private readonly validation: PasswordValidationService,
    private readonly tokens: FastapiUsersTokensService,
    private readonly mail: MailService,
    private readonly passwords: PasswordService,
    private readonly events: GatehouseEvents,
  ) {}

  /**
   * `POST /auth/forgot-password`: mails a reset link to an active user; an unknown
   * or inactive address gets the same answer and no mail.
   */
  forgot(email: string): Promise<void> {
    // Off the request path: an existing and an unknown address answer in the same time.
    this.mail.defer(() => this.mailResetToken(email));
    return Promise.resolve();
  }

  private async mailResetToken(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user?.canAuthenticate) return;
    const token = await this.tokens.resetPasswordToken(user);
    this.mail.send('fastapi-users-reset', user.email, {
      email: user.email,
      token,
      reset_url: `${this.config.frontendUrl}/reset-password?token=${encodeURIComponent(token)}`,
    });
    await this.events.emit(GatehouseEvent.passwordResetRequested, userRef(user));
  }

  /**
   * `POST /auth/reset-password`: a valid token of an active user whose password
   * has not changed since it was issued, then the validators.
   * @throws FieldErrors `token: invalid` (a bad, used or stale token, or a user
   *         who may not act), `password: password_invalid` (the validators)
   */
  async reset(token: string, password: string): Promise<void> {
    const claims = await this.tokens.readResetPasswordToken(token);
    const user = claims && (await this.fastapiUsers.findById(claims.sub));
    if (!claims || !user?.canAuthenticate || !this.tokens.matchesPassword(claims, user)) {
      throw FieldErrors.of('token', 'invalid', 'Invalid or expired reset token.');
    }
    await this.validation.check(password, passwordContext(user), 'password');
    // Single-use: of concurrent uses, the first to replace the hash the token is bound to wins.
    if (!(await this.users.replacePassword(user, password))) {
      throw FieldErrors.of('token', 'invalid', 'Invalid or expired reset token.');
    }
    await this.passwords.changed(user, 'reset');
  }
}
