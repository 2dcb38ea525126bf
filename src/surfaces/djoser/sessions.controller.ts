import { Controller, Delete, Get, HttpCode, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../access/access.decorators';
import type { Principal } from '../../access/auth-scheme';
import { CurrentPrincipal } from '../../access/current-user.decorator';
import { GatehouseConfig } from '../../config/gatehouse-config';
import { SurfaceDialect } from '../../dialects/dialect.decorators';
import { DrfOptions } from '../../dialects/drf/drf-metadata';
import { DOC_TAGS } from '../../docs/docs.setup';
import type { HttpRequest } from '../../http/http-seam';
import { pageUrl } from '../../http/pagination';
import {
  EndOtherSessionsDocs,
  EndSessionDocs,
  ListSessionsDocs,
} from '../../sessions/sessions.docs';
import { SessionViewsService } from '../../sessions/session-views.service';
import { Throttled } from '../../throttling/throttle-scopes';

/** djoser's `users/me/` grows the caller's sessions (a Gatehouse addition, in DRF's dialect). */
@DrfOptions()
@ApiTags(DOC_TAGS.dstoq.name)
@SurfaceDialect('drf')
@Controller()
@Authenticated()
@Throttled('sessions', { user: true })
export class DjoserSessionsController {
  constructor(
    private readonly sessions: SessionViewsService,
    private readonly config: GatehouseConfig,
  ) {}

  @Get('accounts/auth/users/me/sessions/')
  @ListSessionsDocs('drf')
  list(
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Query('page') page?: string,
    @Query('page_size') pageSize?: string,
  ) {
    return this.sessions.page(principal, pageUrl(this.config, request), page, pageSize);
  }

  @Delete('accounts/auth/users/me/sessions/:id/')
  @HttpCode(204)
  @EndSessionDocs('drf')
  async end(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.sessions.end(principal, id, 'djoser');
  }

  @Delete('accounts/auth/users/me/sessions/')
  @HttpCode(204)
  @EndOtherSessionsDocs()
  async endOthers(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.sessions.endOthers(principal, 'djoser');
  }
}
