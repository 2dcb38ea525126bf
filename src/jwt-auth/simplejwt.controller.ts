import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Public } from '../common/auth/access.decorators';
import { TokenObtainDto } from './dto/token-obtain.dto';
import { TokenRefreshDto } from './dto/token-refresh.dto';
import { TokenVerifyDto } from './dto/token-verify.dto';
import { JwtAuthService } from './jwt-auth.service';

/** Seed 004 — "Tokens and login endpoints": SimpleJWT's own views. */
@Controller('api/token')
@Public()
export class SimpleJwtController {
  constructor(private readonly auth: JwtAuthService) {}

  /** Get access and refresh tokens (log in). */
  @Post()
  @HttpCode(200)
  obtain(@Body() body: TokenObtainDto) {
    return this.auth.obtainPair(body.email, body.password);
  }

  /** Get an access token from a refresh token (and a new refresh token when rotating). */
  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() body: TokenRefreshDto) {
    return this.auth.refresh(body.refresh);
  }

  /** Validate a token: 200 `[]` as the seed shows. */
  @Post('verify')
  @HttpCode(200)
  async verify(@Body() body: TokenVerifyDto): Promise<[]> {
    await this.auth.verify(body.token);
    return [];
  }
}
