import { Injectable } from '@nestjs/common';
import { LoginService, type LoginStep } from '../accounts/login.service';
import type { Principal } from '../access/auth-scheme';
import type { User } from '../accounts/user.entity';
import { SessionsService } from '../sessions/sessions.service';
import { PermissionDeniedError } from '../problems/domain.errors';
import { GatehouseEvents } from '../events/gatehouse-events.service';
import { GatehouseConfig } from '../config/gatehouse-config';
import { JwtTokenService } from './jwt-token.service';

/** fastapi-users' BearerTransport login answer. */
export interface BearerResponse {
  access_token: string;
  token_type: 'bearer';
}

/** fastapi-users' auth router with the JWT strategy and Bearer transport. */
@Injectable()
export class FastapiUsersAuthService {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly logins: LoginService,
    private readonly tokens: JwtTokenService,
    private readonly events: GatehouseEvents,
    private readonly sessions: SessionsService,
  ) {}

  /**
   * fastapi-users' login: by e-mail only; wrong password, unknown, inactive or
   * blocked user are one refusal (the inactive check comes before the
   * verification check, as fastapi-users does: LoginService.refusalFor).
   * @throws LoginRefused
   */
  async login(email: string, password: string): Promise<BearerResponse> {
    return this.authenticate({ identifier: email, password });
  }

  /**
   * Either step of the login (LoginStep): the form's credentials, or a multi-factor
   * challenge's token and code.
   * @throws LoginRefused, MfaRequired, SecondFactorRefused
   */
  async authenticate(step: LoginStep): Promise<BearerResponse> {
    const { user, amr } = await this.logins.authenticate(step, {
      surface: 'fastapi-users',
      // fastapi-users' UserManager.authenticate looks the user up by e-mail only.
      lookup: 'email',
      recordLogin: this.config.jwt.updateLastLogin,
    });
    const token = await this.tokens.issueAccess(
      user,
      { surface: 'fastapi-users', amr },
      this.config.fastapiUsers.tokenLifetime,
    );
    return { access_token: token, token_type: 'bearer' };
  }

  /**
   * fastapi-users' JWT strategy cannot destroy a token; Gatehouse ends the token's
   * session, so it dies at once. The caller must be allowed to use the route
   * (verified, when login requires it).
   * @throws PermissionDeniedError
   */
  async logout(principal: Principal<User>): Promise<void> {
    const { user } = principal;
    if (this.logins.verificationRequired && !user.isVerified) {
      throw new PermissionDeniedError('not verified');
    }
    const sessionId = this.sessions.sessionIdOf(principal);
    if (sessionId) await this.sessions.end(user.id, sessionId, 'logout');
    await this.events.loggedOut('fastapi-users', user);
  }
}
