import { ApiProperty } from '@nestjs/swagger';
import {
  DrfCharField,
  DrfMfaCodeField,
  DrfMfaTokenField,
  UnlessSecondStep,
} from '../../../dialects/drf/drf-fields';

/** SimpleJWT's TokenObtainPairSerializer with USERNAME_FIELD = email (seed 004). */
export class TokenObtainDto {
  @ApiProperty({ description: 'User email.', example: 'johndoe@example.com' })
  @DrfCharField()
  @UnlessSecondStep()
  email: string;

  @ApiProperty({ description: 'Password in string.', example: 'example1234', format: 'password' })
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

export class TokenPairDto {
  @ApiProperty({ example: 'eyJ0eXAiOi.JKV1QiLCJhbGc.iOiJIUzI1N' })
  refresh: string;

  @ApiProperty({ example: 'eyJ0eXAiOi.JKV1QiLCJhbGc.iOiJIUzI1N' })
  access: string;
}
