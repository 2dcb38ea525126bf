import { Injectable } from '@nestjs/common';
import type { User } from '../accounts/user.entity';
import { EmailAlreadyUsedError, UsernameAlreadyUsedError } from '../accounts/users.errors';
import { UsersService } from '../accounts/users.service';
import { DrfException } from '../common/errors/drf.exception';
import { GatehouseEvent, userRef } from '../common/events/gatehouse-events';
import { GatehouseEvents } from '../common/events/gatehouse-events.service';
import { GatehouseConfig } from '../config/gatehouse-config';
import { PasswordValidationService } from '../password/password-validation.service';
import type { RegisterDto } from './dto/register.dto';
import { EmailConfirmationService } from './email-confirmation.service';

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
   * @throws DrfException with dj-rest-auth's field errors, before anything is written
   */
  async register(body: RegisterDto): Promise<User> {
    const user = await this.createUser(body);
    if (this.config.emailVerification !== 'none') await this.confirmations.send(user);
    await this.events.emit(GatehouseEvent.userRegistered, {
      ...userRef(user),
      surface: 'rest-auth',
    });
    return user;
  }

  private async createUser(body: RegisterDto): Promise<User> {
    const password1 = body.password1 ?? body.password;
    const password2 = body.password2 ?? body.confirm_password;
    const [firstName = '', ...rest] = (body.full_name ?? '').trim().split(/\s+/);
    const lastName = rest.join(' ');

    const errors: Record<string, string[]> = {};
    if (body.username !== undefined && (await this.users.findByUsername(body.username))) {
      errors.username = ['A user with that username already exists.'];
    }
    if (await this.users.findByEmail(body.email)) errors.email = ['Email address already in use'];
    if (password1 === undefined) errors.password1 = ['This field is required.'];
    else {
      // validate_password1 knows no user yet: the similarity validator has nothing to compare.
      const messages = await this.passwords.messages(password1);
      if (messages.length > 0) errors.password1 = messages;
    }
    if (password2 === undefined) errors.password2 = ['This field is required.'];
    if (Object.keys(errors).length > 0 || password1 === undefined)
      throw DrfException.fields(errors);
    if (password1 !== password2)
      throw DrfException.nonField("The two password fields didn't match.");
    // RegisterSerializer.save validates again with the unsaved user (allauth fills in
    // the username it would generate), and its errors are the serializer's, not a field's.
    const similar = await this.passwords.messages(password1, {
      email: body.email,
      username: body.username ?? (await this.users.usernameFromEmail(body.email)),
      firstName,
      lastName,
    });
    if (similar.length > 0) throw DrfException.nonField(...similar);

    try {
      return await this.users.create({
        email: body.email,
        username: body.username,
        password: password1,
        firstName: firstName.slice(0, 150),
        lastName: lastName.slice(0, 150),
        subscribe: body.subscribe ?? false,
      });
    } catch (error) {
      // A concurrent sign-up took the address or name in between.
      if (error instanceof EmailAlreadyUsedError)
        throw DrfException.fields({ email: ['Email address already in use'] });
      if (error instanceof UsernameAlreadyUsedError)
        throw DrfException.fields({ username: [error.message] });
      throw error;
    }
  }
}
