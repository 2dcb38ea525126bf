import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DrfCharField,
  DrfDefersFieldErrors,
  DrfEmailField,
  DrfFieldInfo,
  DrfRequiredWhen,
  type DrfSetting,
  DrfUsernameField,
} from '../../../dialects/drf/drf-fields';
import { MAX_PASSWORD_LENGTH } from '../../../accounts/password-limit';

const PASSWORD = 'AVerySecretPassword';
const EMAIL = 'emailaddressofuser@dstoq.com';

/** djoser's password CharFields: trimmed as DRF does, capped at Gatehouse's limit. */
const Password = (example = PASSWORD, required = true) => [
  ApiProperty({ format: 'password', example, required }),
  DrfCharField({ cap: MAX_PASSWORD_LENGTH, required }),
];
/** A retyped new password: required when `setting` (a *_RETYPE) is on. */
const Retyped = (setting: DrfSetting) => [
  ...Password('N3w-passw0rd!', false),
  DrfRequiredWhen(setting),
];
function apply(decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((d) => d(target, key));
}

/**
 * UserCreateSerializer (username, email, password; `re_password` with the retype
 * setting). The service adds the unique checks to the fields' errors.
 */
@DrfDefersFieldErrors()
export class DjoserUserCreateDto {
  @ApiProperty({ example: 'christian', maxLength: 150 })
  @DrfUsernameField()
  username: string;

  @ApiProperty({ format: 'email', example: EMAIL })
  @DrfEmailField({ required: true })
  email: string;

  @apply(Password())
  password: string;

  @apply([...Password(PASSWORD, false), DrfRequiredWhen((c) => c.djoser.userCreatePasswordRetype)])
  re_password?: string;
}

/** UserSerializer's writable field (the e-mail is read-only). */
export class DjoserUserUpdateDto {
  @ApiProperty({ example: 'christian', maxLength: 150 })
  @DrfUsernameField()
  username: string;
}

/** The same, every field optional (PATCH). */
export class DjoserUserPatchDto {
  @ApiPropertyOptional({ example: 'christian', maxLength: 150 })
  @DrfUsernameField({ required: false })
  username?: string;
}

/**
 * DSTOQ's `current_user` serializer for PUT and PATCH on users/me/: only
 * `country_code` is writable (the model's CharField(max_length=2, null=True,
 * blank=True), so never required); `email` and `kyc_status` are read-only.
 */
export class DjoserCurrentUserDto {
  @ApiPropertyOptional({ type: String, nullable: true, example: 'br', maxLength: 2 })
  @DrfCharField({ maxLength: 2, required: false, allowNull: true, allowBlank: true })
  country_code?: string | null;
}

/** UserDeleteSerializer. */
export class DjoserCurrentPasswordDto {
  @apply(Password())
  current_password: string;
}

/** ActivationSerializer (UidAndTokenSerializer). */
export class DjoserUidTokenDto {
  @ApiProperty({ example: 'MTk', description: 'The pk, URL-safe base64, from the mailed link' })
  @DrfCharField()
  uid: string;

  @ApiProperty({ example: 'cvs5z6-0c3cb4b5fd8b4a4d2d1a8a6e2a5b0f1e' })
  @DrfCharField()
  token: string;
}

/** SendEmailResetSerializer. */
export class DjoserEmailDto {
  @ApiProperty({ format: 'email', example: EMAIL })
  @DrfEmailField({ required: true })
  email: string;
}

/** SetPasswordSerializer (`re_new_password` with SET_PASSWORD_RETYPE); the service checks `current_password`. */
@DrfDefersFieldErrors()
export class DjoserSetPasswordDto {
  @apply(Password('N3w-passw0rd!'))
  new_password: string;

  @apply(Retyped((c) => c.djoser.setPasswordRetype))
  re_new_password?: string;

  @apply(Password())
  current_password: string;
}

/** PasswordResetConfirmSerializer (`re_new_password` with PASSWORD_RESET_CONFIRM_RETYPE). */
export class DjoserPasswordResetConfirmDto extends DjoserUidTokenDto {
  @apply(Password('N3w-passw0rd!'))
  new_password: string;

  @apply(Retyped((c) => c.djoser.passwordResetConfirmRetype))
  re_new_password?: string;
}

/**
 * SetUsernameSerializer for the e-mail (`re_new_email` with SET_USERNAME_RETYPE);
 * the service checks `current_password` and the unique `new_email`.
 */
@DrfDefersFieldErrors()
export class DjoserSetEmailDto {
  @apply(Password())
  current_password: string;

  @ApiProperty({ format: 'email', example: 'new@dstoq.com' })
  @DrfEmailField({ required: true })
  new_email: string;

  @ApiPropertyOptional({ format: 'email', example: 'new@dstoq.com' })
  @DrfCharField({ required: false })
  @DrfRequiredWhen((c) => c.djoser.setUsernameRetype)
  re_new_email?: string;
}

/**
 * UsernameResetConfirmSerializer: a ModelSerializer whose Meta.fields leave out
 * the inherited uid and token, so djoser reads them raw (a missing one is an
 * invalid uid or token, not a required field). The service checks the unique `new_email`.
 */
@DrfDefersFieldErrors()
export class DjoserEmailResetConfirmDto {
  @ApiProperty({ example: 'MTk' })
  @DrfCharField({ required: false, allowBlank: true })
  uid?: string;

  @ApiProperty({ example: 'cvs5z6-0c3cb4b5fd8b4a4d2d1a8a6e2a5b0f1e' })
  @DrfCharField({ required: false, allowBlank: true })
  token?: string;

  @ApiProperty({ format: 'email', example: 'new@dstoq.com' })
  @DrfEmailField({ required: true })
  new_email: string;

  @ApiPropertyOptional({ format: 'email', example: 'new@dstoq.com' })
  @DrfCharField({ required: false })
  @DrfRequiredWhen((c) => c.djoser.usernameResetConfirmRetype)
  re_new_email?: string;
}

/**
 * UserSerializer / UserCreateSerializer output; also what OPTIONS describes on
 * every users/ path (the viewset's serializer_class, DSTOQ's model's labels).
 */
export class DjoserUserDto {
  @ApiProperty({ example: 'christian' })
  @DrfFieldInfo({
    type: 'string',
    required: true,
    label: 'Username',
    helpText: 'Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.',
    maxLength: 150,
  })
  username: string;

  @ApiProperty({ example: 19232 })
  @DrfFieldInfo({ type: 'integer', required: false, readOnly: true, label: 'ID' })
  id: number;

  @ApiProperty({ format: 'email', example: EMAIL })
  @DrfFieldInfo({ type: 'email', required: false, readOnly: true, label: 'Email address' })
  email: string;
}
