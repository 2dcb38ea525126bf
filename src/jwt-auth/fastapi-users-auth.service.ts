import { Injectable } from '@nestjs/common';
import { PasswordHasherService } from '../accounts/password-hasher.service';
import type { User } from '../accounts/user.entity';
import { CredentialsService } from '../accounts/local.strategy';
import { UsersService } from '../accounts/users.service';
import {
  FastapiUsersErrorCode,
  fastapiUsersError,
  forbidden,
} from '../common/errors/fastapi-users-errors';
import { GatehouseEvent, userRef } from '../common/events/gatehouse-events';
import { GatehouseEvents } from '../common/events/gatehouse-events.service';
import { GatehouseConfig } from '../config/gatehouse-config';
import { JwtTokenService } from './jwt-token.service';

/** fastapi-users' BearerTransport login answer. */
export interface BearerResponse {
  access_token: string;
  token_type: 'bearer';
}

/** fastapi-users' auth router with the JWT strategy and Bearer transport (seed 001). */
@Injectable()
export class FastapiUsersAuthService {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly users: UsersService,
    private readonly credentials: CredentialsService,
    private readonly hasher: PasswordHasherService,
    private readonly tokens: JwtTokenService,
    private readonly events: GatehouseEvents,
  ) {}

  /**
   * Wrong password, unknown, inactive or blocked user: one answer, one timing
   * (the inactive check comes before the verification check, as fastapi-users does).
   */
  async login(username: string, password: string): Promise<BearerResponse> {
    const user = await this.checkCredentials(username, password);
    if (!user || !user.isActive || user.isBlocked) {
      await this.events.loginFailed('fastapi-users', username, user);
      throw fastapiUsersError(FastapiUsersErrorCode.LOGIN_BAD_CREDENTIALS);
    }
    if (this.config.fastapiUsers.requireVerifiedLogin && !user.isVerified) {
      await this.events.loginFailed('fastapi-users', username, user, 'unverified');
      throw fastapiUsersError(FastapiUsersErrorCode.LOGIN_USER_NOT_VERIFIED);
    }
    if (this.config.jwt.updateLastLogin) await this.users.recordLogin(user);
    await this.events.loggedIn('fastapi-users', user);
    const token = await this.tokens.issueAccess(user, this.config.fastapiUsers.tokenLifetime);
    return { access_token: token, token_type: 'bearer' };
  }

  /**
   * The JWT strategy cannot destroy a token: logout only checks the caller may
   * use the route (verified, when login requires it) and answers 204.
   */
  async logout(user: User): Promise<void> {
    if (this.config.fastapiUsers.requireVerifiedLogin && !user.isVerified) throw forbidden();
    await this.events.emit(GatehouseEvent.userLoggedOut, {
      ...userRef(user),
      surface: 'fastapi-users',
    });
  }

  private async checkCredentials(username: string, password: string): Promise<User | null> {
    // No stored address holds a NUL (and PostgreSQL could not compare one): unknown, same cost.
    if (username.includes('\u0000')) {
      await this.hasher.spendVerifyTime(password);
      return null;
    }
    return this.credentials.check(username, password);
  }
}
