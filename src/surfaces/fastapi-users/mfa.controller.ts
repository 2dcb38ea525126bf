import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../access/access.decorators';
import { CurrentUser } from '../../access/current-user.decorator';
import type { User } from '../../accounts/user.entity';
import { SurfaceDialect } from '../../dialects/dialect.decorators';
import { FastApiBody } from '../../dialects/fastapi/fastapi-body';
import { DOC_TAGS } from '../../docs/docs.setup';
import {
  MfaBeginTotpDocs,
  MfaConfirmTotpDocs,
  MfaDisableDocs,
  MfaRegenerateDocs,
  MfaStatusDocs,
} from '../../mfa/mfa.docs';
import { MfaCodeModel, MfaDisableModel } from '../../mfa/mfa.dto';
import { MfaViewsService } from '../../mfa/mfa-views';
import { Throttled } from '../../throttling/throttle-scopes';

/** The users router's `/users/me` grows the caller's multi-factor enrolment (FastAPI's dialect, no trailing slash). */
@ApiTags(DOC_TAGS.kyc.name)
@Controller()
@SurfaceDialect('fastapi')
@Authenticated()
@Throttled('mfa', { user: true })
export class FastapiUsersMfaController {
  constructor(private readonly mfa: MfaViewsService) {}

  @Get('users/me/mfa')
  @MfaStatusDocs()
  status(@CurrentUser() user: User) {
    return this.mfa.status(user);
  }

  @Post('users/me/mfa/totp')
  @HttpCode(200)
  @MfaBeginTotpDocs('fastapi')
  begin(@CurrentUser() user: User) {
    return this.mfa.begin(user);
  }

  @Post('users/me/mfa/totp/confirm')
  @HttpCode(200)
  @MfaConfirmTotpDocs('fastapi')
  confirm(@CurrentUser() user: User, @FastApiBody() body: MfaCodeModel) {
    return this.mfa.confirm(user, body.code, 'fastapi-users');
  }

  @Delete('users/me/mfa/totp')
  @HttpCode(204)
  @MfaDisableDocs('fastapi')
  async disable(@CurrentUser() user: User, @FastApiBody() body: MfaDisableModel): Promise<void> {
    await this.mfa.disable(user, body, 'fastapi-users');
  }

  @Post('users/me/mfa/recovery-codes')
  @HttpCode(200)
  @MfaRegenerateDocs('fastapi')
  regenerate(@CurrentUser() user: User, @FastApiBody() body: MfaCodeModel) {
    return this.mfa.regenerate(user, body.code, 'fastapi-users');
  }
}
