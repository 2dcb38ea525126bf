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
import type { FastifyRequest } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { Staff } from '../common/auth/access.decorators';
import { DOC_TAGS } from '../docs/docs.setup';
import { AdminCreateUserDto, AdminUpdateUserDto } from './dto/admin-user.dto';
import { UsersAdminService } from './users-admin.service';

/** Seed 004's admin-only (`*`) user management: list, retrieve, create, change, deactivate. */
@ApiTags(DOC_TAGS.admin.name)
@Controller('api/users')
@Staff()
export class UsersAdminController {
  constructor(private readonly admin: UsersAdminService) {}

  @Get()
  list(
    @Req() request: FastifyRequest,
    @Query('page') page?: string,
    @Query('page_size') pageSize?: string,
  ) {
    return this.admin.list(`${request.protocol}://${request.host}${request.url}`, page, pageSize);
  }

  @Post()
  create(@Body() body: AdminCreateUserDto) {
    return this.admin.create(body);
  }

  @Get(':id')
  retrieve(@Param('id') id: string) {
    return this.admin.retrieve(id);
  }

  @Patch(':id')
  update(@Param('id') id: string, @Body() body: AdminUpdateUserDto) {
    return this.admin.update(id, body);
  }

  /** Deactivates (Django never deletes users here): the account stays, logins stop. */
  @Delete(':id')
  @HttpCode(204)
  async deactivate(@Param('id') id: string): Promise<void> {
    await this.admin.deactivate(id);
  }
}
