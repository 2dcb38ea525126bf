import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DrfCharField, DrfUsernameField } from '../../../dialects/drf/drf-fields';

/** Django's username: letters, digits and @/./+/-/_, 150 at most. */
const UsernameField = (required: boolean) => DrfUsernameField({ required });
const NameField = () => DrfCharField({ required: false, allowBlank: true, maxLength: 150 });

/** dj-rest-auth's UserDetailsSerializer for PUT: `pk` and `email` are read-only. */
export class UserDetailsPutDto {
  @ApiProperty({ example: 'testu1' })
  @UsernameField(true)
  username: string;

  @ApiPropertyOptional({ example: 'Test' })
  @NameField()
  first_name?: string;

  @ApiPropertyOptional({ example: 'User' })
  @NameField()
  last_name?: string;
}

/** The same for PATCH: every field optional. */
export class UserDetailsPatchDto {
  @ApiPropertyOptional({ example: 'testu1' })
  @UsernameField(false)
  username?: string;

  @ApiPropertyOptional({ example: 'Test' })
  @NameField()
  first_name?: string;

  @ApiPropertyOptional({ example: 'User' })
  @NameField()
  last_name?: string;
}

/** dj-rest-auth's UserDetailsSerializer, as it answers (seed 003's "Returns"). */
export class UserDetailsDto {
  @ApiProperty({ example: 1, readOnly: true })
  pk: number;

  @ApiProperty({ example: 'testu1' })
  username: string;

  @ApiProperty({ format: 'email', example: 'testu1@example.com', readOnly: true })
  email: string;

  @ApiProperty({ example: 'Test' })
  first_name: string;

  @ApiProperty({ example: 'User' })
  last_name: string;
}
