import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Staff } from '../../access/access.decorators';
import { DOC_TAGS } from '../../docs/docs.setup';
import { DrfResponse, drfFieldsRequired, namedExamples } from '../../docs/responses';
import { AccountProvidersService } from '../../accounts/account-providers.service';
import {
  AccountProviderDto,
  CreateAccountProviderDto,
  UpdateAccountProviderDto,
} from './dto/account-provider.dto';
import { SurfaceDialect } from '../../dialects/dialect.decorators';
import { DrfOptions } from '../../dialects/drf/drf-metadata';

const PLATFORM = {
  id: 1,
  name: 'Platform',
  slug: 'platform',
  referral_base_url: null,
  allowed_countries: null,
};
const ACME = {
  id: 2,
  name: 'Acme Brokerage',
  slug: 'acme',
  referral_base_url: 'https://app.acme.example',
  allowed_countries: ['br', 'pt'],
};
const PROVIDER_OK = { type: AccountProviderDto, examples: namedExamples({ 'A provider': ACME }) };
const ID = ApiParam({ name: 'id', type: Number, description: "The provider's id", example: 2 });
const NotFound = () =>
  DrfResponse(404, 'No provider has this id', { 'Not found': { detail: 'Not found.' } });

/** Seed 000's white-label providers ("bring your own customer base"), staff only. */
@DrfOptions()
@ApiTags(DOC_TAGS.admin.name)
@SurfaceDialect('drf')
@Controller()
@Staff()
export class AccountProvidersController {
  constructor(private readonly providers: AccountProvidersService) {}

  @Get('api/account-providers/')
  @ApiOperation({
    summary: 'List account providers',
    description:
      'The white-label partners that bring their own customer base; 1 is the platform itself.',
  })
  @ApiOkResponse({
    description: 'Every provider',
    type: [AccountProviderDto],
    examples: namedExamples({ Providers: [PLATFORM, ACME] }),
  })
  list() {
    return this.providers.list();
  }

  @Post('api/account-providers/')
  @ApiOperation({
    summary: 'Create an account provider',
    description:
      'Its users get referral links under `referral_base_url` (or `REFERRAL_BASE_URL`); with ' +
      '`allowed_countries` only users of those countries can belong to it.',
  })
  @ApiBody({
    type: CreateAccountProviderDto,
    examples: namedExamples({
      'A provider': {
        name: 'Acme Brokerage',
        slug: 'acme',
        referral_base_url: 'https://app.acme.example',
        allowed_countries: ['br', 'pt'],
      },
    }),
  })
  @ApiCreatedResponse({ description: 'The new provider', ...PROVIDER_OK })
  @DrfResponse(400, 'A field is missing or invalid, or the slug is taken', {
    'Slug taken': { slug: ['account provider with this slug already exists.'] },
    'Missing fields': drfFieldsRequired('name', 'slug'),
  })
  create(@Body() body: CreateAccountProviderDto) {
    return this.providers.createAndView({
      name: body.name,
      slug: body.slug,
      referralBaseUrl: body.referral_base_url,
      allowedCountries: body.allowed_countries,
    });
  }

  @Get('api/account-providers/:id/')
  @ID
  @ApiOperation({
    summary: 'Retrieve an account provider',
    description: 'One white-label partner, by id.',
  })
  @ApiOkResponse({ description: 'The provider', ...PROVIDER_OK })
  @NotFound()
  retrieve(@Param('id') id: string) {
    return this.providers.retrieve(id);
  }

  @Patch('api/account-providers/:id/')
  @ID
  @ApiOperation({
    summary: 'Change an account provider',
    description: 'Name, referral base URL and countries; the slug stays.',
  })
  @ApiBody({
    type: UpdateAccountProviderDto,
    examples: namedExamples({ 'Serve Portugal only': { allowed_countries: ['pt'] } }),
  })
  @ApiOkResponse({ description: 'The changed provider', ...PROVIDER_OK })
  @DrfResponse(400, 'A field is invalid', {
    'Not a URL': { referral_base_url: ['Enter a valid URL.'] },
  })
  @NotFound()
  update(@Param('id') id: string, @Body() body: UpdateAccountProviderDto) {
    return this.providers.update(id, {
      name: body.name,
      referralBaseUrl: body.referral_base_url,
      allowedCountries: body.allowed_countries,
    });
  }
}
