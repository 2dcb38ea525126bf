import { applyDecorators, type Type } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { namedExamples } from './responses';
import {
  MFA_REQUIRED_DRF,
  MFA_REQUIRED_FASTAPI,
  SECOND_FACTOR_REFUSED_DRF,
  SECOND_FACTOR_REFUSED_FASTAPI,
} from '../problems/login-challenge.errors';

/** An example `mfa_token` (random, URL-safe; only its SHA-256 is stored). */
const EXAMPLE_MFA_TOKEN = 'pV1tQ0yB2m9cX8sE5rK3wL7nH4jF6dA0';

/** What every login operation's description adds about the second step. */
export const MFA_LOGIN_DESCRIPTION =
  '\n\n**Multi-factor login.** For a user with MFA on, the right credentials answer a challenge ' +
  'instead: send its `mfa_token` (good for 5 minutes, once, on this endpoint only) back here with ' +
  '`code` — a TOTP code or a recovery code — in the body as the credentials came, for the normal answer; its tokens carry ' +
  '`amr: ["pwd", "otp"]`. After 5 wrong codes the `mfa_token` is dead: log in again.';

/** The second step's request body, as an example of each DRF login operation. */
export const MFA_SECOND_STEP_EXAMPLE = {
  'Multi-factor second step': { mfa_token: EXAMPLE_MFA_TOKEN, code: '123456' },
};

/** The body of a login's second step (every login endpoint; form fields on fastapi-users'). */
export class MfaSecondStepDto {
  @ApiProperty({
    description: 'The `mfa_token` of the challenge: 5 minutes, once, this endpoint only',
    example: EXAMPLE_MFA_TOKEN,
  })
  mfa_token: string;

  @ApiProperty({
    description: 'A TOTP code from the authenticator app, or one of the recovery codes',
    example: '123456',
  })
  code: string;
}

/**
 * A login operation's request body: the credentials (`type`) or the second step,
 * with the credentials' examples and the second step's.
 */
export const LoginBody = (type: Type, examples: Record<string, unknown>) =>
  applyDecorators(
    ApiExtraModels(type, MfaSecondStepDto),
    ApiBody({
      schema: {
        oneOf: [{ $ref: getSchemaPath(type) }, { $ref: getSchemaPath(MfaSecondStepDto) }],
      },
      examples: namedExamples({ ...examples, ...MFA_SECOND_STEP_EXAMPLE }),
    }),
  );

/** The DRF surfaces' 401 bodies of the challenge and its refusals. */
export const MFA_DRF_RESPONSES = {
  'Multi-factor challenge': { ...MFA_REQUIRED_DRF, mfa_token: EXAMPLE_MFA_TOKEN },
  'Wrong or replayed multi-factor code': SECOND_FACTOR_REFUSED_DRF.invalid_code,
  'Expired, used or foreign mfa_token': SECOND_FACTOR_REFUSED_DRF.token_invalid,
};

/** fastapi-users' 400 bodies of the same. */
export const MFA_FASTAPI_RESPONSES = {
  [MFA_REQUIRED_FASTAPI]: { detail: MFA_REQUIRED_FASTAPI, mfa_token: EXAMPLE_MFA_TOKEN },
  [SECOND_FACTOR_REFUSED_FASTAPI.invalid_code]: {
    detail: SECOND_FACTOR_REFUSED_FASTAPI.invalid_code,
  },
  [SECOND_FACTOR_REFUSED_FASTAPI.token_invalid]: {
    detail: SECOND_FACTOR_REFUSED_FASTAPI.token_invalid,
  },
};
