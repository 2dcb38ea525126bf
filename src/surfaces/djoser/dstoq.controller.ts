import { Controller, Get } from '@nestjs/common';
import { ApiExtension, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../access/access.decorators';
import { CurrentUser } from '../../access/current-user.decorator';
import { DOC_TAGS } from '../../docs/docs.setup';
import { dstoqGetSamples } from './dstoq-samples';
import { namedExamples } from '../../docs/responses';
import { AccountInfoService } from '../../accounts/account-info.service';
import { AuthInfoDto, TradingInfoDto } from './dto/dstoq-info.dto';
import type { User } from '../../accounts/user.entity';
import { SurfaceDialect } from '../../dialects/dialect.decorators';
import { DrfOptions } from '../../dialects/drf/drf-metadata';

export const AUTH_INFO_OUTPUT = namedExamples({
  output: { country_code: 'br', email: 'emailaddressofuser@dstoq.com', kyc_status: 'pending' },
});
export const AUTH_INFORMATION =
  'Try it with the `user` endpoint that gives you a few basic information about the user behind the given ' +
  'token. Send `Authorization: JWT TOKEN_GOES_HERE`.';

/** Seed 000 — DSTOQ's "who am I" endpoints: auth information and trading information. */
@DrfOptions()
@ApiTags(DOC_TAGS.dstoq.name)
@SurfaceDialect('drf')
@Controller()
@Authenticated()
export class DstoqController {
  constructor(private readonly info: AccountInfoService) {}

  @Get('accounts/accounts/user/')
  @ApiExtension('x-codeSamples', dstoqGetSamples('/accounts/accounts/user/'))
  @ApiOperation({ summary: 'Auth Information', description: AUTH_INFORMATION })
  @ApiOkResponse({ description: 'Auth information', type: AuthInfoDto, examples: AUTH_INFO_OUTPUT })
  accountUser(@CurrentUser() user: User) {
    return this.info.authInfo(user);
  }

  @Get('core/accounts/accounts/me/')
  @ApiExtension('x-codeSamples', dstoqGetSamples('/core/accounts/accounts/me/'))
  @ApiOperation({
    summary: 'Trading Information',
    description:
      'The user behind the given token as the trading platform knows them: account provider, KYC status, ' +
      'Stellar keys and referral link. Send `Authorization: JWT TOKEN_GOES_HERE`.',
  })
  @ApiOkResponse({
    description: 'Trading information',
    type: TradingInfoDto,
    examples: namedExamples({
      output: {
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
      },
    }),
  })
  tradingInfo(@CurrentUser() user: User) {
    return this.info.tradingInfo(user);
  }
}
