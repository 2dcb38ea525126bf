import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiExtension, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../access/access.decorators';
import { loginStep } from '../../accounts/login.service';
import { DOC_TAGS } from '../../docs/docs.setup';
import { MFA_DRF_RESPONSES, MFA_LOGIN_DESCRIPTION, LoginBody } from '../../docs/mfa-login.docs';
import { DSTOQ_LOGIN_SAMPLES } from './dstoq-samples';
import { DrfResponse, drfFieldsRequired, namedExamples } from '../../docs/responses';
import { DjoserJwtCreateDto } from './dto/djoser-jwt-create.dto';
import { TokenPairDto } from '../simplejwt/dto/token-obtain.dto';
import { TokenRefreshDto, TokenRefreshResultDto } from '../simplejwt/dto/token-refresh.dto';
import { TokenVerifyDto } from '../simplejwt/dto/token-verify.dto';
import { JwtAuthService } from '../../jwt-auth/jwt-auth.service';
import { INVALID_TOKEN_BODY, NO_ACTIVE_ACCOUNT_BODY } from '../../jwt-auth/token-error';
import { SurfaceDialect } from '../../dialects/dialect.decorators';
import { simpleJwtErrors } from '../simplejwt/simplejwt.errors';
import { Throttled } from '../../throttling/throttle-scopes';
import { DrfOptions } from '../../dialects/drf/drf-metadata';
import {
  TokenObtainPairView,
  TokenRefreshView,
  TokenVerifyView,
} from '../simplejwt/simplejwt.views';

const EXAMPLE_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9…';
const INVALID_TOKEN = { 'Invalid token': INVALID_TOKEN_BODY };

/** Seed 000 — DSTOQ's djoser JWT endpoints (SimpleJWT underneath). */
@DrfOptions()
@ApiTags(DOC_TAGS.dstoq.name)
@SurfaceDialect('drf', simpleJwtErrors)
@Controller()
// SimpleJWT's TokenViewBase: authentication_classes = ().
@Public({ authenticates: false })
export class DjoserController {
  constructor(private readonly auth: JwtAuthService) {}

  @TokenObtainPairView()
  @Throttled('login', { account: ['username', 'email'] })
  @Post('accounts/auth/jwt/create/')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Obtain a JWT token',
    description:
      'You can obtain a JWT token to use subsequent services that require authentication.\n\n' +
      '**JSON Body**: `email` — the email of the user; `password` — the password of the user. ' +
      "The document's samples send the e-mail as `username`; either field is accepted.\n\n" +
      'The endpoint returns, among other information, a token that can be used to authenticate against the API. ' +
      'Subsequent calls must then send an `Authorization` header using the given token:\n\n' +
      '`Authorization: JWT TOKEN_GOES_HERE`' +
      MFA_LOGIN_DESCRIPTION,
  })
  @LoginBody(DjoserJwtCreateDto, {
    'The samples (username)': {
      username: 'emailaddressofuser@dstoq.com',
      password: 'AVerySecretPassword',
    },
    'The JSON Body table (email)': {
      email: 'emailaddressofuser@dstoq.com',
      password: 'AVerySecretPassword',
    },
  })
  @ApiExtension('x-codeSamples', DSTOQ_LOGIN_SAMPLES)
  @ApiOkResponse({
    description: 'A refresh and an access token',
    type: TokenPairDto,
    examples: namedExamples({
      output: { refresh: '... some refresh token ...', access: '... some access token ...' },
    }),
  })
  @DrfResponse(400, 'Neither username nor email, or no password', {
    'Missing fields': drfFieldsRequired('username', 'password'),
  })
  @DrfResponse(
    401,
    'Wrong password, or an unknown, inactive or blocked user; the multi-factor challenge and its refusals',
    { 'No active account': NO_ACTIVE_ACCOUNT_BODY, ...MFA_DRF_RESPONSES },
  )
  create(@Body() body: DjoserJwtCreateDto) {
    // The DTO guarantees one of the two.
    const identifier = body.username ?? body.email ?? '';
    return this.auth.obtain(loginStep(body, identifier, body.password), 'djoser');
  }

  @TokenRefreshView()
  @Throttled('login', { token: ['refresh'] })
  @Post('accounts/auth/jwt/refresh/')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Refresh the access token',
    description:
      "djoser's `jwt/refresh` (the DSTOQ API documents token creation only): a new access token " +
      'from a refresh token; a new refresh token too when `ROTATE_REFRESH_TOKENS` is on.',
  })
  @ApiBody({
    type: TokenRefreshDto,
    examples: namedExamples({ 'A refresh token': { refresh: EXAMPLE_TOKEN } }),
  })
  @ApiOkResponse({
    description: 'A new access token',
    type: TokenRefreshResultDto,
    examples: namedExamples({ 'Access token': { access: EXAMPLE_TOKEN } }),
  })
  @DrfResponse(400, 'The refresh token is missing', {
    'Missing field': drfFieldsRequired('refresh'),
  })
  @DrfResponse(401, 'The refresh token is invalid, expired or blacklisted', INVALID_TOKEN)
  refresh(@Body() body: TokenRefreshDto) {
    return this.auth.refresh(body.refresh, 'djoser');
  }

  /** djoser (SimpleJWT 5) answers a valid token with `{}`. */
  @TokenVerifyView()
  @Post('accounts/auth/jwt/verify/')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Verify a token',
    description:
      "djoser's `jwt/verify` (beyond the DSTOQ API's own list): an empty object when the token is valid.",
  })
  @ApiBody({
    type: TokenVerifyDto,
    examples: namedExamples({ 'A token': { token: EXAMPLE_TOKEN } }),
  })
  @ApiOkResponse({
    description: 'The token is valid',
    schema: { type: 'object', additionalProperties: false },
    examples: namedExamples({ 'Valid token': {} }),
  })
  @DrfResponse(400, 'The token is missing', { 'Missing field': drfFieldsRequired('token') })
  @DrfResponse(401, 'The token is invalid or expired', INVALID_TOKEN)
  async verify(@Body() body: TokenVerifyDto): Promise<Record<string, never>> {
    await this.auth.verify(body.token);
    return {};
  }
}
