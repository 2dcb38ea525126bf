import { PasswordField } from './password-field';

/** dj-rest-auth's PasswordChangeSerializer (OLD_PASSWORD_FIELD_ENABLED). */
export class PasswordChangeDto {
  @PasswordField('SecurePassword123!')
  old_password: string;

  @PasswordField('N3w-passw0rd!')
  new_password1: string;

  @PasswordField('N3w-passw0rd!')
  new_password2: string;
}
