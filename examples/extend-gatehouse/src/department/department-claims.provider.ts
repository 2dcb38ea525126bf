import { Injectable } from '@nestjs/common';
import { JwtClaimsProvider, type User } from '@gatehouse-auth/nestjs';
import { DepartmentService } from './department.service';

/** Every token Gatehouse issues carries the user's department. */
@Injectable()
export class DepartmentClaimsProvider extends JwtClaimsProvider {
  constructor(private readonly departments: DepartmentService) {
    super();
  }

  override async claimsFor(user: User): Promise<Record<string, unknown>> {
    return { department: await this.departments.of(user.id) };
  }
}
