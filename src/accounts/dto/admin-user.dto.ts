import { DrfBooleanField, DrfCharField, DrfEmailField } from '../../common/validation/drf-fields';

/** Staff create a user (seed 004's admin endpoints). */
export class AdminCreateUserDto {
  @DrfEmailField()
  email: string;

  @DrfCharField({ trimWhitespace: false, maxLength: 4096 })
  password: string;

  @DrfCharField({ required: false, maxLength: 150 })
  username?: string;

  @DrfCharField({ required: false, allowBlank: true, maxLength: 150 })
  first_name?: string;

  @DrfCharField({ required: false, allowBlank: true, maxLength: 150 })
  last_name?: string;

  @DrfBooleanField()
  is_staff?: boolean;
}

/** Staff change a user: activity, staff status, names. Other fields are read-only. */
export class AdminUpdateUserDto {
  @DrfBooleanField()
  is_active?: boolean;

  @DrfBooleanField()
  is_staff?: boolean;

  @DrfCharField({ required: false, allowBlank: true, maxLength: 150 })
  first_name?: string;

  @DrfCharField({ required: false, allowBlank: true, maxLength: 150 })
  last_name?: string;
}
