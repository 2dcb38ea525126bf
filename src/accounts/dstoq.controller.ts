import { Controller, Get } from '@nestjs/common';
import { ApiExtension, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../common/auth/access.decorators';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { DOC_TAGS } from '../docs/docs.setup';
import { dstoqGetSamples } from '../docs/dstoq-samples';
import { AccountInfoService } from './account-info.service';
import type { User } from './user.entity';

const AUTH_INFO_EXAMPLE = {
  country_code: 'br',
  email: 'emailaddressofuser@dstoq.com',
  kyc_status: 'pending',
};
const TRADING_INFO_EXAMPLE = {
  account_provider: 1,
  country_code: 'br',
  email: 'emailaddressofuser@dstoq.com',
  first_name: 'Christian',
  has_deposited: true,
  id: 19232,
  last_name: 'Peters',
  public_key: 'GCXETER4MRRY7WNOLIXETD6OZ46P6KGUMOORXF2JCJUXIKBW2BS6GZGA',
  referral_short_link: 'https://app.dstoq.com/9vUm',
  signer_key: 'GCXETER4MRRY7WNOLIXETD6OZ46P6KGUMOORXF2JCJUXIKBW2BS6GZGA',
  status: 'kyc_passed',
};

/** Seed 000 — DSTOQ's "who am I" endpoints: auth information and trading information. */
@ApiTags(DOC_TAGS.dstoq.name)
@Controller()
@Authenticated()
export class DstoqController {
  constructor(private readonly info: AccountInfoService) {}

  @Get('accounts/auth/users/me')
  @ApiExtension('x-codeSamples', dstoqGetSamples('/accounts/auth/users/me/'))
  @ApiOperation({ summary: 'Auth information (djoser users/me)' })
  @ApiOkResponse({ schema: { example: AUTH_INFO_EXAMPLE } })
  usersMe(@CurrentUser() user: User) {
    return this.info.authInfo(user);
  }

  @Get('accounts/accounts/user')
  @ApiExtension('x-codeSamples', dstoqGetSamples('/accounts/accounts/user/'))
  @ApiOperation({
    summary: 'Auth Information',
    description:
      'The `user` endpoint gives you a few basic information about the user behind the given token.',
  })
  @ApiOkResponse({ schema: { example: AUTH_INFO_EXAMPLE } })
  accountUser(@CurrentUser() user: User) {
    return this.info.authInfo(user);
  }

  @Get('core/accounts/accounts/me')
  @ApiExtension('x-codeSamples', dstoqGetSamples('/core/accounts/accounts/me/'))
  @ApiOperation({ summary: 'Trading Information' })
  @ApiOkResponse({ schema: { example: TRADING_INFO_EXAMPLE } })
  tradingInfo(@CurrentUser() user: User) {
    return this.info.tradingInfo(user);
  }
}
