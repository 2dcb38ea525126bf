import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Staff } from '../common/auth/access.decorators';
import { DOC_TAGS } from '../docs/docs.setup';
import { AccountProvidersService } from './account-providers.service';
import { CreateAccountProviderDto, UpdateAccountProviderDto } from './dto/account-provider.dto';

/** Seed 000's white-label providers ("bring your own customer base"), staff only. */
@ApiTags(DOC_TAGS.admin.name)
@Controller('api/account-providers')
@Staff()
export class AccountProvidersController {
  constructor(private readonly providers: AccountProvidersService) {}

  @Get()
  @ApiOperation({ summary: 'List account providers' })
  list() {
    return this.providers.list();
  }

  @Post()
  @ApiOperation({ summary: 'Create an account provider' })
  create(@Body() body: CreateAccountProviderDto) {
    return this.providers.createFromApi(body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve an account provider' })
  retrieve(@Param('id') id: string) {
    return this.providers.retrieve(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change an account provider' })
  update(@Param('id') id: string, @Body() body: UpdateAccountProviderDto) {
    return this.providers.update(id, body);
  }
}
