import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  charValue,
  DrfCharField,
  DrfField,
  drfCharFieldError,
  DrfMfaCodeField,
  DrfMfaTokenField,
  UnlessSecondStep,
} from '../../../dialects/drf/drf-fields';

/**
 * djoser's `jwt/create`: seed 000's samples send `username` (holding the e-mail),
 * its table says `email`; either is accepted.
 */
export class DjoserJwtCreateDto {
  @ApiPropertyOptional({
    description: 'The email of the user.',
    example: 'emailaddressofuser@dstoq.com',
  })
  // Required unless `email` carries the identifier instead.
  @DrfField(
    (value, body) =>
      drfCharFieldError(value, { required: (body as { email?: unknown })?.email === undefined }),
    charValue(true),
    { type: 'string', required: false },
  )
  @UnlessSecondStep()
  username?: string;

  @ApiPropertyOptional({
    description: 'The email of the user (in place of username).',
    example: 'emailaddressofuser@dstoq.com',
  })
  @DrfCharField({ required: false })
  email?: string;

  @ApiProperty({
    description: 'The password of the user.',
    example: 'AVerySecretPassword',
    format: 'password',
  })
  // No length cap: on login an over-long password is simply wrong (UsersService.verifyCredentials).
  @DrfCharField({ trimWhitespace: false })
  @UnlessSecondStep()
  password: string;

  // The second step (documented apart: MfaSecondStepDto).
  @DrfMfaTokenField()
  mfa_token?: string;

  @DrfMfaCodeField()
  code?: string;
}
