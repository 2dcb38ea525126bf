import { Controller, Delete, Get, HttpCode, Param, Query, Req } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { Staff } from '../../access/access.decorators';
import { CurrentUser } from '../../access/current-user.decorator';
import type { User } from '../../accounts/user.entity';
import { GatehouseConfig } from '../../config/gatehouse-config';
import { SurfaceDialect } from '../../dialects/dialect.decorators';
import { DrfOptions } from '../../dialects/drf/drf-metadata';
import { DOC_TAGS } from '../../docs/docs.setup';
import { DrfResponse, namedExamples } from '../../docs/responses';
import type { HttpRequest } from '../../http/http-seam';
import { pageUrl } from '../../http/pagination';
import { SESSION_PAGE_EXAMPLE, SessionPageDto } from '../../sessions/session-view';
import { UsersAdminService } from './users-admin.service';

const ID = ApiParam({ name: 'id', type: Number, description: "The user's id (pk)", example: 1 });
const NotFound = () =>
  DrfResponse(404, 'No user has this id', { 'Not found': { detail: 'Not found.' } });

/** Staff see and end a user's sessions (every device the user is logged in on). */
@DrfOptions()
@ApiTags(DOC_TAGS.admin.name)
@SurfaceDialect('drf')
@Controller()
@Staff()
export class UserSessionsAdminController {
  constructor(
    private readonly admin: UsersAdminService,
    private readonly config: GatehouseConfig,
  ) {}

  @Get('api/users/:id/sessions/')
  @ID
  @ApiOperation({
    summary: "List a user's sessions",
    description:
      '`*` Only Admin users have access. The live sessions of the user — a refresh-token family, a Token ' +
      'key, a fastapi-users token, a dashboard or login-link login — newest first, with where and when ' +
      'each was last used; `current` is always false here. Paginated as DRF does.',
  })
  @ApiQuery({ name: 'page', required: false, type: Number, description: 'From 1' })
  @ApiQuery({
    name: 'page_size',
    required: false,
    type: Number,
    description: 'Sessions per page: 20 by default, 100 at most',
  })
  @ApiOkResponse({
    description: 'A page of sessions',
    type: SessionPageDto,
    examples: namedExamples({
      'Three devices': {
        ...SESSION_PAGE_EXAMPLE,
        results: SESSION_PAGE_EXAMPLE.results.map((s) => ({ ...s, current: false })),
      },
    }),
  })
  @DrfResponse(404, 'No user has this id, or a page beyond the last', {
    'Not found': { detail: 'Not found.' },
    'Invalid page': { detail: 'Invalid page.' },
  })
  list(
    @Param('id') id: string,
    @Req() request: HttpRequest,
    @Query('page') page?: string,
    @Query('page_size') pageSize?: string,
  ) {
    return this.admin.sessionsOf(id, pageUrl(this.config, request), page, pageSize);
  }

  @Delete('api/users/:id/sessions/')
  @HttpCode(204)
  @ID
  @ApiOperation({
    summary: "End all of a user's sessions",
    description:
      '`*` Only Admin users have access. Logs the user out everywhere: every credential issued so far is ' +
      'refused from now on, on every instance within a second; the account stays active. Only a ' +
      "superuser may end a superuser's or a staff member's sessions (403 otherwise).",
  })
  @ApiNoContentResponse({ description: 'Every session ended' })
  @NotFound()
  async endAll(@CurrentUser() actor: User, @Param('id') id: string): Promise<void> {
    await this.admin.endSessions(actor, id);
  }
}
