import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { CredentialsService, type User } from '@gatehouse-auth/nestjs';
import { BasicStrategy } from 'passport-http';

/**
 * HTTP Basic (`Authorization: Basic base64(email:password)`) for Acme's
 * scripts, on passport-http. Gatehouse runs it for the `Basic` scheme on every
 * protected route; the password is checked as every login checks it.
 */
@Injectable()
export class BasicAuthStrategy extends PassportStrategy(BasicStrategy, 'acme-basic') {
  constructor(private readonly credentials: CredentialsService) {
    super();
  }

  async validate(email: string, password: string): Promise<User | null> {
    const user = await this.credentials.check(email, password);
    return user && user.isActive && !user.isBlocked ? user : null;
  }
}
