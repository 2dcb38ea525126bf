import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import { CredentialsService } from './credentials.service';
import type { User } from './user.entity';
import type { LoginLookup } from './users.service';

export const LOCAL_STRATEGY = 'gatehouse-local';

/**
 * passport-local over CredentialsService, for a route that takes `username` and
 * `password` from its request (`AuthGuard('gatehouse-local')`). Gatehouse's own
 * logins hand the credential to CredentialsService directly, after their
 * surface validated the body.
 */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, LOCAL_STRATEGY) {
  constructor(private readonly credentials: CredentialsService) {
    super({
      usernameField: 'username',
      passwordField: 'password',
      session: false,
      passReqToCallback: true,
    });
  }

  validate(
    request: { body?: { lookup?: LoginLookup } },
    username: string,
    password: string,
  ): Promise<User | null> {
    return this.credentials.check(username, password, request.body?.lookup);
  }
}
