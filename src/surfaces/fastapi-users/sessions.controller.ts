import { Controller, Delete, Get, HttpCode, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../access/access.decorators';
import type { Principal } from '../../access/auth-scheme';
import { CurrentPrincipal } from '../../access/current-user.decorator';
import { SurfaceDialect } from '../../dialects/dialect.decorators';
import { DOC_TAGS } from '../../docs/docs.setup';
import {
  EndOtherSessionsDocs,
  EndSessionDocs,
  ListSessionsDocs,
} from '../../sessions/sessions.docs';
import { SessionViewsService } from '../../sessions/session-views.service';
import { Throttled } from '../../throttling/throttle-scopes';

/** The users router's `/users/me` grows the caller's sessions (FastAPI's dialect, no trailing slash). */
@ApiTags(DOC_TAGS.kyc.name)
@Controller()
@SurfaceDialect('fastapi')
@Authenticated()
@Throttled('sessions', { user: true })
export class FastapiUsersSessionsController {
  constructor(private readonly sessions: SessionViewsService) {}

  @Get('users/me/sessions')
  @ListSessionsDocs('fastapi')
  list(@CurrentPrincipal() principal: Principal) {
    return this.sessions.list(principal);
  }

  @Delete('users/me/sessions/:id')
  @HttpCode(204)
  @EndSessionDocs('fastapi')
  async end(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.sessions.end(principal, id, 'fastapi-users');
  }

  @Delete('users/me/sessions')
  @HttpCode(204)
  @EndOtherSessionsDocs()
  async endOthers(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.sessions.endOthers(principal, 'fastapi-users');
  }
}
