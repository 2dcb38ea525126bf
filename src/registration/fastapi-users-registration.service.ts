import { Injectable } from '@nestjs/common';
import { type UserRead, userRead } from '../accounts/fastapi-users.service';
import { UsersService } from '../accounts/users.service';
import { FieldErrors } from '../problems/domain.errors';
import { GatehouseEvent, userRef } from '../events/gatehouse-events';
import { GatehouseEvents } from '../events/gatehouse-events.service';
import { GatehouseConfig } from '../config/gatehouse-config';
import { FastapiUsersTokensService } from '../jwt-auth/fastapi-users-tokens.service';
import { MailService } from '../mail/mail.service';
import { PasswordValidationService } from '../password/password-validation.service';
import { canonicalUuid } from '../accounts/fastapi-users.service';

/** fastapi-users' register and verify routers (seed 001's surface). */
@Injectable()
export class FastapiUsersRegistrationService {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly users: UsersService,
    private readonly passwords: PasswordValidationService,
    private readonly tokens: FastapiUsersTokensService,
    private readonly mail: MailService,
    private readonly events: GatehouseEvents,
  ) {}

  /**
   * `create(user_create, safe=True)`: the password check first, then the address;
   * `is_active`, `is_superuser` and `is_verified` in the body are ignored. The
   * username Gatehouse's other surfaces need is derived from the e-mail.
   * @throws FieldErrors `password: password_invalid`; EmailAlreadyUsedError (also
   *         when a concurrent sign-up takes the address in between)
   */
  async register(body: { email: string; password: string }): Promise<UserRead> {
    await this.passwords.check(body.password, { email: body.email }, 'password');
    const user = await this.users.create({ email: body.email, password: body.password });
    await this.events.emit(GatehouseEvent.userRegistered, {
      ...userRef(user),
      surface: 'fastapi-users',
    });
    return userRead(user);
  }

  /**
   * `POST /auth/request-verify-token`: mails a verification token to an active,
   * unverified user; anyone else gets the same answer and no mail.
   */
  requestVerify(email: string): Promise<void> {
    // Off the request path: an existing and an unknown address answer in the same time.
    this.mail.defer(() => this.mailVerifyToken(email));
    return Promise.resolve();
  }

  private async mailVerifyToken(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user?.canAuthenticate || user.isVerified) return;
    const token = await this.tokens.verificationToken(user);
    this.mail.send('fastapi-users-verify', user.email, {
      email: user.email,
      token,
      verify_url: `${this.config.frontendUrl}/verify?token=${encodeURIComponent(token)}`,
    });
  }

  /**
   * `POST /auth/verify`: a valid token naming the user's current address and id.
   * @throws FieldErrors `token: invalid`, `token: already_verified`
   */
  async verify(token: string): Promise<UserRead> {
    const claims = await this.tokens.readVerificationToken(token);
    const user = claims && (await this.users.findByEmail(claims.email));
    if (!claims || !user || canonicalUuid(claims.sub) !== user.uuid) {
      throw FieldErrors.of('token', 'invalid', 'Invalid or expired verification token.');
    }
    // One conditional UPDATE: of concurrent uses of one token, exactly one verifies.
    if (!(await this.users.markVerified(user))) {
      throw FieldErrors.of('token', 'already_verified', 'The user is already verified.');
    }
    await this.events.emit(GatehouseEvent.emailVerified, userRef(user));
    return userRead(user);
  }
}
