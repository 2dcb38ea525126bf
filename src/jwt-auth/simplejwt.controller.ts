import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorators';
import { DOC_TAGS } from '../docs/docs.setup';
import { TokenObtainDto, TokenPairDto } from './dto/token-obtain.dto';
import { TokenRefreshDto, TokenRefreshResultDto } from './dto/token-refresh.dto';
import { TokenVerifyDto } from './dto/token-verify.dto';
import { JwtAuthService } from './jwt-auth.service';
import { INVALID_TOKEN_BODY } from './token-error';

/** Seed 004 — "Tokens and login endpoints": SimpleJWT's own views. */
@ApiTags(DOC_TAGS.tokens.name)
@Controller('api/token')
@Public()
export class SimpleJwtController {
  constructor(private readonly auth: JwtAuthService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Get Access and refresh tokens (log in)',
    description:
      'This endpoint should only be used for login in. For redirections and reloads use the refresh endpoint. `#` No authentication required.',
  })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({
    schema: { example: { detail: 'No active account found with the given credentials' } },
  })
  @ApiBadRequestResponse({ schema: { example: { email: ['This field is required.'] } } })
  obtain(@Body() body: TokenObtainDto) {
    return this.auth.obtainPair(body.email, body.password);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Get Access tokens from refresh token.' })
  @ApiOkResponse({ type: TokenRefreshResultDto })
  @ApiUnauthorizedResponse({ schema: { example: INVALID_TOKEN_BODY } })
  refresh(@Body() body: TokenRefreshDto) {
    return this.auth.refresh(body.refresh);
  }

  @Post('verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Validate tokens expiration.' })
  @ApiOkResponse({ schema: { type: 'array', items: {}, example: [] } })
  @ApiUnauthorizedResponse({ schema: { example: INVALID_TOKEN_BODY } })
  async verify(@Body() body: TokenVerifyDto): Promise<[]> {
    await this.auth.verify(body.token);
    return [];
  }
}
