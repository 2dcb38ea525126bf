import { Injectable } from '@nestjs/common';
import { FieldErrors, type User, UserSerializer, type UserRepresentation } from '@gatehouse-auth/nestjs';
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

  override async update(user: User, body: Record<string, unknown>): Promise<void> {
    if (!('department' in body)) return;
    const name = body.department;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 100) {
      // A domain error: each surface answers it in its own dialect (DRF's field
      // error on /auth/user/, FastAPI's 422 on /users/me).
      throw FieldErrors.of(
        'department',
        'invalid',
        'Enter a department name of at most 100 characters.',
      );
    }
    await this.departments.set(user.id, name.trim());
  }
}
