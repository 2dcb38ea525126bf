import { ApiProperty } from '@nestjs/swagger';
import { DrfCharField, DrfEmailField } from '../../../dialects/drf/drf-fields';
import { PasswordField } from './password-field';

/** dj-rest-auth's PasswordResetSerializer. */
export class PasswordResetDto {
  @ApiProperty({ example: 'testu1@example.com' })
  @DrfEmailField({ required: true })
  email: string;
}

/**
 * dj-rest-auth's PasswordResetConfirmSerializer, in its field order (errors follow
 * it): uid and token come from the mailed link.
 */
export class PasswordResetConfirmDto {
  @PasswordField('N3w-passw0rd!')
  new_password1: string;

  @PasswordField('N3w-passw0rd!')
  new_password2: string;

  @ApiProperty({ example: 'b', description: "The user's pk in base36, from the mailed link" })
  @DrfCharField()
  uid: string;

  @ApiProperty({
    example: 'cvs5z6-0c3cb4b5fd8b4a4d2d1a8a6e2a5b0f1e',
    description: 'From the mailed link',
  })
  @DrfCharField()
  token: string;
}
