import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Dialect } from '../http/route-config';
import {
  DrfResponse,
  drfFieldsRequired,
  FastApiResponse,
  fieldsRequired,
  namedExamples,
} from '../docs/responses';
import { MfaCodeDto, MfaCodeModel, MfaDisableDto, MfaDisableModel } from './mfa.dto';
import { MfaRecoveryCodesDto, MfaStatusDto, MfaTotpSetupDto } from './mfa-views';

/**
 * The Swagger entries of `<me>/mfa/…`, one bundle for every surface: the same
 * operations, each in its dialect (DRF's field errors, fastapi-users' codes).
 */
const RECOVERY_CODES = [
  'k7dq-9wna-3xbe',
  'p2mr-hs4t-vc8f',
  'z5gu-e6jy-a3kw',
  'm8tc-2rvx-qh7p',
  'b4nf-w9sd-6eyk',
  'x3ha-j5mq-u8tr',
  'c6vw-k2pg-9zdn',
  'r7ey-f4bx-m3ua',
  'h2qs-8tkc-w5jv',
  'g9dp-n6ra-e4xf',
];

const invalidCode = (dialect: Dialect, extra: Record<string, object> = {}) =>
  dialect === 'fastapi'
    ? FastApiResponse(400, 'The code is wrong, malformed or already used', {
        'Invalid code': { detail: 'MFA_INVALID_CODE' },
        ...(extra as Record<string, { detail: unknown }>),
      })
    : DrfResponse(400, 'The code is wrong, malformed or already used', {
        'Invalid code': { code: ['Invalid code.'] },
        'Missing code': drfFieldsRequired('code'),
        ...extra,
      });

const missingCode = (dialect: Dialect) =>
  dialect === 'fastapi'
    ? [FastApiResponse(422, 'Validation Error', { 'Missing code': fieldsRequired('code') })]
    : [];

const body = (dialect: Dialect, drf: object, fastapi: object, examples: Record<string, unknown>) =>
  ApiBody({
    type: (dialect === 'fastapi' ? fastapi : drf) as new () => unknown,
    examples: namedExamples(examples),
  });
const CODE_BODY = { 'A TOTP code': { code: '123456' } };
const PROOF_BODY = {
  'A TOTP code': { code: '123456' },
  'A recovery code': { code: 'k7dq-9wna-3xbe' },
};
const SETUP_EXAMPLE = {
  secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  otpauth_url:
    'otpauth://totp/Gatehouse:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Gatehouse&algorithm=SHA1&digits=6&period=30',
  qr_svg:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 53 53" shape-rendering="crispEdges"><path fill="#ffffff" d="M0 0h53v53H0z"/><path stroke="#000000" d="M2 2.5h7m3 0h1…"/></svg>',
};

/** `GET <me>/mfa/`. */
export const MfaStatusDocs = () =>
  applyDecorators(
    ApiOperation({
      summary: 'My multi-factor login',
      description:
        'Whether your logins ask for a TOTP code after the password, and how many unused recovery codes ' +
        'you have left.',
    }),
    ApiOkResponse({
      description: 'Your MFA state',
      type: MfaStatusDto,
      examples: namedExamples({
        Off: { totp: false, recovery_codes_left: 0 },
        On: { totp: true, recovery_codes_left: 9 },
      }),
    }),
  );

/** `POST <me>/mfa/totp/`. */
export const MfaBeginTotpDocs = (dialect: Dialect) =>
  applyDecorators(
    ApiOperation({
      summary: 'Start TOTP enrolment',
      description:
        'A new secret for an authenticator app (RFC 6238: SHA-1, 6 digits, 30 s), as base32, as an ' +
        '`otpauth://` URL and as an SVG QR code. Nothing changes for your logins until a code from the app ' +
        'confirms it (`totp/confirm/`); calling this again replaces a pending secret.',
    }),
    ApiOkResponse({
      description: 'The pending secret',
      type: MfaTotpSetupDto,
      examples: namedExamples({ 'A new secret': SETUP_EXAMPLE }),
    }),
    dialect === 'fastapi'
      ? FastApiResponse(400, 'MFA is already on (turn it off first)', {
          'Already on': { detail: 'MFA_ALREADY_ENABLED' },
        })
      : DrfResponse(400, 'MFA is already on (turn it off first)', {
          'Already on': { non_field_errors: ['Multi-factor authentication is already enabled.'] },
        }),
  );

