import { Injectable } from '@nestjs/common';
import type { User } from '../accounts/user.entity';
import { EmailAlreadyUsedError, UsernameAlreadyUsedError } from '../accounts/users.errors';
import { UsersService } from '../accounts/users.service';
import { type FieldProblem, FieldErrors, NON_FIELD } from '../problems/domain.errors';
import { GatehouseEvent, userRef } from '../events/gatehouse-events';
import { GatehouseEvents } from '../events/gatehouse-events.service';
import { GatehouseConfig } from '../config/gatehouse-config';
import {
  PASSWORD_INVALID,
  PasswordValidationService,
} from '../password/password-validation.service';
import { EmailConfirmationService } from './email-confirmation.service';

/** What dj-rest-auth's RegisterSerializer receives (seed 002's aliases already resolved). */
export interface RegistrationInput {
  email: string;
  username?: string;
  password1?: string;
  password2?: string;
  /** Seed 002's `full_name`, split into first and last name. */
  fullName?: string;
  subscribe?: boolean;
}

/** Sign-up as dj-rest-auth (with allauth) does it, on the DRF surfaces. */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordValidationService,
    private readonly config: GatehouseConfig,
    private readonly confirmations: EmailConfirmationService,
    private readonly events: GatehouseEvents,
  ) {}

  /** allauth's EMAIL_VERIFICATION=mandatory: sign-up answers without tokens, login waits for the mail. */
  get verificationMandatory(): boolean {
    return this.config.emailVerification === 'mandatory';
  }

  /**
   * Creates the user, then (unless EMAIL_VERIFICATION=none) mails the
   * confirmation link, as allauth does on sign-up.
   * @throws FieldErrors every field's errors at once (codes `unique`, `required`,
   *         `password_invalid`; `password_mismatch` on the whole), before anything is written
   */
  async register(
    body: RegistrationInput,
    rehearseAnswer: (unsaved: User) => Promise<void> = () => Promise.resolve(),
  ): Promise<User> {
    const user = await this.createUser(body, rehearseAnswer);
    // After the answer, as every mail: a taken address has none to rehearse.
    if (this.config.emailVerification !== 'none') this.confirmations.sendLater(user);
    await this.events.emit(GatehouseEvent.userRegistered, {
      ...userRef(user),
      surface: 'rest-auth',
    });
    return user;
  }

  private async createUser(
    body: RegistrationInput,
    rehearseAnswer: (unsaved: User) => Promise<void>,
  ): Promise<User> {
    const { password1, password2 } = body;
    const [firstName = '', ...rest] = (body.fullName ?? '').trim().split(/\s+/);
    const lastName = rest.join(' ');

    const errors: Record<string, FieldProblem[]> = {};
    const add = (field: string, code: string, ...messages: string[]) =>
      (errors[field] = messages.map((message) => ({ code, message })));
    const usernameTaken =
      body.username !== undefined && (await this.users.findUsernameHolder(body.username));
    if (usernameTaken) add('username', 'unique', new UsernameAlreadyUsedError().message);
    const emailTaken = await this.users.findEmailHolder(body.email);
    if (emailTaken) add('email', 'unique', new EmailAlreadyUsedError().message);
    const user = {
      email: body.email,
      username: body.username,
      password: password1,
      firstName: firstName.slice(0, 150),
      lastName: lastName.slice(0, 150),
      subscribe: body.subscribe ?? false,
    };
    // Equal time by construction: a taken address or name does a new one's work —
    // the save-time validation, users.create's lookups, hash and INSERT, and the
    // answer's token minting (rehearseAnswer) — writing nothing, so time tells
    // nothing the answer does not. The confirmation mail goes after either answer.
    let rehearsed: User | undefined;
    if ((usernameTaken || emailTaken) && password1 !== undefined) {
      await this.similarity(password1, body, firstName, lastName);
      rehearsed = await this.users.rehearseCreate(user);
    }
    if (password1 === undefined) add('password1', 'required', 'This field is required.');
    else {
      // validate_password1 knows no user yet: the similarity validator has nothing to compare.
      const messages = await this.passwords.messages(password1);
      if (messages.length > 0) add('password1', PASSWORD_INVALID, ...messages);
    }
    if (password2 === undefined) add('password2', 'required', 'This field is required.');
    if (Object.keys(errors).length > 0 || password1 === undefined) {
      if (rehearsed) await rehearseAnswer(rehearsed);
      throw new FieldErrors(errors);
    }
    if (password1 !== password2) {
      throw FieldErrors.of(NON_FIELD, 'password_mismatch', "The two password fields didn't match.");
    }
    // RegisterSerializer.save validates again with the unsaved user, and its errors
    // are the serializer's, not a field's.
    const similar = await this.similarity(password1, body, firstName, lastName);
    if (similar.length > 0) throw FieldErrors.of(NON_FIELD, PASSWORD_INVALID, ...similar);
    // A concurrent sign-up that takes the address or name in between: the store's field error.
    return this.users.create(user);
  }

  /** The validators against the unsaved user (allauth fills in the username it would generate). */
  private async similarity(
    password: string,
    body: RegistrationInput,
    firstName: string,
    lastName: string,
  ): Promise<string[]> {
    return this.passwords.messages(password, {
      email: body.email,
      username: body.username ?? (await this.users.usernameFromEmail(body.email)),
      firstName,
      lastName,
    });
  }
}
