import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtension,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorators';
import { DOC_TAGS } from '../docs/docs.setup';
import { DSTOQ_LOGIN_SAMPLES } from '../docs/dstoq-samples';
import { DjoserJwtCreateDto } from './dto/djoser-jwt-create.dto';
import { TokenPairDto } from './dto/token-obtain.dto';
import { TokenRefreshDto, TokenRefreshResultDto } from './dto/token-refresh.dto';
import { TokenVerifyDto } from './dto/token-verify.dto';
import { JwtAuthService } from './jwt-auth.service';
import { INVALID_TOKEN_BODY } from './token-error';

/** Seed 000 — DSTOQ's djoser JWT endpoints (SimpleJWT underneath). */
@ApiTags(DOC_TAGS.dstoq.name)
@Controller('accounts/auth/jwt')
@Public()
export class DjoserController {
  constructor(private readonly auth: JwtAuthService) {}

  @Post('create')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Obtain a JWT',
    description:
      'You can obtain a JWT token to use subsequent services that require authentication. ' +
      'Subsequent calls must then send an `Authorization` header using the given token: `Authorization: JWT TOKEN_GOES_HERE`.',
  })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiExtension('x-codeSamples', DSTOQ_LOGIN_SAMPLES)
  @ApiUnauthorizedResponse({
    schema: { example: { detail: 'No active account found with the given credentials' } },
  })
  @ApiBadRequestResponse({ schema: { example: { username: ['This field is required.'] } } })
  create(@Body() body: DjoserJwtCreateDto) {
    // The DTO guarantees one of the two.
    return this.auth.obtainPair(body.username ?? body.email ?? '', body.password, 'djoser');
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Refresh the access token' })
  @ApiOkResponse({ type: TokenRefreshResultDto })
  @ApiUnauthorizedResponse({ schema: { example: INVALID_TOKEN_BODY } })
  refresh(@Body() body: TokenRefreshDto) {
    return this.auth.refresh(body.refresh);
  }

  /** djoser (SimpleJWT 5) answers a valid token with `{}`. */
  @Post('verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Verify a token' })
  @ApiOkResponse({ schema: { type: 'object', example: {} } })
  @ApiUnauthorizedResponse({ schema: { example: INVALID_TOKEN_BODY } })
  async verify(@Body() body: TokenVerifyDto): Promise<Record<string, never>> {
    await this.auth.verify(body.token);
    return {};
  }
}
