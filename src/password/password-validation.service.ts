import { Inject, Injectable } from '@nestjs/common';
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
}
