import { Injectable } from '@nestjs/common';
import type { User } from '../accounts/user.entity';
import { UsersService } from '../accounts/users.service';
import { PasswordHasherService } from '../accounts/password-hasher.service';
import { FieldErrors } from '../problems/domain.errors';
import { GatehouseEvent, userRef } from '../events/gatehouse-events';
import { GatehouseEvents } from '../events/gatehouse-events.service';
import { GatehouseConfig } from '../config/gatehouse-config';
import { MailService } from '../mail/mail.service';
import { PasswordResetTokenGenerator } from './reset-tokens/reset-token-generator';
import { PasswordValidationService } from './password-validation.service';
import type { PasswordUserContext } from './password-validators';

/**
 * Password change and reset with Django's forms' rules and messages. A new
 * password is announced as `user.password_changed` (its listeners end the
 * user's sessions when LOGOUT_ON_PASSWORD_CHANGE is on) and by mail.
 */
@Injectable()
export class PasswordService {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasherService,
    private readonly validation: PasswordValidationService,
    private readonly resetTokens: PasswordResetTokenGenerator,
    private readonly mail: MailService,
    private readonly events: GatehouseEvents,
  ) {}

  /**
   * Django's PasswordChangeForm: the old password first, then SetPasswordForm's
   * checks on new_password2 (match, then the validators).
   */
  async change(
    user: User,
    oldPassword: string,
    newPassword1: string,
    newPassword2: string,
  ): Promise<void> {
    if (!(await this.hasher.check(oldPassword, user.password)).valid) {
      throw FieldErrors.of(
        'old_password',
        'password_incorrect',
        'Your old password was entered incorrectly. Please enter it again.',
      );
    }
    await this.setChecked(user, newPassword1, newPassword2);
    await this.changed(user, 'change');
  }

  /**
   * allauth's reset form: a mail with a reset link to the active user of that
   * address, nothing for an unknown one. The caller answers the same either way,
   * and both paths cost one lookup (the mail is queued, not sent, here).
   */
  requestReset(email: string): Promise<void> {
    // Off the request path: an existing and an unknown address answer in the same time.
    this.mail.defer(() => this.mailResetLink(email));
    return Promise.resolve();
  }

  private async mailResetLink(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user?.canAuthenticate) return;
    const uid = user.id.toString(36);
    const token = this.resetTokens.make(user);
    this.mail.send('password-reset', user.email, {
      username: user.username,
      email: user.email,
      uid,
      token,
      password_reset_url: `${this.config.frontendUrl}/password-reset/confirm/${uid}/${token}/`,
    });
    await this.events.emit(GatehouseEvent.passwordResetRequested, userRef(user));
  }

  /**
   * dj-rest-auth's PasswordResetConfirmSerializer: the uid (pk in base36), then
   * the token, then SetPasswordForm's checks.
   */
  async confirmReset(
    uid: string,
    token: string,
    newPassword1: string,
    newPassword2: string,
  ): Promise<void> {
    const user = /^[0-9a-zA-Z]{1,13}$/.test(uid)
      ? await this.users.findById(parseInt(uid, 36))
      : null;
    if (!user) throw FieldErrors.of('uid', 'invalid', 'Invalid value');
    if (!this.resetTokens.check(user, token))
      throw FieldErrors.of('token', 'invalid', 'Invalid value');
    // The link is single-use: of concurrent uses, the first to replace the hash it is bound to wins.
    await this.setChecked(
      user,
      newPassword1,
      newPassword2,
      FieldErrors.of('token', 'invalid', 'Invalid value'),
    );
    await this.changed(user, 'reset');
  }

  /** SetPasswordForm: the two fields must match (U+2019 in Django's message) and pass the validators. */
  private async setChecked(
    user: User,
    newPassword1: string,
    newPassword2: string,
    /** The answer when the password changed meanwhile (set: replace only the hash `user` holds). */
    changedMeanwhile?: FieldErrors,
  ): Promise<void> {
    if (newPassword1 !== newPassword2) {
      throw FieldErrors.of(
        'new_password2',
        'password_mismatch',
        'The two password fields didn’t match.',
      );
    }
    await this.validation.check(newPassword2, passwordContext(user), 'new_password2');
    if (!changedMeanwhile) return this.users.setPassword(user, newPassword2);
    if (!(await this.users.replacePassword(user, newPassword2))) throw changedMeanwhile;
  }

  /**
   * Announces a new password: `user.password_changed` (whose listeners end the
   * user's sessions with LOGOUT_ON_PASSWORD_CHANGE) and the "password changed" mail.
   */
  async changed(user: User, via: 'change' | 'reset'): Promise<void> {
    await this.events.emit(GatehouseEvent.passwordChanged, { ...userRef(user), via });
    this.mail.send('password-changed', user.email, {
      username: user.username,
      email: user.email,
    });
  }
}

/** What the similarity validator compares a password with. */
export function passwordContext(user: User, email = user.email): PasswordUserContext {
  return { email, username: user.username, firstName: user.firstName, lastName: user.lastName };
}
