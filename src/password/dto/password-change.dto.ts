import { ApiProperty } from '@nestjs/swagger';
import { DrfCharField } from '../../common/validation/drf-fields';

const password = () => DrfCharField({ trimWhitespace: false, maxLength: 128 });

/** dj-rest-auth's PasswordChangeSerializer (OLD_PASSWORD_FIELD_ENABLED). */
export class PasswordChangeDto {
  @ApiProperty({ format: 'password', example: 'SecurePassword123!' })
  @password()
  old_password: string;

  @ApiProperty({ format: 'password', example: 'N3w-passw0rd!' })
  @password()
  new_password1: string;

  @ApiProperty({ format: 'password', example: 'N3w-passw0rd!' })
  @password()
  new_password2: string;
}
