import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../access/access.decorators';
import { loginStep } from '../../accounts/login.service';
import { DOC_TAGS } from '../../docs/docs.setup';
import { MFA_DRF_RESPONSES, MFA_LOGIN_DESCRIPTION, LoginBody } from '../../docs/mfa-login.docs';
import { DrfResponse, drfFieldsRequired, namedExamples } from '../../docs/responses';
import { TokenObtainDto, TokenPairDto } from './dto/token-obtain.dto';
import { TokenRefreshDto, TokenRefreshResultDto } from './dto/token-refresh.dto';
import { TokenVerifyDto } from './dto/token-verify.dto';
import { JwtAuthService } from '../../jwt-auth/jwt-auth.service';
import {
  INVALID_TOKEN_BODY,
  NO_ACTIVE_ACCOUNT_BODY,
  SEED_004_TOKEN,
} from '../../jwt-auth/token-error';
import { SurfaceDialect } from '../../dialects/dialect.decorators';
import { simpleJwtErrors } from './simplejwt.errors';
import { Throttled } from '../../throttling/throttle-scopes';
import { DrfOptions } from '../../dialects/drf/drf-metadata';
import { TokenObtainPairView, TokenRefreshView, TokenVerifyView } from './simplejwt.views';

/** Seed 004 — "Tokens and login endpoints": SimpleJWT's own views. */
@DrfOptions()
@ApiTags(DOC_TAGS.tokens.name)
@SurfaceDialect('drf', simpleJwtErrors)
@Controller()
// SimpleJWT's TokenViewBase: authentication_classes = ().
@Public({ authenticates: false })
export class SimpleJwtController {
  constructor(private readonly auth: JwtAuthService) {}

  @TokenObtainPairView()
  @Throttled('login', { account: ['email'] })
  @Post('api/token/')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Get Access and refresh tokens (log in)',
    description:
      '*This endpoint should only be used for login in. For redirections and reloads use the refresh endpoint.*\n\n' +
      '`#` No authentication required.' +
      MFA_LOGIN_DESCRIPTION,
  })
  @LoginBody(TokenObtainDto, {
    'Request example': { email: 'johndoe@example.com', password: 'example1234' },
  })
  @ApiOkResponse({
    description: 'Status = 200 OK',
    type: TokenPairDto,
    examples: namedExamples({
      'Response example': { refresh: SEED_004_TOKEN, access: SEED_004_TOKEN },
    }),
  })
  @DrfResponse(400, 'A field is missing or blank', {
    'Missing fields': drfFieldsRequired('email', 'password'),
  })
  @DrfResponse(
    401,
    'Wrong password, or an unknown, inactive or blocked user; the multi-factor challenge and its refusals',
    { 'No active account': NO_ACTIVE_ACCOUNT_BODY, ...MFA_DRF_RESPONSES },
  )
  obtain(@Body() body: TokenObtainDto) {
    return this.auth.obtain(loginStep(body, body.email, body.password), 'simplejwt');
  }

  @TokenRefreshView()
  @Throttled('login', { token: ['refresh'] })
  @Post('api/token/refresh/')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Get Access tokens from refresh token.',
    description:
      'With `ROTATE_REFRESH_TOKENS` on, the answer also carries a new `refresh` token. `#` No authentication required.',
  })
  @ApiBody({
    type: TokenRefreshDto,
    examples: namedExamples({ 'Request example': { refresh: SEED_004_TOKEN } }),
  })
  @ApiOkResponse({
    description: 'Status = 200 OK',
    type: TokenRefreshResultDto,
    examples: namedExamples({ 'Response example': { access: SEED_004_TOKEN } }),
  })
  @DrfResponse(400, 'The refresh token is missing', {
    'Missing field': drfFieldsRequired('refresh'),
  })
  @DrfResponse(401, 'The refresh token is invalid, expired or blacklisted', {
    'Invalid token': INVALID_TOKEN_BODY,
    'Blacklisted token': { detail: 'Token is blacklisted', code: 'token_not_valid' },
  })
  refresh(@Body() body: TokenRefreshDto) {
    return this.auth.refresh(body.refresh, 'simplejwt');
  }

  @TokenVerifyView()
  @Post('api/token/verify/')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Validate tokens expiration.',
    description:
      'Answers an empty list, as the document shows, when the token (access or refresh) is valid. ' +
      '`#` No authentication required.',
  })
  @ApiBody({
    type: TokenVerifyDto,
    examples: namedExamples({ 'Request example': { token: SEED_004_TOKEN } }),
  })
  @ApiOkResponse({
    description: 'Status = 200 OK',
    schema: { type: 'array', items: {}, maxItems: 0 },
    examples: namedExamples({ 'Response example': [] }),
  })
  @DrfResponse(400, 'The token is missing', { 'Missing field': drfFieldsRequired('token') })
  @DrfResponse(401, 'Status = 401 Unauthorized', { 'Response example': INVALID_TOKEN_BODY })
  async verify(@Body() body: TokenVerifyDto): Promise<[]> {
    await this.auth.verify(body.token);
    return [];
  }
}
