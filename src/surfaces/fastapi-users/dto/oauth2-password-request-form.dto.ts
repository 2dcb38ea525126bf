import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PydanticBody, PydanticStr } from '../../../dialects/fastapi/pydantic-fields';

/** A form field that is present: FastAPI reads an empty form field as absent. */
const given = (form: Readonly<Record<string, unknown>>, name: string) =>
  form[name] !== undefined && form[name] !== '';
/** The second step of a multi-factor login: `mfa_token` and `code` stand in for the credentials. */
const secondStep = (form: Readonly<Record<string, unknown>>) => given(form, 'mfa_token');
const firstStep = (form: Readonly<Record<string, unknown>>) => !secondStep(form);

/**
 * FastAPI's OAuth2PasswordRequestForm (seed 001's login), read as form fields in
 * its order: `grant_type` (optional, `password` when given), `username` (the
 * e-mail), `password`, `scope`, `client_id`, `client_secret`.
 */
@PydanticBody('form')
export class OAuth2PasswordRequestFormDto {
  @ApiPropertyOptional({
    type: String,
    description: 'The OAuth2 grant type; optional, and `password` when given.',
    pattern: '^password$',
    example: 'password',
    nullable: true,
  })
  @PydanticStr({ required: false, pattern: '^password$' })
  grant_type?: string;

  @ApiProperty({
    description: 'Your assigned login (provided out-of-band): your e-mail address.',
    example: 'user@example.com',
  })
  @PydanticStr({ requiredWhen: firstStep })
  username: string;

  @ApiProperty({
    description: 'Your assigned password (provided out-of-band).',
    example: 'your_secret_password',
    format: 'password',
  })
  // No length cap: on login an over-long password is simply wrong (UsersService.verifyCredentials).
  @PydanticStr({ requiredWhen: firstStep })
  password: string;

  @ApiPropertyOptional({ description: 'Space-separated scopes (ignored).', default: '' })
  @PydanticStr({ required: false })
  scope?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @PydanticStr({ required: false })
  client_id?: string;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'password' })
  @PydanticStr({ required: false })
  client_secret?: string;

  // The second step (documented apart: MfaSecondStepDto).
  @PydanticStr({ required: false, maxLength: 128 })
  mfa_token?: string;

  @PydanticStr({ requiredWhen: secondStep, maxLength: 64 })
  code?: string;
}

/** fastapi-users' BearerResponse. */
export class BearerResponseDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI...' })
  access_token: string;

  @ApiProperty({ example: 'bearer', enum: ['bearer'] })
  token_type: 'bearer';
}
