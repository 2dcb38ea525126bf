import { Injectable } from '@nestjs/common';
import { LoginRefused, type LoginRefusal } from '../common/errors/domain.errors';
import type { Surface } from '../common/events/gatehouse-events';
import { GatehouseEvents } from '../common/events/gatehouse-events.service';
import type { User } from './user.entity';
import { CredentialsService } from './local.strategy';
import { type LoginLookup, UsersService } from './users.service';

/** Where the real libraries' logins differ; everything else is one rule. */
export interface LoginRules {
  /** The surface the attempt came through, for the lifecycle events. */
  surface: Surface;
  /** Refuse an unconfirmed address (allauth's mandatory verification, fastapi-users' `requires_verification`). */
  requireVerified?: boolean;
  /** Record `last_login` (dj-rest-auth always does; SimpleJWT with UPDATE_LAST_LOGIN). */
  recordLogin?: boolean;
  /** How an identifier that is not an e-mail finds its user (see LoginLookup). */
  lookup?: LoginLookup;
}

/**
 * The login every surface shares: verify the credentials with passport-local
 * (unknown users cost the same time), refuse an inactive, blocked or (when required) unverified user,
 * record the login, announce it. A refusal is a LoginRefused with its reason;
 * each surface tells as much of the reason as its library does.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly users: UsersService,
    private readonly credentials: CredentialsService,
    private readonly events: GatehouseEvents,
  ) {}

  async login(identifier: string, password: string, rules: LoginRules): Promise<User> {
    const user = await this.credentials.check(identifier, password, rules.lookup);
    const refuse = async (reason: LoginRefusal) => {
      await this.events.loginFailed(rules.surface, identifier, user, reason);
      return new LoginRefused(reason);
    };
    if (!user) throw await refuse('bad_credentials');
    if (!user.isActive) throw await refuse('inactive');
    if (user.isBlocked) throw await refuse('blocked');
    if (rules.requireVerified && !user.isVerified) throw await refuse('unverified');
    if (rules.recordLogin) await this.users.recordLogin(user);
    await this.events.loggedIn(rules.surface, user);
    return user;
  }
}
