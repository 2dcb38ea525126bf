import { Injectable } from '@nestjs/common';
import type { User } from '../accounts/user.entity';
import { UsersService } from '../accounts/users.service';
import { PasswordHasherService } from '../accounts/password-hasher.service';
import { EmailAlreadyUsedError, UsernameAlreadyUsedError } from '../accounts/users.errors';
import {
  DomainError,
  FieldErrorCollector,
  FieldErrors,
  NON_FIELD,
  NotFoundError,
  PermissionDeniedError,
} from '../problems/domain.errors';
import { GatehouseEvent, userRef } from '../events/gatehouse-events';
import { GatehouseEvents } from '../events/gatehouse-events.service';
import { GatehouseConfig } from '../config/gatehouse-config';
import { MailService } from '../mail/mail.service';
import type { MailTemplateName } from '../mail/mail-templates';
import { PasswordResetTokenGenerator } from '../password/reset-tokens/reset-token-generator';
import {
  PASSWORD_INVALID,
  PasswordValidationService,
} from '../password/password-validation.service';
import { passwordContext } from '../password/password.service';

/** djoser's Messages (constants.py), to the character. */
export const DJOSER_MESSAGES = {
  invalidToken: 'Invalid token for given user.',
  invalidUid: "Invalid user id or user doesn't exist.",
  staleToken: 'Stale token for given user.',
  passwordMismatch: "The two password fields didn't match.",
  emailMismatch: "The two email fields didn't match.",
  invalidPassword: 'Invalid password.',
  emailNotFound: 'User with given email does not exist.',
  cannotCreateUser: 'Unable to create account.',
} as const;

/** Django's unique-field message for the DSTOQ user's `email` ("email address" is its label). */
export const EMAIL_TAKEN = 'user with this email address already exists.';

/** djoser answers a stale activation link with 403 `{"detail": …}`. */
export class StaleActivationError extends DomainError {
  constructor() {
    super(DJOSER_MESSAGES.staleToken);
  }
}

/** resend_activation's bare 400 (no body): activation mails are off, or no such inactive user. */
export class ActivationNotResentError extends DomainError {
  constructor() {
    super('activation mail not resent');
  }
}

/** create's IntegrityError: `["Unable to create account."]`, a list, not a field. */
export class CannotCreateUserError extends DomainError {
  constructor() {
    super(DJOSER_MESSAGES.cannotCreateUser);
  }
}

/** get_user's `fail("email_not_found")` (a *_SHOW_EMAIL_NOT_FOUND setting on): outside is_valid, a bare list. */
export class DjoserEmailNotFoundError extends DomainError {
  constructor() {
    super(DJOSER_MESSAGES.emailNotFound);
  }
}

/** A retype field the setting turns on is a required CharField. */
function requireRetyped(errors: FieldErrorCollector, field: string, value: unknown): void {
  if (value === undefined && errors.ok(field))
    errors.add(field, 'required', 'This field is required.');
}

/**
 * The serializers' fields in DRF's order, which is the order of their errors:
 * UserCreateSerializer (REQUIRED_FIELDS, LOGIN_FIELD, password, then the retype's
 * re_password), Set(Password|Username)[Retype]Serializer and
 * UsernameResetConfirm[Retype]Serializer (UsernameSerializer's renamed field goes last).
 */
const FIELDS = {
  create: ['username', 'email', 'password', 're_password'],
  setPassword: ['new_password', 're_new_password', 'current_password'],
  setEmail: ['current_password', 'new_email', 're_new_email'],
  resetEmail: ['new_email', 're_new_email'],
} as const;

export interface DjoserCreateInput {
  username: string;
  email: string;
  password: string;
  /** Required when DJOSER_USER_CREATE_PASSWORD_RETYPE is on, ignored otherwise. */
  rePassword?: string;
}

/** djoser's `encode_uid`: the pk's digits, URL-safe base64 without padding. */
export function encodeUid(id: number): string {
  return Buffer.from(String(id)).toString('base64url');
}

