import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DrfCharField } from '../../common/validation/drf-fields';

/** dj-rest-auth's LoginSerializer: `email` (seed 002) or `username` (seed 003), and `password`. */
export class RestAuthLoginDto {
  @ApiPropertyOptional({ example: 'testu1' })
  @DrfCharField({ required: false, allowBlank: true })
  username?: string;

  @ApiPropertyOptional({ example: 'testu1@example.com' })
  @DrfCharField({ required: false, allowBlank: true })
  email?: string;

  @ApiProperty({ example: 'SecurePassword123!', format: 'password' })
  @DrfCharField({ trimWhitespace: false })
  password: string;
}
