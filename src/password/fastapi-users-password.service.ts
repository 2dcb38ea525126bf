import { Injectable } from '@nestjs/common';
import { FastapiUsersService } from '../accounts/fastapi-users.service';
import type { User } from '../accounts/user.entity';
import { UsersService } from '../accounts/users.service';
import { FastapiUsersErrorCode, fastapiUsersError } from '../common/errors/fastapi-users-errors';
import { GatehouseEvent, userRef } from '../common/events/gatehouse-events';
import { GatehouseEvents } from '../common/events/gatehouse-events.service';
import { GatehouseConfig } from '../config/gatehouse-config';
import { FastapiUsersTokensService } from '../jwt-auth/fastapi-users-tokens.service';
import { MailService } from '../mail/mail.service';
import { PasswordService } from './password.service';
import { PasswordValidationService } from './password-validation.service';
import type { PasswordUserContext } from './password-validators';

/**
 * fastapi-users' password rules (seed 001's surface): its `validate_password`
 * hook, served by Django's validators, and the reset router's forgot/reset flow
 * with signed, short-lived reset tokens bound to the current password.
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
   * `validate_password`: the validators' messages joined as the `reason` of
   * fastapi-users' InvalidPasswordException, or undefined when the password passes.
   */
  async invalidReason(password: string, user: PasswordUserContext): Promise<string | undefined> {
    const messages = await this.validation.messages(password, user);
    return messages.length > 0 ? messages.join(' ') : undefined;
  }

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
    if (!user || !user.isActive || user.isBlocked) return;
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
   * @throws RESET_PASSWORD_BAD_TOKEN, RESET_PASSWORD_INVALID_PASSWORD
   */
  async reset(token: string, password: string): Promise<void> {
    const claims = await this.tokens.readResetPasswordToken(token);
    const user = claims && (await this.fastapiUsers.findById(claims.sub));
    if (!claims || !user || !this.tokens.matchesPassword(claims, user)) {
      throw fastapiUsersError(FastapiUsersErrorCode.RESET_PASSWORD_BAD_TOKEN);
    }
    if (!user.isActive || user.isBlocked) {
      throw fastapiUsersError(FastapiUsersErrorCode.RESET_PASSWORD_BAD_TOKEN);
    }
    const reason = await this.invalidReason(password, passwordContext(user));
    if (reason) {
      throw fastapiUsersError(FastapiUsersErrorCode.RESET_PASSWORD_INVALID_PASSWORD, reason);
    }
    // Single-use: of concurrent uses, the first to replace the hash the token is bound to wins.
    if (!(await this.users.replacePassword(user, password))) {
      throw fastapiUsersError(FastapiUsersErrorCode.RESET_PASSWORD_BAD_TOKEN);
    }
    await this.passwords.changed(user, 'reset');
  }
}

/** What the similarity validator compares a password with. */
export function passwordContext(user: User, email = user.email): PasswordUserContext {
  return { email, username: user.username, firstName: user.firstName, lastName: user.lastName };
}
