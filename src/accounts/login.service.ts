import { Injectable } from '@nestjs/common';
import { LoginRefused, type LoginRefusal } from '../problems/domain.errors';
import { SecondFactorRefused } from '../problems/login-challenge.errors';
import type { Surface } from '../events/gatehouse-events';
import { GatehouseEvents } from '../events/gatehouse-events.service';
import { GatehouseConfig } from '../config/gatehouse-config';
import type { User } from './user.entity';
import { CredentialsService } from './credentials.service';
import { type LoginLookup, UsersService } from './users.service';

/** Where the real libraries' logins differ; the account's own rules (LoginService) are one. */
export interface LoginRules {
  /** The surface the attempt came through, for the lifecycle events. */
  surface: Surface;
  /** Record `last_login` (dj-rest-auth always does; SimpleJWT with UPDATE_LAST_LOGIN). */
  recordLogin?: boolean;
  /** How an identifier that is not an e-mail finds its user (see LoginLookup). */
  lookup?: LoginLookup;
}

/** How the first factor was given: a password, or a login link (the mailbox). */
export type FirstFactor = 'pwd' | 'link';

/**
 * One step of a login: the credentials, or (after an MfaRequired challenge) the
 * challenge's `mfa_token` with a second-factor code.
 */
export type LoginStep =
  { identifier: string; password: string } | { mfaToken: string; code: string };

/**
 * The step a login body is: the second when it carries `mfa_token` (its `code`
 * then validated as present), else the credentials.
 */
export function loginStep(
  body: { mfa_token?: string; code?: string },
  identifier: string,
  password: string,
): LoginStep {
  return body.mfa_token !== undefined
    ? { mfaToken: body.mfa_token, code: body.code ?? '' }
    : { identifier, password };
}

/** A login that succeeded: the user, and how they proved it when it took more than a password. */
export interface LoginOutcome {
  user: User;
  /**
   * RFC 8176 authentication methods, after a second factor only (`["pwd", "otp"]`);
   * undefined for a password alone, whose tokens and sessions say nothing new.
   */
  amr?: readonly string[];
  /** After a second factor: how the first was given (a login link's session is a `login_link` one). */
  firstFactor?: FirstFactor;
}

/**
 * The second factor of a login (the MFA feature registers one, see
 * `LoginService.useSecondFactor`): this module knows no MFA.
 */
export interface SecondFactorGate {
  /** Throws MfaRequired (with a fresh challenge) when the user must give a second factor. */
  challenge(user: User, surface: Surface, firstFactor: FirstFactor): Promise<void>;
  /**
   * Redeems a challenge with a code: the user it was for and the methods used.
   * @throws SecondFactorRefused
   */
  redeem(mfaToken: string, code: string, surface: Surface): Promise<LoginOutcome>;
}

/**
 * The login every surface shares: verify the credentials (CredentialsService)
 * (unknown users cost the same time), refuse an inactive, blocked or (when required) unverified user,
 * challenge a user with multi-factor login on (SecondFactorGate: the same endpoint then
 * takes the challenge back with a code), record the login, announce it. A refusal is a
 * LoginRefused with its reason; each surface tells as much of the reason as its library does.
 */
@Injectable()
export class LoginService {
  /**
   * One policy for the account, whatever the door: allauth's mandatory
   * verification and fastapi-users' `requires_verification` both ask for a
   * confirmed address, and five doors over one store must not leave the weakest open.
   */
  readonly verificationRequired: boolean;
  private gate?: SecondFactorGate;

  constructor(
    config: GatehouseConfig,
    private readonly users: UsersService,
    private readonly credentials: CredentialsService,
    private readonly events: GatehouseEvents,
  ) {
    this.verificationRequired =
      config.emailVerification === 'mandatory' || config.fastapiUsers.requireVerifiedLogin;
  }

  /** Installs the second factor (one per application: the MFA feature's). */
  useSecondFactor(gate: SecondFactorGate): void {
    this.gate = gate;
  }

  /**
   * The credentials' login; a user with multi-factor login on gets an MfaRequired
   * challenge instead (see `complete` for the second step).
   * @throws LoginRefused, MfaRequired
   */
  async login(identifier: string, password: string, rules: LoginRules): Promise<User> {
    const user = await this.checkFirstFactor(identifier, password, rules);
    await this.requireSecondFactor(user, rules.surface, 'pwd');
    return this.admit(user, rules);
  }

  /**
   * Either step of a login (see LoginStep): the credentials, or a challenge's token and code.
   * @throws LoginRefused, MfaRequired, SecondFactorRefused
   */
  async authenticate(step: LoginStep, rules: LoginRules): Promise<LoginOutcome> {
    if ('password' in step)
      return { user: await this.login(step.identifier, step.password, rules) };
    return this.complete(step.mfaToken, step.code, rules);
  }

  /**
   * A login's second step: the challenge redeemed with a code, then the account's
   * rules again (it may have been deactivated in between) and the login recorded
   * and announced as a one-step login is.
   * @throws SecondFactorRefused, LoginRefused
   */
  async complete(mfaToken: string, code: string, rules: LoginRules): Promise<LoginOutcome> {
    if (!this.gate) throw new SecondFactorRefused('token_invalid');
    const outcome = await this.gate.redeem(mfaToken, code, rules.surface);
    const reason = this.refusalFor(outcome.user);
    if (reason) {
      await this.events.loginFailed(rules.surface, outcome.user.email, outcome.user, reason);
      throw new LoginRefused(reason);
    }
    return { ...outcome, user: await this.admit(outcome.user, rules) };
  }

  /**
   * Throws MfaRequired when the user has multi-factor login on: the step after a
   * first factor (a password here, a login link on the dashboard).
   */
  async requireSecondFactor(user: User, surface: Surface, firstFactor: FirstFactor): Promise<void> {
    await this.gate?.challenge(user, surface, firstFactor);
  }

  private async admit(user: User, rules: LoginRules): Promise<User> {
    if (rules.recordLogin) await this.users.recordLogin(user);
    await this.events.loggedIn(rules.surface, user);
    return user;
  }

  private async checkFirstFactor(
    identifier: string,
    password: string,
    rules: LoginRules,
  ): Promise<User> {
    const user = await this.credentials.check(identifier, password, rules.lookup);
    const refuse = async (reason: LoginRefusal) => {
      await this.events.loginFailed(rules.surface, identifier, user, reason);
      return new LoginRefused(reason);
    };
    if (!user) throw await refuse('bad_credentials');
    // Only a right password reaches the account's state.
    const reason = this.refusalFor(user);
    if (reason) throw await refuse(reason);
    return user;
  }

  /**
   * Why an identified user (credentials checked, or a link, a session or a token
   * that opens one) may not log in, if they may not: inactive, blocked, or
   * unverified while verification is required — in the order the libraries check.
   */
  refusalFor(user: User): LoginRefusal | undefined {
    if (!user.isActive) return 'inactive';
    if (user.isBlocked) return 'blocked';
    if (this.verificationRequired && !user.isVerified) return 'unverified';
    return undefined;
  }
}