/** djoser's `decode_uid` then `User.objects.get(pk=…)`'s int(): undefined where Django raises. */
export function decodeUid(uid: string): number | undefined {
  // Python's decoder takes padding, and more of it than needed.
  const bare = uid.replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]+$/.test(bare) || bare.length % 4 === 1) return undefined;
  const text = Buffer.from(bare, 'base64url').toString('utf8');
  const trimmed = text.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) return undefined;
  const id = Number(trimmed);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/**
 * djoser 2.1's UserViewSet rules for a user model whose USERNAME_FIELD is the
 * e-mail (DSTOQ's): sign-up, activation, password and e-mail change and reset.
 * One-time links are Django's PasswordResetTokenGenerator's (the same one the
 * dj-rest-auth surface uses), so links the old deployment mailed keep working.
 */
@Injectable()
export class DjoserUsersService {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasherService,
    private readonly validation: PasswordValidationService,
    private readonly tokens: PasswordResetTokenGenerator,
    private readonly mail: MailService,
    private readonly events: GatehouseEvents,
  ) {}

  private get settings() {
    return this.config.djoser;
  }

  /**
   * UserCreateSerializer (or its PasswordRetype variant): the fields' unique
   * checks, then the validators against the unsaved user, then the retype match.
   */
  async create(input: DjoserCreateInput, invalid?: FieldErrors): Promise<User> {
    // The fields' own checks (the pipe's, then the unique ones) are reported together;
    // validate() (the validators, the retype match) runs only when they all pass.
    const errors = new FieldErrorCollector(FIELDS.create, invalid);
    if (this.settings.userCreatePasswordRetype)
      requireRetyped(errors, 're_password', input.rePassword);
    let taken = false;
    if (errors.ok('username') && (await this.users.findUsernameHolder(input.username))) {
      errors.add('username', 'unique', new UsernameAlreadyUsedError().message);
      taken = true;
    }
    if (errors.ok('email') && (await this.users.findEmailHolder(input.email))) {
      errors.add('email', 'unique', EMAIL_TAKEN);
      taken = true;
    }
    if (
      taken &&
      [input.email, input.username, input.password].every((v) => typeof v === 'string')
    ) {
      // A taken address or name does a new one's work — the validators, users.create's
      // lookups, hash and INSERT (rehearsed, writing nothing) — so time tells nothing the
      // answer does not.
      await this.validation.messages(input.password, {
        email: input.email,
        username: input.username,
      });
      await this.users.rehearseCreate({
        email: input.email,
        username: input.username,
        password: input.password,
        isActive: !this.settings.sendActivationEmail,
      });
    }
    errors.throwIfAny();
    const messages = await this.validation.messages(input.password, {
      email: input.email,
      username: input.username,
    });
    if (messages.length > 0) throw FieldErrors.of('password', PASSWORD_INVALID, ...messages);
    if (this.settings.userCreatePasswordRetype && input.rePassword !== input.password) {
      throw FieldErrors.of(NON_FIELD, 'password_mismatch', DJOSER_MESSAGES.passwordMismatch);
    }
    let user: User;
    try {
      user = await this.users.create({
        email: input.email,
        username: input.username,
        password: input.password,
        isActive: !this.settings.sendActivationEmail,
      });
    } catch (error) {
      // Taken by a concurrent sign-up in between: djoser's IntegrityError answer.
      if (error instanceof EmailAlreadyUsedError || error instanceof UsernameAlreadyUsedError) {
        throw new CannotCreateUserError();
      }
      throw error;
    }
    await this.events.emit(GatehouseEvent.userRegistered, { ...userRef(user), surface: 'djoser' });
    if (this.settings.sendActivationEmail) this.mailLink('djoser-activation', user);
    else if (this.settings.sendConfirmationEmail) this.notify('djoser-confirmation', user);
    return user;
  }

  /** The list: HIDE_USERS shows a non-staff caller only itself. */
  async list(caller: User): Promise<User[]> {
    if (!caller.isStaff) return [caller];
    const [users] = await this.users.page(0, Number.MAX_SAFE_INTEGER);
    return users;
  }

  /**
   * users/{id}/ for `caller` (CurrentUserOrAdmin): staff reach everyone, a user
   * only itself; HIDE_USERS answers another's id as if it did not exist, except
   * on delete (djoser's permission_denied lists no "destroy").
   */
  async target(
    caller: Pick<User, 'id' | 'isStaff'>,
    id: string,
    action: 'read' | 'update' | 'delete',
  ): Promise<User> {
    const user = /^\d{1,15}$/.test(id) ? await this.users.findById(Number(id)) : null;
    if (!user) throw new NotFoundError('user');
    if (caller.isStaff || caller.id === user.id) return user;
    if (action === 'delete') throw new PermissionDeniedError();
    throw new NotFoundError('user');
  }

  /**
   * UserSerializer.update: the username on users/{id}/, the country code on
   * users/me/ (DSTOQ's current_user serializer); the e-mail is read-only on both.
   */
  async update(
    user: User,
    changes: { username?: string; countryCode?: string | null },
  ): Promise<User> {
    const updated = await this.users.update(user, changes);
    // djoser's perform_update mails an activation link after any update when activation is on.
    if (this.settings.sendActivationEmail) this.mailLink('djoser-activation', updated);
    return updated;
  }

  /**
   * UserDeleteSerializer: the caller's current password, then the deletion.
   * @param caller whose password is asked (staff deleting another user give their own)
   */
  async delete(caller: User, target: User, currentPassword: string): Promise<void> {
    const errors = new FieldErrorCollector([]);
    await this.checkCurrentPassword(errors, caller, currentPassword);
    errors.throwIfAny();
    await this.users.delete(target);
  }

  /**
   * ActivationSerializer: uid, token, then 403 for a user already active. Of
   * concurrent uses of one link, one activates; the others find it stale.
   */
  async activate(uid: string, token: string): Promise<void> {
    const user = await this.userFromLink(uid, token);
    if (user.isActive || !(await this.users.activate(user))) throw new StaleActivationError();
    await this.events.emit(GatehouseEvent.emailVerified, userRef(user));
    if (this.settings.sendConfirmationEmail) this.notify('djoser-confirmation', user);
  }

  /** resend_activation: a new link to an inactive user, when activation mails are on. */
  async resendActivation(email: string): Promise<void> {
    const user = await this.resetTarget(email, false);
    if (!this.settings.sendActivationEmail || !user) throw new ActivationNotResentError();
    this.mailLink('djoser-activation', user);
  }

  /** SetPasswordSerializer (or Retype): current password, validators, match; then the mail. */
  async setPassword(
    user: User,
    newPassword: string,
    currentPassword: string,
    reNewPassword?: string,
    invalid?: FieldErrors,
  ): Promise<void> {
    const errors = new FieldErrorCollector(FIELDS.setPassword, invalid);
    if (this.settings.setPasswordRetype) requireRetyped(errors, 're_new_password', reNewPassword);
    await this.checkCurrentPassword(errors, user, currentPassword);
    errors.throwIfAny();
    await this.checkNewPassword(newPassword, reNewPassword, this.settings.setPasswordRetype, user);
    await this.users.setPassword(user, newPassword);
    await this.passwordChanged(user, 'change', this.settings.logoutOnPasswordChange);
  }

  /**
   * reset_password / reset_email: a link to the active user of that address. With
   * djoser's default (SHOW_EMAIL_NOT_FOUND off) the answer is the same either way,
   * so the lookup and the mail run after it.
   */
  async requestReset(email: string, kind: 'password' | 'email'): Promise<void> {
    const template = kind === 'password' ? 'djoser-password-reset' : 'djoser-username-reset';
    if (this.showEmailNotFound) {
      const user = await this.resetTarget(email, true);
      if (user) await this.mailResetLink(template, user);
      return;
    }
    this.mail.defer(async () => {
      const user = await this.resetTarget(email, true);
      if (user) await this.mailResetLink(template, user);
    });
  }

  /**
   * PasswordResetConfirmSerializer: the validators (against no user: djoser
   * passes AnonymousUser), the retype, then uid and token. Single-use: the new
   * hash replaces the one the token is bound to, once.
   */
  async confirmPasswordReset(
    uid: string,
    token: string,
    newPassword: string,
    reNewPassword?: string,
  ): Promise<void> {
    if (this.settings.passwordResetConfirmRetype) {
      const errors = new FieldErrorCollector([]);
      requireRetyped(errors, 're_new_password', reNewPassword);
      errors.throwIfAny();
    }
    await this.checkNewPassword(
      newPassword,
      reNewPassword,
      this.settings.passwordResetConfirmRetype,
    );
    const user = await this.userFromLink(uid, token);
    if (!(await this.users.replacePassword(user, newPassword))) {
      throw FieldErrors.of('token', 'invalid_token', DJOSER_MESSAGES.invalidToken);
    }
    await this.users.recordLogin(user);
    await this.passwordChanged(user, 'reset');
  }

  /** SetUsernameSerializer for the e-mail: current password, then the unique new address. */
  async setEmail(
    user: User,
    currentPassword: string,
    newEmail: string,
    reNewEmail?: string,
    invalid?: FieldErrors,
  ): Promise<void> {
    const errors = new FieldErrorCollector(FIELDS.setEmail, invalid);
    await this.checkCurrentPassword(errors, user, currentPassword);
    await this.checkNewEmail(errors, newEmail, reNewEmail, this.settings.setUsernameRetype);
    await this.changeEmail(user, newEmail);
  }

  /**
   * UsernameResetConfirmSerializer: the new address, the retype, then uid and
   * token. The token is bound to the old address: once changed, the link is dead.
   */
  async confirmEmailReset(
    uid: string,
    token: string,
    newEmail: string,
    reNewEmail?: string,
    invalid?: FieldErrors,
  ): Promise<void> {
    const errors = new FieldErrorCollector(FIELDS.resetEmail, invalid);
    await this.checkNewEmail(
      errors,
      newEmail,
      reNewEmail,
      this.settings.usernameResetConfirmRetype,
    );
    const user = await this.userFromLink(uid, token);
    if (!(await this.users.replaceEmail(user, newEmail))) {
      throw FieldErrors.of('token', 'invalid_token', DJOSER_MESSAGES.invalidToken);
    }
    await this.users.recordLogin(user);
    if (this.settings.usernameChangedEmailConfirmation)
      this.notify('djoser-username-changed', user);
  }

  private get showEmailNotFound(): boolean {
    // djoser's get_user fails when either setting is on, whichever reset asks.
    return (
      this.settings.passwordResetShowEmailNotFound || this.settings.usernameResetShowEmailNotFound
    );
  }

  /** UserFunctionsMixin.get_user: the user of that address and state with a usable password. */
  private async resetTarget(email: string, active: boolean): Promise<User | undefined> {
    const user = await this.users.findByEmail(email);
    if (user && user.isActive === active && this.hasher.isUsable(user.password)) return user;
    if (this.showEmailNotFound) throw new DjoserEmailNotFoundError();
    return undefined;
  }

  private async userFromLink(uid: string, token: string): Promise<User> {
    const id = decodeUid(uid);
    const user = id === undefined ? null : await this.users.findById(id);
    if (!user) throw FieldErrors.of('uid', 'invalid_uid', DJOSER_MESSAGES.invalidUid);
    if (!this.tokens.check(user, token)) {
      throw FieldErrors.of('token', 'invalid_token', DJOSER_MESSAGES.invalidToken);
    }
    return user;
  }

  /** CurrentPasswordSerializer.validate_current_password: a field check, reported with the others. */
  private async checkCurrentPassword(
    errors: FieldErrorCollector,
    user: User,
    password: string,
  ): Promise<void> {
    if (!errors.ok('current_password')) return;
    if (!(await this.hasher.check(password, user.password)).valid) {
      errors.add('current_password', 'invalid_password', DJOSER_MESSAGES.invalidPassword);
    }
  }

  private async checkNewPassword(
    password: string,
    retyped: string | undefined,
    retype: boolean,
    user?: User,
  ): Promise<void> {
    await this.validation.check(password, user ? passwordContext(user) : {}, 'new_password');
    if (retype && retyped !== password) {
      throw FieldErrors.of(NON_FIELD, 'password_mismatch', DJOSER_MESSAGES.passwordMismatch);
    }
  }

  /**
   * UsernameSerializer's `new_email` (unique) with the other fields' errors, then —
   * when they all pass — UsernameRetypeSerializer's match.
   */
  private async checkNewEmail(
    errors: FieldErrorCollector,
    email: string,
    retyped: string | undefined,
    retype: boolean,
  ) {
    if (retype) requireRetyped(errors, 're_new_email', retyped);
    if (errors.ok('new_email') && (await this.users.findEmailHolder(email))) {
      errors.add('new_email', 'unique', EMAIL_TAKEN);
    }
    errors.throwIfAny();
    if (retype && retyped !== email) {
      throw FieldErrors.of(NON_FIELD, 'email_mismatch', DJOSER_MESSAGES.emailMismatch);
    }
  }

  private async changeEmail(user: User, email: string): Promise<void> {
    try {
      await this.users.update(user, { email });
    } catch (error) {
      if (error instanceof EmailAlreadyUsedError) {
        throw FieldErrors.of('new_email', 'unique', EMAIL_TAKEN);
      }
      throw error;
    }
    if (this.settings.usernameChangedEmailConfirmation)
      this.notify('djoser-username-changed', user);
  }

  /** @param logout djoser's LOGOUT_ON_PASSWORD_CHANGE, for set_password (else the global setting) */
  private async passwordChanged(
    user: User,
    via: 'change' | 'reset',
    logout?: boolean,
  ): Promise<void> {
    await this.events.emit(GatehouseEvent.passwordChanged, { ...userRef(user), via, logout });
    if (this.settings.passwordChangedEmailConfirmation)
      this.notify('djoser-password-changed', user);
  }

  private async mailResetLink(template: MailTemplateName, user: User): Promise<void> {
    this.mailLink(template, user);
    await this.events.emit(GatehouseEvent.passwordResetRequested, userRef(user));
  }

  /** An activation or reset mail: its `url` is the setting's template filled with uid and token. */
  private mailLink(template: MailTemplateName, user: User): void {
    const setting =
      template === 'djoser-activation'
        ? this.settings.activationUrl
        : template === 'djoser-password-reset'
          ? this.settings.passwordResetConfirmUrl
          : this.settings.usernameResetConfirmUrl;
    const uid = encodeUid(user.id);
    const token = this.tokens.make(user);
    const url = setting.replace(/\{uid\}/g, uid).replace(/\{token\}/g, token);
    this.mail.send(template, user.email, { ...this.linkContext(user), uid, token, url });
  }

  private notify(template: MailTemplateName, user: User): void {
    this.mail.send(template, user.email, this.linkContext(user));
  }

  /** templated-mail's context: protocol and domain of the site (FRONTEND_URL stands in for it). */
  private linkContext(user: User): Record<string, string> {
    const frontend = new URL(this.config.frontendUrl);
    const path = frontend.pathname.replace(/\/+$/, '');
    return {
      protocol: frontend.protocol.replace(':', ''),
      domain: frontend.host + path,
      // user.get_username(): the e-mail, DSTOQ's USERNAME_FIELD.
      username: user.email,
      email: user.email,
    };
  }
}
