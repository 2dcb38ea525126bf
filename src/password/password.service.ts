import { Injectable } from '@nestjs/common';
import type { User } from '../accounts/user.entity';
import { UsersService } from '../accounts/users.service';
import { PasswordHasherService } from '../accounts/password-hasher.service';
import { DrfException } from '../common/errors/drf.exception';
import { PasswordValidationService } from './password-validation.service';

/** Password change (and, with seed 003's mail, reset) with Django's forms' rules and messages. */
@Injectable()
export class PasswordService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasherService,
    private readonly validation: PasswordValidationService,
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
      throw DrfException.fields({
        old_password: ['Your old password was entered incorrectly. Please enter it again.'],
      });
    }
    await this.setChecked(user, newPassword1, newPassword2);
  }

  /** SetPasswordForm: the two fields must match (U+2019 in Django's message) and pass the validators. */
  private async setChecked(user: User, newPassword1: string, newPassword2: string): Promise<void> {
    if (newPassword1 !== newPassword2) {
      throw DrfException.fields({ new_password2: ['The two password fields didn’t match.'] });
    }
    const messages = await this.validation.messages(newPassword2, {
      email: user.email,
      username: user.username,
      firstName: user.firstName,
      lastName: user.lastName,
    });
    if (messages.length > 0) throw DrfException.fields({ new_password2: messages });
    await this.users.setPassword(user, newPassword2);
  }
}
