/** Domain errors of the user store; each surface renders them in its own dialect. */
export class UserStoreError extends Error {
  constructor(
    readonly field: 'email' | 'username' | 'password' | 'accountProviderId',
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class EmailAlreadyUsedError extends UserStoreError {
  constructor() {
    super('email', 'A user with that e-mail address already exists.');
  }
}

export class UsernameAlreadyUsedError extends UserStoreError {
  constructor() {
    super('username', 'A user with that username already exists.');
  }
}

export class UnknownAccountProviderError extends UserStoreError {
  constructor(id: number) {
    super('accountProviderId', `Account provider ${id} does not exist.`);
  }
}
