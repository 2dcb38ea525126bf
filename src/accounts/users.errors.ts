import { FieldErrors } from '../problems/domain.errors';

/**
 * A write the user store refused, on one field: field errors (code `unique` for
 * a taken e-mail or username, `does_not_exist` for an unknown provider) that each
 * surface words as its library does.
 */
export class UserStoreError extends FieldErrors {
  constructor(
    readonly field: 'email' | 'username' | 'password' | 'accountProviderId',
    code: string,
    message: string,
  ) {
    super({ [field]: [{ code, message }] });
    this.message = message;
  }
}

export class EmailAlreadyUsedError extends UserStoreError {
  constructor() {
    super('email', 'unique', 'A user with that e-mail address already exists.');
  }
}

export class UsernameAlreadyUsedError extends UserStoreError {
  constructor() {
    super('username', 'unique', 'A user with that username already exists.');
  }
}

export class UnknownAccountProviderError extends UserStoreError {
  constructor(id: number) {
    super('accountProviderId', 'does_not_exist', `Account provider ${id} does not exist.`);
  }
}
