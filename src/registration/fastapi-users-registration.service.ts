import { Injectable } from '@nestjs/common';
import type { UserCreateDto } from '../accounts/dto/fastapi-users.dto';
import { FastapiUsersService, type UserRead, userRead } from '../accounts/fastapi-users.service';
import { EmailAlreadyUsedError } from '../accounts/users.errors';
import { UsersService } from '../accounts/users.service';
import { FastapiUsersErrorCode, fastapiUsersError } from '../common/errors/fastapi-users-errors';
import { GatehouseEvent, userRef } from '../common/events/gatehouse-events';
import { GatehouseEvents } from '../common/events/gatehouse-events.service';
import type { User } from '../accounts/user.entity';
import { GatehouseConfig } from '../config/gatehouse-config';
import { FastapiUsersTokensService } from '../jwt-auth/fastapi-users-tokens.service';
import { MailService } from '../mail/mail.service';
import { FastapiUsersPasswordService } from '../password/fastapi-users-password.service';
import { canonicalUuid } from '../accounts/fastapi-users.service';

/** fastapi-users' register and verify routers (seed 001's surface). */
@Injectable()
export class FastapiUsersRegistrationService {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly users: UsersService,
    private readonly fastapiUsers: FastapiUsersService,
    private readonly passwords: FastapiUsersPasswordService,
    private readonly tokens: FastapiUsersTokensService,
    private readonly mail: MailService,
    private readonly events: GatehouseEvents,
  ) {}

  /**
   * `create(user_create, safe=True)`: the password check first, then the address;
   * `is_active`, `is_superuser` and `is_verified` in the body are ignored. The
   * username Gatehouse's other surfaces need is derived from the e-mail.
   * @throws REGISTER_INVALID_PASSWORD, REGISTER_USER_ALREADY_EXISTS
   */
  async register(body: UserCreateDto): Promise<UserRead> {
    const reason = await this.passwords.invalidReason(body.password, { email: body.email });
    if (reason) throw fastapiUsersError(FastapiUsersErrorCode.REGISTER_INVALID_PASSWORD, reason);
    if (await this.users.findByEmail(body.email)) {
      throw fastapiUsersError(FastapiUsersErrorCode.REGISTER_USER_ALREADY_EXISTS);
    }
    let user: User;
    try {
      user = await this.users.create({ email: body.email, password: body.password });
    } catch (error) {
      // A concurrent sign-up took the address in between.
      if (error instanceof EmailAlreadyUsedError) {
        throw fastapiUsersError(FastapiUsersErrorCode.REGISTER_USER_ALREADY_EXISTS);
      }
      throw error;
    }
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
    if (!user || !user.isActive || user.isBlocked || user.isVerified) return;
    const token = await this.tokens.verificationToken(user);
    this.mail.send('fastapi-users-verify', user.email, {
      email: user.email,
      token,
      verify_url: `${this.config.frontendUrl}/verify?token=${encodeURIComponent(token)}`,
    });
  }

  /**
   * `POST /auth/verify`: a valid token naming the user's current address and id.
   * @throws VERIFY_USER_BAD_TOKEN, VERIFY_USER_ALREADY_VERIFIED
   */
  async verify(token: string): Promise<UserRead> {
    const claims = await this.tokens.readVerificationToken(token);
    const user = claims && (await this.users.findByEmail(claims.email));
    if (!claims || !user || canonicalUuid(claims.sub) !== user.uuid) {
      throw fastapiUsersError(FastapiUsersErrorCode.VERIFY_USER_BAD_TOKEN);
    }
    if (user.isVerified)
      throw fastapiUsersError(FastapiUsersErrorCode.VERIFY_USER_ALREADY_VERIFIED);
    if (!(await this.users.markVerified(user)))
      throw fastapiUsersError(FastapiUsersErrorCode.VERIFY_USER_ALREADY_VERIFIED);
    await this.events.emit(GatehouseEvent.emailVerified, userRef(user));
    return userRead(user);
  }
}
