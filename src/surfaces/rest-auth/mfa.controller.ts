import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../access/access.decorators';
import { CurrentUser } from '../../access/current-user.decorator';
import type { User } from '../../accounts/user.entity';
import { DOC_TAGS } from '../../docs/docs.setup';
import {
  MfaBeginTotpDocs,
  MfaConfirmTotpDocs,
  MfaDisableDocs,
  MfaRegenerateDocs,
  MfaStatusDocs,
} from '../../mfa/mfa.docs';
import { MfaCodeDto, MfaDisableDto } from '../../mfa/mfa.dto';
import { MfaViewsService } from '../../mfa/mfa-views';
import { Throttled } from '../../throttling/throttle-scopes';
import { RestAuthSurface } from './rest-auth.errors';

/**
 * dj-rest-auth's user details grow the caller's multi-factor enrolment, under both
 * seeds' paths: `/auth/user/` (JWT flavour, seed 003) and `/authentication/user/` (Token, seed 002).
 */
@RestAuthSurface()
@Controller()
@Authenticated()
@Throttled('mfa', { user: true })
export class RestAuthMfaController {
  constructor(private readonly mfa: MfaViewsService) {}

  @Get('auth/user/mfa/')
  @ApiTags(DOC_TAGS.dcorpo.name)
  @MfaStatusDocs()
  status(@CurrentUser() user: User) {
    return this.mfa.status(user);
  }

  @Post('auth/user/mfa/totp/')
  @HttpCode(200)
  @ApiTags(DOC_TAGS.dcorpo.name)
  @MfaBeginTotpDocs('drf')
  begin(@CurrentUser() user: User) {
    return this.mfa.begin(user);
  }

  @Post('auth/user/mfa/totp/confirm/')
  @HttpCode(200)
  @ApiTags(DOC_TAGS.dcorpo.name)
  @MfaConfirmTotpDocs('drf')
  confirm(@CurrentUser() user: User, @Body() body: MfaCodeDto) {
    return this.mfa.confirm(user, body.code, 'rest-auth');
  }

  @Delete('auth/user/mfa/totp/')
  @HttpCode(204)
  @ApiTags(DOC_TAGS.dcorpo.name)
  @MfaDisableDocs('drf')
  async disable(@CurrentUser() user: User, @Body() body: MfaDisableDto): Promise<void> {
    await this.mfa.disable(user, body, 'rest-auth');
  }

  @Post('auth/user/mfa/recovery-codes/')
  @HttpCode(200)
  @ApiTags(DOC_TAGS.dcorpo.name)
  @MfaRegenerateDocs('drf')
  regenerate(@CurrentUser() user: User, @Body() body: MfaCodeDto) {
    return this.mfa.regenerate(user, body.code, 'rest-auth');
  }

  @Get('authentication/user/mfa/')
  @ApiTags(DOC_TAGS.wrapper.name)
  @MfaStatusDocs()
  statusForKey(@CurrentUser() user: User) {
    return this.mfa.status(user);
  }

  @Post('authentication/user/mfa/totp/')
  @HttpCode(200)
  @ApiTags(DOC_TAGS.wrapper.name)
  @MfaBeginTotpDocs('drf')
  beginForKey(@CurrentUser() user: User) {
    return this.mfa.begin(user);
  }

  @Post('authentication/user/mfa/totp/confirm/')
  @HttpCode(200)
  @ApiTags(DOC_TAGS.wrapper.name)
  @MfaConfirmTotpDocs('drf')
  confirmForKey(@CurrentUser() user: User, @Body() body: MfaCodeDto) {
    return this.mfa.confirm(user, body.code, 'rest-auth');
  }

  @Delete('authentication/user/mfa/totp/')
  @HttpCode(204)
  @ApiTags(DOC_TAGS.wrapper.name)
  @MfaDisableDocs('drf')
  async disableForKey(@CurrentUser() user: User, @Body() body: MfaDisableDto): Promise<void> {
    await this.mfa.disable(user, body, 'rest-auth');
  }

  @Post('authentication/user/mfa/recovery-codes/')
  @HttpCode(200)
  @ApiTags(DOC_TAGS.wrapper.name)
  @MfaRegenerateDocs('drf')
  regenerateForKey(@CurrentUser() user: User, @Body() body: MfaCodeDto) {
    return this.mfa.regenerate(user, body.code, 'rest-auth');
  }
}