/** `POST <me>/mfa/totp/confirm/`. */
export const MfaConfirmTotpDocs = (dialect: Dialect) =>
  applyDecorators(
    ApiOperation({
      summary: 'Confirm TOTP enrolment',
      description:
        'A code from the app proves it holds the pending secret: MFA is on from now on, on every login ' +
        'endpoint, and a notification mail goes out. The answer holds ten single-use recovery codes, ' +
        'shown this once (only their digests are kept). Wrong codes are throttled.',
    }),
    body(dialect, MfaCodeDto, MfaCodeModel, CODE_BODY),
    ApiOkResponse({
      description: 'MFA is on: your recovery codes',
      type: MfaRecoveryCodesDto,
      examples: namedExamples({ 'Recovery codes': { recovery_codes: RECOVERY_CODES } }),
    }),
    invalidCode(
      dialect,
      dialect === 'fastapi'
        ? { 'Nothing pending': { detail: 'MFA_NOT_PENDING' } }
        : { 'Nothing pending': { non_field_errors: ['No TOTP enrolment is pending.'] } },
    ),
    ...missingCode(dialect),
  );

/** `DELETE <me>/mfa/totp/`. */
export const MfaDisableDocs = (dialect: Dialect) =>
  applyDecorators(
    ApiOperation({
      summary: 'Turn multi-factor login off',
      description:
        'Proven by your password or by a code (TOTP or recovery): the authenticator and the recovery ' +
        'codes are deleted, logins ask for the password only, and a notification mail goes out. Also ' +
        'cancels a pending enrolment.',
    }),
    body(dialect, MfaDisableDto, MfaDisableModel, {
      'The password': { password: 'S3cret-pass' },
      ...PROOF_BODY,
    }),
    ApiNoContentResponse({ description: 'MFA is off' }),
    ...(dialect === 'fastapi'
      ? [
          FastApiResponse(422, 'Validation Error: neither the password nor a code', {
            'Neither given': {
              detail: [
                {
                  type: 'required',
                  loc: ['body', 'non_field_errors'],
                  msg: 'Give your password or a code.',
                  input: null,
                },
              ],
            },
          }),
        ]
      : []),
    dialect === 'fastapi'
      ? FastApiResponse(400, 'The password or code is wrong, or MFA is off', {
          'Invalid code': { detail: 'MFA_INVALID_CODE' },
          'Invalid password': { detail: 'MFA_INVALID_PASSWORD' },
          'MFA is off': { detail: 'MFA_NOT_ENABLED' },
        })
      : DrfResponse(400, 'The password or code is wrong, or MFA is off', {
          'Invalid code': { code: ['Invalid code.'] },
          'Invalid password': { password: ['Invalid password.'] },
          'Neither given': { non_field_errors: ['Give your password or a code.'] },
          'MFA is off': { non_field_errors: ['Multi-factor authentication is not enabled.'] },
        }),
  );

/** `POST <me>/mfa/recovery-codes/`. */
export const MfaRegenerateDocs = (dialect: Dialect) =>
  applyDecorators(
    ApiOperation({
      summary: 'New recovery codes',
      description:
        'A code (TOTP or recovery) proves it is you: ten fresh recovery codes, shown this once; the old ' +
        'set stops working.',
    }),
    body(dialect, MfaCodeDto, MfaCodeModel, PROOF_BODY),
    ApiOkResponse({
      description: 'Your new recovery codes',
      type: MfaRecoveryCodesDto,
      examples: namedExamples({ 'Recovery codes': { recovery_codes: RECOVERY_CODES } }),
    }),
    invalidCode(
      dialect,
      dialect === 'fastapi'
        ? { 'MFA is off': { detail: 'MFA_NOT_ENABLED' } }
        : { 'MFA is off': { non_field_errors: ['Multi-factor authentication is not enabled.'] } },
    ),
    ...missingCode(dialect),
  );
