import { Injectable } from '@nestjs/common';
import type { User } from '../../accounts/user.entity';
import { UserSerializer } from '../../accounts/user-serializer';
import { type LoginOutcome, LoginService, type LoginStep } from '../../accounts/login.service';
import { UsersService } from '../../accounts/users.service';
import { FieldErrors, NON_FIELD } from '../../problems/domain.errors';
import { DrfException } from '../../problems/drf.exception';
import { GatehouseEvent, type Surface } from '../../events/gatehouse-events';
import { GatehouseEvents } from '../../events/gatehouse-events.service';
import { GatehouseConfig } from '../../config/gatehouse-config';
import { JwtAuthService } from '../../jwt-auth/jwt-auth.service';
import { JwtTokenService } from '../../jwt-auth/jwt-token.service';
import { TokenError } from '../../jwt-auth/token-error';
import { TokenKeyService } from '../../token-key/token-key.service';
import {
  type RegistrationInput,
  RegistrationService,
} from '../../registration/registration.service';

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
    private readonly logins: LoginService,
    private readonly keys: TokenKeyService,
    private readonly jwt: JwtTokenService,
    private readonly jwtAuth: JwtAuthService,
    private readonly events: GatehouseEvents,
    private readonly serializer: UserSerializer,
    private readonly registration: RegistrationService,
  ) {}

  /** dj-rest-auth's login: the credential check, then a key and/or JWT pair. */
  async login(identifier: string | undefined, password: string): Promise<RestAuthTokens> {
    return this.tokensFor(await this.checkLogin(identifier, password), 'login');
  }

  /**
   * A multi-factor login's second step (the challenge's token and a code): the
   * answer of `login`, its session and tokens saying a second factor was given.
   * @throws SecondFactorRefused, LoginRefused
   */
  async completeLogin(mfaToken: string, code: string): Promise<RestAuthTokens> {
    const { user, amr } = await this.checkStep({ mfaToken, code });
    return this.tokensFor(user, 'login', amr);
  }

  /**
   * Either step of dj-rest-auth's login (and the dashboard's form) under its rules.
   * @throws LoginRefused, MfaRequired, SecondFactorRefused
   */
  async checkStep(step: LoginStep, surface: Surface = 'rest-auth'): Promise<LoginOutcome> {
    if ('password' in step)
      return { user: await this.checkLogin(step.identifier, step.password, surface) };
    return this.logins.complete(step.mfaToken, step.code, { surface, recordLogin: true });
  }

  /**
   * The login rules of dj-rest-auth (and of the dashboard's form); the account's
   * own (verification among them) are LoginService's. dj-rest-auth records every login.
   * @throws LoginRefused (see `restAuthErrors` for its words)
   */
  async checkLogin(
    identifier: string | undefined,
    password: string,
    surface: Surface = 'rest-auth',
  ): Promise<User> {
    if (!identifier) {
      throw FieldErrors.of(NON_FIELD, 'required', 'Must include "username" and "password".');
    }
    return this.logins.login(identifier, password, {
      surface,
      recordLogin: true,
      // allauth's backend matches a username in any letter case.
      lookup: 'username-ignoring-case',
    });
  }

  /**
   * dj-rest-auth's RegisterView answer: tokens, or only a notice when the account
   * must confirm its address before it logs in (no door hands out tokens before).
   */
  async registered(user: User): Promise<RestAuthTokens | { detail: string }> {
    if (this.logins.verificationRequired) return { detail: 'Verification e-mail sent.' };
    return this.tokensFor(user, 'registration');
  }

  /**
   * dj-rest-auth's logout: no authentication needed; revokes the Token key of the
   * `Authorization` header and blacklists the refresh token given (in the body,
   * or the refresh cookie in cookie mode).
   */
  async logout(authorization: string | undefined, refresh: unknown): Promise<{ detail: string }> {
    const [scheme, key, ...rest] = (authorization ?? '').trim().split(/\s+/);
    if (scheme?.toLowerCase() === 'token' && key && rest.length === 0) {
      const record = await this.keys.find(key);
      if (record) {
        await this.keys.revoke(record.id);
        await this.loggedOut(record.userId, 'token_key');
      }
    }
    if (typeof refresh === 'string' && refresh !== '') {
      try {
        const claims = await this.jwt.verify(refresh, 'refresh');
        if (!(await this.jwt.logout(claims, refresh))) throw new TokenError('Token is blacklisted');
        await this.loggedOut(claims.user_id, 'refresh_token');
      } catch (error) {
        if (error instanceof TokenError) throw DrfException.detail(401, error.message);
        throw error;
      }
    }
    return { detail: 'Successfully logged out.' };
  }

  private async loggedOut(userId: number, kind: 'token_key' | 'refresh_token'): Promise<void> {
    await this.events.emit(GatehouseEvent.tokenRevoked, {
      userId,
      kind,
      reason: 'logout',
      count: 1,
    });
    const user = await this.users.findById(userId);
    if (user) await this.events.loggedOut('rest-auth', user);
  }

  /** dj-rest-auth's UserDetailsSerializer, with the fields the app's UserSerializer adds. */
  async details(user: User): Promise<UserDetails> {
    return this.serializer.represent(user, userDetails(user), 'user-details');
  }

  /**
   * PUT/PATCH /auth/user/: username, first and last name; pk and email are
   * read-only. The raw body then goes to the UserSerializer's `update` hook.
   */
  async updateDetails(
    user: User,
    body: { username?: string; first_name?: string; last_name?: string },
    rawBody: unknown,
  ): Promise<UserDetails> {
    await this.users.updateDetails(user, {
      username: body.username,
      firstName: body.first_name,
      lastName: body.last_name,
    });
    if (rawBody && typeof rawBody === 'object' && !Array.isArray(rawBody)) {
      await this.serializer.update(user, rawBody as Record<string, unknown>, 'user-details');
    }
    return this.details(user);
  }

  /**
   * dj-rest-auth's JWT refresh: SimpleJWT's answer plus `access_token_expiration`.
   * In cookie mode the refresh cookie stands in for a missing body field.
   */
  async refresh(fromBody: string | undefined, fromCookie: string | undefined) {
    const refreshToken = fromBody ?? fromCookie;
    // CookieTokenRefreshSerializer's `refresh` is optional: without it, and without
    // the cookie, it is SimpleJWT's InvalidToken, cookie mode or not.
    if (refreshToken === undefined)
      throw DrfException.detail(401, 'No valid refresh token found.', 'token_not_valid');
    const result = await this.jwtAuth.refresh(refreshToken, 'rest-auth');
    // The token was just signed here: reading its exp needs no second verification.
    const exp = this.jwt.expiryOf(result.access);
    // Python's isoformat with microseconds, as dj-rest-auth writes it.
    const expiration = new Date(exp * 1000).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
    return { ...result, access_token_expiration: expiration };
  }

  /** dj-rest-auth's RegisterView: the user, then `registered`'s answer. */
  async register(input: RegistrationInput): Promise<RestAuthTokens | { detail: string }> {
    const user = await this.registration.register(input, (unsaved) =>
      this.rehearseRegistered(unsaved),
    );
    return this.registered(user);
  }

  /**
   * `registered`'s work for a sign-up refused for a taken address (see
   * RegistrationService.createUser): the key and the pair minted and rehearsed,
   * writing nothing. The serializer hook is a consumer's and sees real users only.
   */
  private async rehearseRegistered(unsaved: User): Promise<void> {
    if (this.logins.verificationRequired) return;
    const mode = this.config.restAuthToken;
    // As tokensFor: the key's session, shared by the pair.
    const sessionId =
      mode !== 'jwt'
        ? await this.keys.rehearseMint({ via: 'registration', surface: 'rest-auth' })
        : undefined;
    if (mode !== 'key') {
      await this.jwt.rehearsePair(unsaved, { surface: 'rest-auth-jwt', sessionId });
      userDetails(unsaved);
    }
  }

  /** A fresh Token key and/or JWT pair for a user who just logged in or signed up. */
  async tokensFor(
    user: User,
    via: 'login' | 'registration',
    amr?: readonly string[],
  ): Promise<RestAuthTokens> {
    const mode = this.config.restAuthToken;
    const body: RestAuthTokens = {};
    // One login, one session: with both flavours on, the key and the pair share it.
    const minted =
      mode !== 'jwt' ? await this.keys.mint(user, { via, surface: 'rest-auth', amr }) : null;
    if (minted) body.key = minted.key;
    if (mode !== 'key') {
      const pair = await this.jwt.issuePair(user, {
        surface: 'rest-auth-jwt',
        sessionId: minted?.record.sessionId ?? undefined,
        amr,
      });
      body.access_token = pair.access;
      body.refresh_token = pair.refresh;
      body.user = await this.details(user);
    }
    return body;
  }
}

/** The built-in fields of dj-rest-auth's UserDetailsSerializer. */
function userDetails(user: User): UserDetails {
  return {
    pk: user.id,
    username: user.username,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
  };
}
