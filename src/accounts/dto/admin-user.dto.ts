import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { DrfBooleanField, DrfCharField, DrfEmailField } from '../../common/validation/drf-fields';

/** Staff create a user (seed 004's admin endpoints). */
export class AdminCreateUserDto {
  @ApiProperty({ example: 'johndoe@example.com' })
  @DrfEmailField()
  email: string;

  @ApiProperty({ example: 'example1234', format: 'password' })
  @DrfCharField({ trimWhitespace: false, maxLength: 4096 })
  password: string;

  @ApiPropertyOptional()
  @DrfCharField({ required: false, maxLength: 150 })
  username?: string;

  @ApiPropertyOptional()
  @DrfCharField({ required: false, allowBlank: true, maxLength: 150 })
  first_name?: string;

  @ApiPropertyOptional()
  @DrfCharField({ required: false, allowBlank: true, maxLength: 150 })
  last_name?: string;

  @ApiPropertyOptional()
  @DrfBooleanField()
  is_staff?: boolean;
}

/** Staff change a user: activity, staff status, names. Other fields are read-only. */
export class AdminUpdateUserDto extends PickType(AdminCreateUserDto, [
  'first_name',
  'last_name',
  'is_staff',
] as const) {
  @ApiPropertyOptional()
  @DrfBooleanField()
  is_active?: boolean;
}
