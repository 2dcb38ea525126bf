import { Injectable } from '@nestjs/common';
import type { User } from '../accounts/user.entity';
import { UsernameAlreadyUsedError } from '../accounts/users.errors';
import { UsersService } from '../accounts/users.service';
import { PasswordService } from '../password/password.service';
import { DrfException } from '../common/errors/drf.exception';
import { GatehouseConfig } from '../config/gatehouse-config';
import { decodeJwt } from 'jose';
import { JwtAuthService } from '../jwt-auth/jwt-auth.service';
import { JwtTokenService } from '../jwt-auth/jwt-token.service';
import { TokenError } from '../jwt-auth/token-error';
import { TokenKeyService } from './token-key.service';

/** dj-rest-auth's UserDetailsSerializer. */
export interface UserDetails {
  pk: number;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
}

/** What login and registration answer: `key`, the JWT trio, or both (REST_AUTH_TOKEN). */
export type RestAuthTokens = {
  key?: string;
  access_token?: string;
  refresh_token?: string;
  user?: UserDetails;
};

/** dj-rest-auth's login rules, shared by seed 002 (Token) and seed 003 (JWT). */
@Injectable()
export class RestAuthService {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly users: UsersService,
    private readonly keys: TokenKeyService,
    private readonly jwt: JwtTokenService,
    private readonly jwtAuth: JwtAuthService,
    private readonly passwords: PasswordService,
  ) {}

  /** dj-rest-auth's login: the credential check, then a key and/or JWT pair. */
  async login(identifier: string | undefined, password: string): Promise<RestAuthTokens> {
    return this.tokensFor(await this.checkLogin(identifier, password));
  }

  /**
   * The login rules of dj-rest-auth (and of the dashboard's form): wrong password,
   * unknown or inactive user get one answer; a blocked user with the right password
   * is told so (seed 002). Records the login.
   */
  async checkLogin(identifier: string | undefined, password: string): Promise<User> {
    if (!identifier) throw DrfException.nonField('Must include "username" and "password".');
    const user = await this.users.verifyCredentials(identifier, password);
    if (!user || !user.isActive)
      throw DrfException.nonField('Unable to log in with provided credentials.');
    if (user.isBlocked)
      throw DrfException.nonField('Your account has been blocked. Please contact support.');
    await this.users.recordLogin(user);
    return user;
  }

  /**
   * dj-rest-auth's logout: no authentication needed; revokes the Token key of the
   * `Authorization` header and blacklists the refresh token of the body, if given.
   */
  async logout(authorization: string | undefined, refresh: unknown): Promise<{ detail: string }> {
    const [scheme, key, ...rest] = (authorization ?? '').trim().split(/\s+/);
    if (scheme?.toLowerCase() === 'token' && key && rest.length === 0) {
      const record = await this.keys.find(key);
      if (record) await this.keys.revoke(record.id);
    }
    if (typeof refresh === 'string' && refresh !== '') {
      try {
        const claims = await this.jwt.verify(refresh, 'refresh');
        if (!(await this.jwt.blacklist(claims, refresh)))
          throw new TokenError('Token is blacklisted');
      } catch (error) {
        if (error instanceof TokenError) throw DrfException.detail(401, error.message);
        throw error;
      }
    }
    return { detail: 'Successfully logged out.' };
  }

  /** dj-rest-auth's password change; with LOGOUT_ON_PASSWORD_CHANGE every session of the user ends. */
  async changePassword(
    user: User,
    oldPassword: string,
    newPassword1: string,
    newPassword2: string,
  ) {
    await this.passwords.change(user, oldPassword, newPassword1, newPassword2);
    if (this.config.logoutOnPasswordChange) {
      await this.jwt.blacklistAllFor(user.id);
      await this.keys.revokeAllFor(user.id);
    }
    return { detail: 'New password has been saved.' };
  }

  /** PUT/PATCH /auth/user/: username, first and last name; pk and email are read-only. */
  async updateDetails(
    user: User,
    body: { username?: string; first_name?: string; last_name?: string },
  ): Promise<UserDetails> {
    try {
      return userDetails(
        await this.users.updateDetails(user, {
          username: body.username,
          firstName: body.first_name,
          lastName: body.last_name,
        }),
      );
    } catch (error) {
      if (error instanceof UsernameAlreadyUsedError)
        throw DrfException.fields({ username: [error.message] });
      throw error;
    }
  }

  /** dj-rest-auth's JWT refresh: SimpleJWT's answer plus `access_token_expiration`. */
  async refresh(refreshToken: string) {
    const result = await this.jwtAuth.refresh(refreshToken);
    // The token was just signed here: reading its exp needs no second verification.
    const exp = decodeJwt(result.access).exp ?? 0;
    // Python's isoformat with microseconds, as dj-rest-auth writes it.
    const expiration = new Date(exp * 1000).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
    return { ...result, access_token_expiration: expiration };
  }

  /** A fresh Token key and/or JWT pair for a user who just logged in or signed up. */
  async tokensFor(user: User): Promise<RestAuthTokens> {
    const mode = this.config.restAuthToken;
    const body: RestAuthTokens = {};
    if (mode !== 'jwt') body.key = (await this.keys.mint(user)).key;
    if (mode !== 'key') {
      const pair = await this.jwt.issuePair(user);
      body.access_token = pair.access;
      body.refresh_token = pair.refresh;
      body.user = userDetails(user);
    }
    return body;
  }
}

export function userDetails(user: User): UserDetails {
  return {
    pk: user.id,
    username: user.username,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
  };
}
