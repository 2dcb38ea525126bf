import { Injectable } from '@nestjs/common';
import type { User } from './user.entity';
import { type LoginLookup, UsersService } from './users.service';

/**
 * The credential check behind every login endpoint (LoginService) and the
 * consumers' schemes (docs/extending.md): the credential is handed to it as it
 * is, once a surface has validated its own body. The user whose e-mail (or
 * username) and password match, active or not: each caller decides what an
 * inactive or blocked user gets.
 */
@Injectable()
export class CredentialsService {
  constructor(private readonly users: UsersService) {}

  /** The user these credentials name, or null (unknown user, wrong or empty password). */
  check(identifier: string, password: string, lookup?: LoginLookup): Promise<User | null> {
    // passport-local's rule, kept since logins ran through it: a blank one is no credential.
    if (!identifier || !password) return Promise.resolve(null);
    return this.users.verifyCredentials(identifier, password, lookup);
  }
}
