import { Inject, Injectable } from '@nestjs/common';
import { FieldErrors } from '../problems/domain.errors';
import {
  PASSWORD_VALIDATORS,
  type PasswordUserContext,
  type PasswordValidator,
} from './password-validators';

/** Runs every configured validator, as Django's validate_password does, and collects all messages. */
@Injectable()
export class PasswordValidationService {
  constructor(@Inject(PASSWORD_VALIDATORS) private readonly validators: PasswordValidator[]) {}

  async messages(password: string, user: PasswordUserContext = {}): Promise<string[]> {
    const results = await Promise.all(
      this.validators.map((v) => Promise.resolve(v.validate(password, user))),
    );
    return results.flat();
  }

  /**
   * Django's validate_password as a field error: every validator's message under
   * `field` (code `password_invalid`), or nothing when the password passes.
   * @throws FieldErrors
   */
  async check(password: string, user: PasswordUserContext, field: string): Promise<void> {
    const messages = await this.messages(password, user);
    if (messages.length > 0) throw FieldErrors.of(field, PASSWORD_INVALID, ...messages);
  }
}

/** The field-error code of a password the validators refused. */
export const PASSWORD_INVALID = 'password_invalid';
