import { Injectable } from '@nestjs/common';
import {
  DrfException,
  FastApiException,
  type User,
  UserSerializer,
  type UserRepresentation,
} from 'gatehouse';
import { DepartmentService } from './department.service';

/** `/auth/user/` and `/users/me` show the department, and PUT/PATCH change it. */
@Injectable()
export class DepartmentUserSerializer extends UserSerializer {
  constructor(private readonly departments: DepartmentService) {
    super();
  }

  override async represent<T extends object>(
    user: User,
    base: T,
    representation: UserRepresentation,
  ): Promise<T> {
    if (representation === 'trading-info') return base;
    return { ...base, department: await this.departments.of(user.id) };
  }

  override async update(
    user: User,
    body: Record<string, unknown>,
    representation: UserRepresentation,
  ): Promise<void> {
    if (!('department' in body)) return;
    const name = body.department;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 100) {
      // Each surface answers in its own dialect.
      if (representation === 'fastapi-users') {
        throw new FastApiException(422, {
          detail: [
            {
              type: 'string_type',
              loc: ['body', 'department'],
              msg: 'Input should be a non-empty string of at most 100 characters',
              input: name,
            },
          ],
        });
      }
      throw DrfException.fields({
        department: ['Enter a department name of at most 100 characters.'],
      });
    }
    await this.departments.set(user.id, name.trim());
  }
}
