import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../../problems/domain.errors';
import { PasswordValidationService } from '../../password/password-validation.service';
import { passwordContext } from '../../password/password.service';
import type { UserUpdateDto } from './dto/users.dto';
import {
  type FastapiUsersChanges,
  FastapiUsersService,
  type UserRead,
  userRead,
} from '../../accounts/fastapi-users.service';
import type { User } from '../../accounts/user.entity';
import { UserSerializer } from '../../accounts/user-serializer';

/** fastapi-users' users router: the caller's own record, and every record for a superuser. */
@Injectable()
export class FastapiUsersUsersService {
  constructor(
    private readonly fastapiUsers: FastapiUsersService,
    private readonly passwords: PasswordValidationService,
    private readonly serializer: UserSerializer,
  ) {}

  /** fastapi-users' UserRead, with the fields the app's UserSerializer adds. */
  async read(user: User): Promise<UserRead> {
    return this.serializer.represent(user, userRead(user), 'fastapi-users');
  }

  /**
   * `PATCH /users/me` (`safe=True`): the flags in the body are ignored; the raw
   * body then goes to the UserSerializer's `update` hook.
   */
  async updateMe(user: User, body: UserUpdateDto, rawBody: unknown): Promise<UserRead> {
    await this.update(user, {
      password: body.password ?? undefined,
      email: body.email ?? undefined,
    });
    if (rawBody && typeof rawBody === 'object' && !Array.isArray(rawBody)) {
      await this.serializer.update(user, rawBody as Record<string, unknown>, 'fastapi-users');
    }
    return this.read(user);
  }

  /** `GET /users/{id}`: 404 for an id that is malformed or names nobody. */
  async get(id: string): Promise<UserRead> {
    return userRead(await this.getOr404(id));
  }

  /** `PATCH /users/{id}`: a superuser may also set `is_active`, `is_superuser`, `is_verified`. */
  async updateUser(id: string, body: UserUpdateDto): Promise<UserRead> {
    return this.update(await this.getOr404(id), {
      password: body.password ?? undefined,
      email: body.email ?? undefined,
      isActive: body.is_active ?? undefined,
      isSuperuser: body.is_superuser ?? undefined,
      isVerified: body.is_verified ?? undefined,
    });
  }

  async delete(id: string): Promise<void> {
    await this.fastapiUsers.delete(await this.getOr404(id));
  }

  /**
   * fastapi-users' `_update` order: the password is validated before the e-mail is checked.
   * @throws FieldErrors `password: password_invalid`; EmailAlreadyUsedError
   */
  private async update(user: User, changes: FastapiUsersChanges): Promise<UserRead> {
    if (changes.password !== undefined) {
      const context = passwordContext(user, changes.email ?? user.email);
      await this.passwords.check(changes.password, context, 'password');
    }
    return userRead(await this.fastapiUsers.update(user, changes));
  }

  private async getOr404(id: string): Promise<User> {
    const user = await this.fastapiUsers.findById(id);
    if (!user) throw new NotFoundError('user');
    return user;
  }
}
