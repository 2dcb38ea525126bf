import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import type { HttpRequest } from '../../http/http-seam';
import {
  ApiBody,
  ApiCreatedResponse,
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
import { DOC_TAGS } from '../../docs/docs.setup';
import { DrfResponse, drfFieldsRequired, namedExamples } from '../../docs/responses';
import {
  AdminCreateUserDto,
  AdminUpdateUserDto,
  AdminUserDto,
  AdminUserPageDto,
} from './dto/admin-user.dto';
import { UsersAdminService } from './users-admin.service';
import { SurfaceDialect } from '../../dialects/dialect.decorators';
import { pageUrl } from '../../http/pagination';
import { GatehouseConfig } from '../../config/gatehouse-config';
import { DrfOptions } from '../../dialects/drf/drf-metadata';

const USER = {
  id: 1,
  email: 'johndoe@example.com',
  username: 'johndoe',
  first_name: 'John',
  last_name: 'Doe',
  is_active: true,
  is_staff: false,
  is_superuser: false,
  date_joined: '2026-01-15T09:30:00.000Z',
  last_login: null,
  country_code: 'br',
  kyc_status: 'pending',
  status: 'pending',
  has_deposited: false,
  public_key: null,
  signer_key: null,
  account_provider: 1,
};
const USER_OK = { type: AdminUserDto, examples: namedExamples({ 'A user': USER }) };
const ID = ApiParam({ name: 'id', type: Number, description: "The user's id (pk)", example: 1 });
const NotFound = () =>
  DrfResponse(404, 'No user has this id', { 'Not found': { detail: 'Not found.' } });

/** Seed 004's admin-only (`*`) user management: list, retrieve, create, change, deactivate. */
@DrfOptions()
@ApiTags(DOC_TAGS.admin.name)
@SurfaceDialect('drf')
@Controller()
@Staff()
export class UsersAdminController {
  constructor(
    private readonly admin: UsersAdminService,
    private readonly config: GatehouseConfig,
  ) {}

  @Get('api/users/')
  @ApiOperation({
    summary: 'List users',
    description:
      '`*` Only Admin users have access. Paginated as DRF does (`count`, `next`, `previous`).',
  })
  @ApiQuery({ name: 'page', required: false, type: Number, description: 'From 1' })
  @ApiQuery({
    name: 'page_size',
    required: false,
    type: Number,
    description: 'Users per page: 20 by default, 100 at most',
  })
  @ApiOkResponse({
    description: 'A page of users',
    type: AdminUserPageDto,
    examples: namedExamples({
      'The first page': {
        count: 42,
        next: 'https://backend.example.com/api/users/?page=2',
        previous: null,
        results: [USER],
      },
    }),
  })
  @DrfResponse(404, 'A page beyond the last', { 'Invalid page': { detail: 'Invalid page.' } })
  list(
    @Req() request: HttpRequest,
    @Query('page') page?: string,
    @Query('page_size') pageSize?: string,
  ) {
    return this.admin.list(pageUrl(this.config, request), page, pageSize);
  }

  @Post('api/users/')
  @ApiOperation({
    summary: 'Create a user',
    description:
      '`*` Only Admin users have access. The new user is active and verified. Only a superuser may ' +
      'create a staff user (`is_staff: true`).',
  })
  @ApiBody({
    type: AdminCreateUserDto,
    examples: namedExamples({
      'A user': { email: 'johndoe@example.com', password: 'example1234', first_name: 'John' },
    }),
  })
  @ApiCreatedResponse({ description: 'The new user', ...USER_OK })
  @DrfResponse(400, 'A field is missing or invalid, or the e-mail or username is taken', {
    'E-mail taken': { email: ['user with this email address already exists.'] },
    'Missing fields': drfFieldsRequired('email', 'password'),
  })
  create(@CurrentUser() actor: User, @Body() body: AdminCreateUserDto) {
    return this.admin.create(actor, body);
  }

  @Get('api/users/:id/')
  @ID
  @ApiOperation({ summary: 'Retrieve a user', description: '`*` Only Admin users have access.' })
  @ApiOkResponse({ description: 'The user', ...USER_OK })
  @NotFound()
  retrieve(@Param('id') id: string) {
    return this.admin.retrieve(id);
  }

  @Patch('api/users/:id/')
  @ID
  @ApiOperation({
    summary: 'Change a user',
    description:
      '`*` Only Admin users have access. Activity, staff status, names and KYC data: `kyc_status`, `status`, ' +
      '`country_code` (served by the provider), `has_deposited`, `account_provider`, and the Stellar ' +
      '`public_key` / `signer_key`. Only a superuser may change a superuser, grant or remove staff ' +
      'status, or deactivate a staff member (403 otherwise).',
  })
  @ApiBody({
    type: AdminUpdateUserDto,
    examples: namedExamples({
      'Make staff': { is_staff: true },
      'KYC passed': {
        kyc_status: 'kyc_passed',
        status: 'kyc_passed',
        country_code: 'br',
        public_key: 'GCXETER4MRRY7WNOLIXETD6OZ46P6KGUMOORXF2JCJUXIKBW2BS6GZGA',
      },
    }),
  })
  @ApiOkResponse({ description: 'The changed user', ...USER_OK })
  @DrfResponse(400, 'A field is invalid', {
    'Not a Stellar key': { public_key: ['Enter a valid Stellar public key (G…, 56 characters).'] },
    'Country not served': {
      country_code: ['This country is not served by the account provider.'],
    },
  })
  @NotFound()
  update(@CurrentUser() actor: User, @Param('id') id: string, @Body() body: AdminUpdateUserDto) {
    return this.admin.update(actor, id, body);
  }

  /** Deactivates (Django never deletes users here): the account stays, logins stop. */
  @Delete('api/users/:id/')
  @HttpCode(204)
  @ID
  @ApiOperation({
    summary: 'Deactivate a user',
    description:
      '`*` Only Admin users have access. The account stays (`is_active` becomes false); its logins stop. ' +
      'Only a superuser may deactivate a superuser or a staff member (403 otherwise).',
  })
  @ApiNoContentResponse({ description: 'Deactivated' })
  @NotFound()
  async deactivate(@CurrentUser() actor: User, @Param('id') id: string): Promise<void> {
    await this.admin.deactivate(actor, id);
  }
}
