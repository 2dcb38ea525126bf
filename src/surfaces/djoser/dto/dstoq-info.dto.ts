import { ApiProperty } from '@nestjs/swagger';
import type { AuthInfo, TradingInfo } from '../../../accounts/account-info.service';
import { KYC_STATUSES } from '../../../accounts/user.entity';

const STELLAR_KEY = 'GCXETER4MRRY7WNOLIXETD6OZ46P6KGUMOORXF2JCJUXIKBW2BS6GZGA';

/** Seed 000's "Auth Information", with the seed's example. */
export class AuthInfoDto implements AuthInfo {
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'br',
    description: 'ISO 3166-1 alpha-2, lower case',
  })
  country_code: string | null;

  @ApiProperty({ format: 'email', example: 'emailaddressofuser@dstoq.com' })
  email: string;

  @ApiProperty({ enum: KYC_STATUSES, example: 'pending' })
  kyc_status: string;
}

/** Seed 000's "Trading Information", with the seed's example. */
export class TradingInfoDto implements TradingInfo {
  @ApiProperty({ example: 1, description: 'The white-label partner (1 is the platform itself)' })
  account_provider: number;

  @ApiProperty({ type: String, nullable: true, example: 'br' })
  country_code: string | null;

  @ApiProperty({ format: 'email', example: 'emailaddressofuser@dstoq.com' })
  email: string;

  @ApiProperty({ example: 'Christian' })
  first_name: string;

  @ApiProperty({ example: true })
  has_deposited: boolean;

  @ApiProperty({ example: 19232 })
  id: number;

  @ApiProperty({ example: 'Peters' })
  last_name: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: STELLAR_KEY,
    description: 'A Stellar account id',
  })
  public_key: string | null;

  @ApiProperty({ format: 'uri', example: 'https://app.dstoq.com/9vUm' })
  referral_short_link: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: STELLAR_KEY,
    description: 'A Stellar account id',
  })
  signer_key: string | null;

  @ApiProperty({ enum: KYC_STATUSES, example: 'kyc_passed' })
  status: string;
}
