import { Controller, Delete, Get, HttpCode, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../access/access.decorators';
import type { Principal } from '../../access/auth-scheme';
import { CurrentPrincipal } from '../../access/current-user.decorator';
import { GatehouseConfig } from '../../config/gatehouse-config';
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
import { RestAuthSurface } from './rest-auth.errors';

/**
 * dj-rest-auth's user details grow the caller's sessions, under both seeds' paths:
 * `/auth/user/` (JWT flavour, seed 003) and `/authentication/user/` (Token, seed 002).
 */
@RestAuthSurface()
@Controller()
@Authenticated()
@Throttled('sessions', { user: true })
export class RestAuthSessionsController {
  constructor(
    private readonly sessions: SessionViewsService,
    private readonly config: GatehouseConfig,
  ) {}

  @Get('auth/user/sessions/')
  @ApiTags(DOC_TAGS.dcorpo.name)
  @ListSessionsDocs('drf')
  list(
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Query('page') page?: string,
    @Query('page_size') pageSize?: string,
  ) {
    return this.sessions.page(principal, pageUrl(this.config, request), page, pageSize);
  }

  @Delete('auth/user/sessions/:id/')
  @HttpCode(204)
  @ApiTags(DOC_TAGS.dcorpo.name)
  @EndSessionDocs('drf')
  async end(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.sessions.end(principal, id, 'rest-auth');
  }

  @Delete('auth/user/sessions/')
  @HttpCode(204)
  @ApiTags(DOC_TAGS.dcorpo.name)
  @EndOtherSessionsDocs()
  async endOthers(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.sessions.endOthers(principal, 'rest-auth');
  }

  @Get('authentication/user/sessions/')
  @ApiTags(DOC_TAGS.wrapper.name)
  @ListSessionsDocs('drf')
  listForKey(
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Query('page') page?: string,
    @Query('page_size') pageSize?: string,
  ) {
    return this.sessions.page(principal, pageUrl(this.config, request), page, pageSize);
  }

  @Delete('authentication/user/sessions/:id/')
  @HttpCode(204)
  @ApiTags(DOC_TAGS.wrapper.name)
  @EndSessionDocs('drf')
  async endForKey(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
  ): Promise<void> {
    await this.sessions.end(principal, id, 'rest-auth');
  }

  @Delete('authentication/user/sessions/')
  @HttpCode(204)
  @ApiTags(DOC_TAGS.wrapper.name)
  @EndOtherSessionsDocs()
  async endOthersForKey(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.sessions.endOthers(principal, 'rest-auth');
  }
}
