import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import { Strategy } from 'passport-local';
import { runPassportStrategy } from '../common/auth/passport-authenticate';
import { User } from './user.entity';
import { type LoginLookup, UsersService } from './users.service';

export const LOCAL_STRATEGY = 'gatehouse-local';

/**
 * passport-local: the credential check behind every login endpoint (LoginService). The user
 * whose e-mail (or username) and password match, active or not: each surface
 * decides what an inactive or blocked user gets.
 */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, LOCAL_STRATEGY) {
  constructor(private readonly users: UsersService) {
    super({
      usernameField: 'username',
      passwordField: 'password',
      session: false,
      passReqToCallback: true,
    });
  }

  validate(
    request: { body: { lookup?: LoginLookup } },
    username: string,
    password: string,
  ): Promise<User | null> {
    return this.users.verifyCredentials(username, password, request.body.lookup);
  }
}

/**
 * Runs the passport-local check once a surface has validated its own body (a
 * guard would run before, and change what a malformed body is answered), so every
 * login keeps its wire answers.
 */
@Injectable()
export class CredentialsService {
  /** This app's own passport (the default one is shared by every app in the process). */
  private readonly passport = new passport.Passport();

  constructor(strategy: LocalStrategy) {
    this.passport.use(LOCAL_STRATEGY, strategy);
  }

  /** The user these credentials name, or null (unknown user, wrong or empty password). */
  async check(identifier: string, password: string, lookup?: LoginLookup): Promise<User | null> {
    const { user } = await runPassportStrategy(
      this.passport,
      LOCAL_STRATEGY,
      { body: { username: identifier, password, lookup }, query: {} },
      {},
    );
    return user instanceof User ? user : null;
  }
}
