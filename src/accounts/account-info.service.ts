import { Injectable } from '@nestjs/common';
import { UserSerializer } from './user-serializer';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { GatehouseConfig } from '../config/gatehouse-config';
import { AccountProvider } from './account-provider.entity';
import type { User } from './user.entity';

/** Seed 000's "auth information". */
export interface AuthInfo {
  country_code: string | null;
  email: string;
  kyc_status: string;
}

/** Seed 000's "trading information", keys in the seed's (alphabetical) order. */
export interface TradingInfo {
  account_provider: number;
  country_code: string | null;
  email: string;
  first_name: string;
  has_deposited: boolean;
  id: number;
  last_name: string;
  public_key: string | null;
  referral_short_link: string;
  signer_key: string | null;
  status: string;
}

/** Who the caller is, as the DSTOQ clients read it. */
@Injectable()
export class AccountInfoService {
  constructor(
    private readonly config: GatehouseConfig,
    @InjectRepository(AccountProvider) private readonly providers: Repository<AccountProvider>,
    private readonly serializer: UserSerializer,
  ) {}

  authInfo(user: User): AuthInfo {
    return { country_code: user.countryCode, email: user.email, kyc_status: user.kycStatus };
  }

  /** Seed 000's trading info, in its key order, with the fields the app's UserSerializer adds. */
  async tradingInfo(user: User): Promise<TradingInfo> {
    const info: TradingInfo = {
      account_provider: user.accountProviderId,
      country_code: user.countryCode,
      email: user.email,
      first_name: user.firstName,
      has_deposited: user.hasDeposited,
      id: user.id,
      last_name: user.lastName,
      public_key: user.publicKey,
      referral_short_link: await this.referralLink(user),
      signer_key: user.signerKey,
      status: user.status,
    };
    return this.serializer.represent(user, info, 'trading-info');
  }

  /** The provider's base URL (or REFERRAL_BASE_URL) + the user's short code. */
  async referralLink(user: User): Promise<string> {
    const provider = await this.providers.findOne({
      where: { id: user.accountProviderId },
      select: { id: true, referralBaseUrl: true },
    });
    const base = (provider?.referralBaseUrl ?? this.config.referralBaseUrl).replace(/\/+$/, '');
    return `${base}/${user.referralCode}`;
  }
}
