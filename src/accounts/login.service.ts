import { Injectable } from '@nestjs/common';
import { LoginRefused, type LoginRefusal } from '../problems/domain.errors';
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

/**
 * The login every surface shares: verify the credentials (CredentialsService)
 * (unknown users cost the same time), refuse an inactive, blocked or (when required) unverified user,
 * record the login, announce it. A refusal is a LoginRefused with its reason;
 * each surface tells as much of the reason as its library does.
 */
@Injectable()
export class LoginService {
  /**
   * One policy for the account, whatever the door: allauth's mandatory
   * verification and fastapi-users' `requires_verification` both ask for a
   * confirmed address, and five doors over one store must not leave the weakest open.
   */
  readonly verificationRequired: boolean;

  constructor(
    config: GatehouseConfig,
    private readonly users: UsersService,
    private readonly credentials: CredentialsService,
    private readonly events: GatehouseEvents,
  ) {
    this.verificationRequired =
      config.emailVerification === 'mandatory' || config.fastapiUsers.requireVerifiedLogin;
  }

  async login(identifier: string, password: string, rules: LoginRules): Promise<User> {
    const user = await this.credentials.check(identifier, password, rules.lookup);
    const refuse = async (reason: LoginRefusal) => {
      await this.events.loginFailed(rules.surface, identifier, user, reason);
      return new LoginRefused(reason);
    };
    if (!user) throw await refuse('bad_credentials');
    // Only a right password reaches the account's state.
    const reason = this.refusalFor(user);
    if (reason) throw await refuse(reason);
    if (rules.recordLogin) await this.users.recordLogin(user);
    await this.events.loggedIn(rules.surface, user);
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
