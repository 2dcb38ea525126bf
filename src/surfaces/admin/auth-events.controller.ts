import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { HttpRequest } from '../../http/http-seam';
import { AuditService } from '../../audit/audit.service';
import { Staff } from '../../access/access.decorators';
import { SurfaceDialect } from '../../dialects/dialect.decorators';
import { pageUrl } from '../../http/pagination';
import { GatehouseConfig } from '../../config/gatehouse-config';
import { DOC_TAGS } from '../../docs/docs.setup';
import { DrfResponse, namedExamples } from '../../docs/responses';
import { DrfOptions } from '../../dialects/drf/drf-metadata';
import { AuthEventPageDto } from './dto/auth-event.dto';

const EVENT = {
  id: 42,
  occurred_at: '2026-11-22T21:10:48.857Z',
  type: 'login',
  outcome: 'failure',
  user: 1,
  identifier: 'johndoe@example.com',
  surface: 'simplejwt',
  reason: 'bad_credentials',
  address: '203.0.113.7',
  user_agent: 'Mozilla/5.0',
  details: null,
};

/** The audit trail, for staff: authentication events, newest first. */
@DrfOptions()
@ApiTags(DOC_TAGS.admin.name)
@SurfaceDialect('drf')
@Controller()
@Staff()
export class AuthEventsController {
  constructor(
    private readonly audit: AuditService,
    private readonly config: GatehouseConfig,
  ) {}

  @Get('api/auth-events/')
  @ApiOperation({
    summary: 'List authentication events',
    description:
      'Staff only. Logins (success and failure, with surface and reason), logouts, token refreshes, ' +
      'Token keys created, hijack and login-link uses, password changes and resets, e-mail verifications, ' +
      'revoked credentials, throttled requests and imports (their counts in `details`), each with the ' +
      'client address and user agent; never a password, token, key or link. Newest first, paginated as DRF does.',
  })
  @ApiQuery({ name: 'user', required: false, type: Number, description: "The user's id" })
  @ApiQuery({
    name: 'type',
    required: false,
    description:
      '`login`, `logout`, `token_refresh`, `token_key_created`, `hijack`, `login_link`, `login_link_issued`, `password_change`, ' +
      '`password_reset`, `email_verified`, `throttled`, `import`, …',
  })
  @ApiQuery({ name: 'outcome', required: false, enum: ['success', 'failure'] })
  @ApiQuery({ name: 'after', required: false, description: 'ISO 8601 instant (inclusive)' })
  @ApiQuery({ name: 'before', required: false, description: 'ISO 8601 instant (inclusive)' })
  @ApiQuery({ name: 'page', required: false, type: Number, description: 'From 1' })
  @ApiQuery({
    name: 'page_size',
    required: false,
    type: Number,
    description: '20 by default, 100 at most',
  })
  @ApiOkResponse({
    description: 'A page of events',
    type: AuthEventPageDto,
    examples: namedExamples({
      'A failed login': { count: 1, next: null, previous: null, results: [EVENT] },
    }),
  })
  @DrfResponse(400, 'A filter that is not a number, a choice or an instant', {
    'Invalid filters': {
      outcome: ['Select a valid choice. maybe is not one of the available choices.'],
      after: ['Enter a valid date/time.'],
    },
  })
  @DrfResponse(404, 'A page beyond the last', { 'Invalid page': { detail: 'Invalid page.' } })
  list(
    @Req() request: HttpRequest,
    @Query('user') user?: string,
    @Query('type') type?: string,
    @Query('outcome') outcome?: string,
    @Query('after') after?: string,
    @Query('before') before?: string,
    @Query('page') page?: string,
    @Query('page_size') pageSize?: string,
  ) {
    return this.audit.list(
      pageUrl(this.config, request),
      { user, type, outcome, after, before },
      page,
      pageSize,
    );
  }
}
