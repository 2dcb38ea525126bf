import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DrfCharField,
  DrfEmailField,
  DrfMfaCodeField,
  DrfMfaTokenField,
  UnlessSecondStep,
} from '../../../dialects/drf/drf-fields';
import { UserDetailsDto } from './user-details.dto';

/** dj-rest-auth's LoginSerializer: `email` (seed 002) or `username` (seed 003), and `password`. */
export class RestAuthLoginDto {
  @ApiPropertyOptional({ example: 'testu1' })
  @DrfCharField({ required: false, allowBlank: true })
  username?: string;

  @ApiPropertyOptional({ format: 'email', example: 'testu1@example.com' })
  @DrfEmailField({ required: false, allowBlank: true })
  email?: string;

  @ApiProperty({ example: 'SecurePassword123!', format: 'password' })
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

/**
 * What dj-rest-auth's login and registration answer: seed 002's `key`, seed 003's
 * `access_token`, `refresh_token` and `user`, or all four (REST_AUTH_TOKEN).
 */
export class RestAuthTokensDto {
  @ApiPropertyOptional({
    description: 'The Token key (40 characters), valid until revoked: `Authorization: Token <key>`',
    example: 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0',
  })
  key?: string;

  @ApiPropertyOptional({ description: 'A JWT access token', example: 'eyJhbGciOiJIUzI1NiIs…' })
  access_token?: string;

  @ApiPropertyOptional({ description: 'A JWT refresh token', example: 'eyJhbGciOiJIUzI1NiIs…' })
  refresh_token?: string;

  @ApiPropertyOptional({ type: () => UserDetailsDto })
  user?: UserDetailsDto;
}
