import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Staff } from '../../access/access.decorators';
import { CurrentUser } from '../../access/current-user.decorator';
import type { User } from '../../accounts/user.entity';
import { SurfaceDialect } from '../../dialects/dialect.decorators';
import { DrfOptions } from '../../dialects/drf/drf-metadata';
import { DOC_TAGS } from '../../docs/docs.setup';
import { DrfResponse } from '../../docs/responses';
import { UsersAdminService } from './users-admin.service';

/** Staff turn a user's multi-factor login off (a lost authenticator). */
@DrfOptions()
@ApiTags(DOC_TAGS.admin.name)
@SurfaceDialect('drf')
@Controller()
@Staff()
export class UserMfaAdminController {
  constructor(private readonly admin: UsersAdminService) {}

  @Delete('api/users/:id/mfa/')
  @HttpCode(204)
  @ApiParam({ name: 'id', type: Number, description: "The user's id (pk)", example: 1 })
  @ApiOperation({
    summary: "Turn a user's multi-factor login off",
    description:
      "`*` Only Admin users have access. Deletes the user's authenticator and recovery codes: logins " +
      'ask for the password alone until the user enrols again; the user is mailed, and `mfa.disabled` ' +
      "recorded. 204 whether MFA was on or not. Only a superuser may reset a superuser's or a staff " +
      "member's (403 otherwise).",
  })
  @ApiNoContentResponse({ description: 'MFA is off for the user' })
  @DrfResponse(404, 'No user has this id', { 'Not found': { detail: 'Not found.' } })
  async reset(@CurrentUser() actor: User, @Param('id') id: string): Promise<void> {
    await this.admin.resetMfa(actor, id);
  }
}
