import { PermissionDeniedError } from '../problems/domain.errors';
import type { User } from './user.entity';

/** The privileges a staff action touches: the target's flags before, and what it would set. */
type Privileges = Pick<User, 'isStaff' | 'isSuperuser'>;
export type StaffAction =
  | { kind: 'change'; isActive?: boolean; isStaff?: boolean; isSuperuser?: boolean }
  | { kind: 'delete' };

/** A staff user who is not a superuser tried what only a superuser may do. */
export class SuperuserRequiredError extends PermissionDeniedError {
  constructor(reason: string) {
    super(`only a superuser may ${reason}`);
  }
}

/**
 * Django's line between staff and superusers: staff manage ordinary users; only a
 * superuser may change or delete a superuser, grant or remove staff or superuser
 * status, or deactivate (or delete) a staff member — else one staff account could
 * lock every superuser out. Setting a flag to the value it has is no grant.
 * `target` is null for a user about to be created.
 * @throws SuperuserRequiredError
 */
export function checkStaffAction(
  actor: User,
  target: Privileges | null,
  action: StaffAction,
): void {
  if (actor.isSuperuser) return;
  const before: Privileges = target ?? { isStaff: false, isSuperuser: false };
  if (before.isSuperuser) throw new SuperuserRequiredError('change or delete a superuser');
  if (action.kind === 'delete') {
    if (before.isStaff) throw new SuperuserRequiredError('delete a staff member');
    return;
  }
  const grants = (flag: keyof Privileges) =>
    action[flag] !== undefined && action[flag] !== before[flag];
  if (grants('isStaff') || grants('isSuperuser')) {
    throw new SuperuserRequiredError('grant or remove staff or superuser status');
  }
  if (before.isStaff && action.isActive === false) {
    throw new SuperuserRequiredError('deactivate a staff member');
  }
}
