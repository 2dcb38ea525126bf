import { Controller, Delete, Get, HttpCode, Param, Patch, Req } from '@nestjs/common';
import type { HttpRequest } from '../../http/http-seam';
import {
  ApiBody,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Authenticated, Superuser } from '../../access/access.decorators';
import { CurrentUser } from '../../access/current-user.decorator';
import { SurfaceDialect } from '../../dialects/dialect.decorators';
import { FastapiUsersErrorCode, fastapiUsersErrors } from './fastapi-users.errors';
import { FastApiBody } from '../../dialects/fastapi/fastapi-body';
import { DOC_TAGS } from '../../docs/docs.setup';
import { FastApiResponse, namedExamples } from '../../docs/responses';
import { USER_READ_EXAMPLE, UserReadDto, UserUpdateDto } from './dto/users.dto';
import { FastapiUsersUsersService } from './users.service';
import type { User } from '../../accounts/user.entity';

const USER_OK = {
  description: 'Successful Response',
  type: UserReadDto,
  examples: namedExamples({ 'A user': USER_READ_EXAMPLE }),
};
const UpdateErrors = () =>
  FastApiResponse(
    400,
    'The new e-mail belongs to another user, or the validators refuse the password',
    {
      UPDATE_USER_EMAIL_ALREADY_EXISTS: { detail: 'UPDATE_USER_EMAIL_ALREADY_EXISTS' },
      UPDATE_USER_INVALID_PASSWORD: {
        detail: {
          code: 'UPDATE_USER_INVALID_PASSWORD',
          reason: 'This password is too short. It must contain at least 8 characters.',
        },
      },
    },
  );
const ValidationErrors = () =>
  FastApiResponse(422, 'Validation Error', {
    'Not a boolean': {
      detail: [
        {
          type: 'bool_parsing',
          loc: ['body', 'is_active'],
          msg: 'Input should be a valid boolean, unable to interpret input',
          input: 'maybe',
        },
      ],
    },
  });
const NotFound = () =>
  FastApiResponse(404, 'No user has this id', { 'Not Found': { detail: 'Not Found' } });
const ID = ApiParam({ name: 'id', format: 'uuid', description: "The user's id (a UUID)" });
const UPDATE_EXAMPLES = {
  'Change the e-mail': { email: 'new@example.com' },
  'Change the password': { password: 'a-new-secret-password' },
};

/** Seed 001 — fastapi-users' users router (ids are the users' UUIDs). */
@ApiTags(DOC_TAGS.kyc.name)
@Controller()
@SurfaceDialect(
  'fastapi',
  fastapiUsersErrors({
    'password:password_invalid': FastapiUsersErrorCode.UPDATE_USER_INVALID_PASSWORD,
    'email:unique': FastapiUsersErrorCode.UPDATE_USER_EMAIL_ALREADY_EXISTS,
  }),
)
export class FastapiUsersUsersController {
  constructor(private readonly users: FastapiUsersUsersService) {}

  @Get('users/me')
  @Authenticated()
  @ApiOperation({
    summary: 'Users:Current User',
    description:
      'The user the Bearer token belongs to (`Authorization: Bearer <your_access_token>`).',
  })
  @ApiOkResponse(USER_OK)
  me(@CurrentUser() user: User) {
    return this.users.read(user);
  }

  @Patch('users/me')
  @Authenticated()
  @ApiOperation({
    summary: 'Users:Patch Current User',
    description:
      'Changes your e-mail (which then needs verifying again) or password. `is_active`, `is_superuser` and ' +
      '`is_verified` are ignored here.',
  })
  @ApiBody({ type: UserUpdateDto, examples: namedExamples(UPDATE_EXAMPLES) })
  @ApiOkResponse(USER_OK)
  @UpdateErrors()
  @ValidationErrors()
  patchMe(
    @CurrentUser() user: User,
    @FastApiBody() body: UserUpdateDto,
    @Req() request: HttpRequest,
  ) {
    return this.users.updateMe(user, body, request.body);
  }

  @Get('users/:id')
  @Superuser()
  @ID
  @ApiOperation({ summary: 'Users:User', description: 'Superusers only.' })
  @ApiOkResponse(USER_OK)
  @NotFound()
  get(@Param('id') id: string) {
    return this.users.get(id);
  }

  @Patch('users/:id')
  @Superuser()
  @ID
  @ApiOperation({
    summary: 'Users:Patch User',
    description: 'Superusers only; may also set `is_active`, `is_superuser` and `is_verified`.',
  })
  @ApiBody({
    type: UserUpdateDto,
    examples: namedExamples({ ...UPDATE_EXAMPLES, Deactivate: { is_active: false } }),
  })
  @ApiOkResponse(USER_OK)
  @UpdateErrors()
  @NotFound()
  @ValidationErrors()
  patch(@Param('id') id: string, @FastApiBody() body: UserUpdateDto) {
    return this.users.updateUser(id, body);
  }

  @Delete('users/:id')
  @Superuser()
  @HttpCode(204)
  @ID
  @ApiOperation({ summary: 'Users:Delete User', description: 'Superusers only.' })
  @ApiNoContentResponse({ description: 'Successful Response' })
  @NotFound()
  async delete(@Param('id') id: string): Promise<void> {
    await this.users.delete(id);
  }
}
