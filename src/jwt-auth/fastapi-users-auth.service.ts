import { Injectable } from '@nestjs/common';
import { PasswordHasherService } from '../accounts/password-hasher.service';
import type { User } from '../accounts/user.entity';
import { UsersService } from '../accounts/users.service';
import {
  FastapiUsersErrorCode,
  fastapiUsersError,
  forbidden,
} from '../common/errors/fastapi-users-errors';
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
    private readonly hasher: PasswordHasherService,
    private readonly tokens: JwtTokenService,
  ) {}

  /**
   * Wrong password, unknown, inactive or blocked user: one answer, one timing
   * (the inactive check comes before the verification check, as fastapi-users does).
   */
  async login(username: string, password: string): Promise<BearerResponse> {
    const user = await this.checkCredentials(username, password);
    if (!user || !user.isActive || user.isBlocked) {
      throw fastapiUsersError(FastapiUsersErrorCode.LOGIN_BAD_CREDENTIALS);
    }
    if (this.config.fastapiUsers.requireVerifiedLogin && !user.isVerified) {
      throw fastapiUsersError(FastapiUsersErrorCode.LOGIN_USER_NOT_VERIFIED);
    }
    if (this.config.jwt.updateLastLogin) await this.users.recordLogin(user);
    const token = await this.tokens.issueAccess(user, this.config.fastapiUsers.tokenLifetime);
    return { access_token: token, token_type: 'bearer' };
  }

  /**
   * The JWT strategy cannot destroy a token: logout only checks the caller may
   * use the route (verified, when login requires it) and answers 204.
   */
  logout(user: User): void {
    if (this.config.fastapiUsers.requireVerifiedLogin && !user.isVerified) throw forbidden();
  }

  private async checkCredentials(username: string, password: string): Promise<User | null> {
    // No stored address holds a NUL (and PostgreSQL could not compare one): unknown, same cost.
    if (username.includes('\u0000')) {
      await this.hasher.spendVerifyTime(password);
      return null;
    }
    return this.users.verifyCredentials(username, password);
  }
}
