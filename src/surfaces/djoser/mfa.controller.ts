import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../access/access.decorators';
import { CurrentUser } from '../../access/current-user.decorator';
import type { User } from '../../accounts/user.entity';
import { SurfaceDialect } from '../../dialects/dialect.decorators';
import { DrfOptions } from '../../dialects/drf/drf-metadata';
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

/** djoser's `users/me/` grows the caller's multi-factor enrolment (a Gatehouse addition, in DRF's dialect). */
@DrfOptions()
@ApiTags(DOC_TAGS.dstoq.name)
@SurfaceDialect('drf')
@Controller()
@Authenticated()
@Throttled('mfa', { user: true })
export class DjoserMfaController {
  constructor(private readonly mfa: MfaViewsService) {}

  @Get('accounts/auth/users/me/mfa/')
  @MfaStatusDocs()
  status(@CurrentUser() user: User) {
    return this.mfa.status(user);
  }

  @Post('accounts/auth/users/me/mfa/totp/')
  @HttpCode(200)
  @MfaBeginTotpDocs('drf')
  begin(@CurrentUser() user: User) {
    return this.mfa.begin(user);
  }

  @Post('accounts/auth/users/me/mfa/totp/confirm/')
  @HttpCode(200)
  @MfaConfirmTotpDocs('drf')
  confirm(@CurrentUser() user: User, @Body() body: MfaCodeDto) {
    return this.mfa.confirm(user, body.code, 'djoser');
  }

  @Delete('accounts/auth/users/me/mfa/totp/')
  @HttpCode(204)
  @MfaDisableDocs('drf')
  async disable(@CurrentUser() user: User, @Body() body: MfaDisableDto): Promise<void> {
    await this.mfa.disable(user, body, 'djoser');
  }

  @Post('accounts/auth/users/me/mfa/recovery-codes/')
  @HttpCode(200)
  @MfaRegenerateDocs('drf')
  regenerate(@CurrentUser() user: User, @Body() body: MfaCodeDto) {
    return this.mfa.regenerate(user, body.code, 'djoser');
  }
}
