import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  DrfBooleanField,
  DrfCharField,
  DrfEmailField,
  DrfTextField,
} from '../../../dialects/drf/drf-fields';
import { MAX_PASSWORD_LENGTH } from '../../../accounts/password-limit';

const password = () =>
  DrfCharField({ required: false, trimWhitespace: false, cap: MAX_PASSWORD_LENGTH });

/**
 * dj-rest-auth's RegisterSerializer as the two seeds send it: seed 003's
 * `{username, email, password1, password2}` and seed 002's whole sample
 * (`full_name`, `subscribe`, `password`/`confirm_password` when `password1/2` are absent).
 */
export class RegisterDto {
  @ApiPropertyOptional({ example: 'testu1' })
  @DrfTextField(
    { required: false, maxLength: 150 },
    (v) => /^[\p{L}\p{N}@.+_-]+$/u.test(v),
    'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
  )
  username?: string;

  @ApiPropertyOptional({ example: 'testu1@example.com' })
  @DrfEmailField({ required: true })
  email: string;

  @ApiPropertyOptional({ example: 'test@1291', format: 'password' })
  @password()
  password1?: string;

  @ApiPropertyOptional({ example: 'test@1291', format: 'password' })
  @password()
  password2?: string;

  @ApiPropertyOptional({ description: 'Used when password1 is absent.', format: 'password' })
  @password()
  password?: string;

  @ApiPropertyOptional({ description: 'Used when password2 is absent.', format: 'password' })
  @password()
  confirm_password?: string;

  @ApiPropertyOptional({ example: 'testU1', description: 'Split into first and last name.' })
  @DrfCharField({ required: false, allowBlank: true, maxLength: 301 })
  full_name?: string;

  @ApiPropertyOptional({ example: true })
  @DrfBooleanField()
  subscribe?: boolean;
}
