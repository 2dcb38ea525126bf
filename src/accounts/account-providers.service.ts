import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { FieldErrors, NotFoundError } from '../problems/domain.errors';
import { parsePk } from '../http/pk';
import { AccountProvider } from './account-provider.entity';

export interface AccountProviderView {
  id: number;
  name: string;
  slug: string;
  referral_base_url: string | null;
  allowed_countries: string[] | null;
}

export interface NewAccountProvider {
  name: string;
  slug: string;
  referralBaseUrl?: string | null;
  allowedCountries?: string[] | null;
}

/** White-label partners: every user belongs to one; provider 1 is the platform. */
@Injectable()
export class AccountProvidersService {
  constructor(
    @InjectRepository(AccountProvider) private readonly providers: Repository<AccountProvider>,
  ) {}

  async list(): Promise<AccountProviderView[]> {
    return (await this.providers.find({ order: { id: 'ASC' } })).map(view);
  }

  async retrieve(id: string): Promise<AccountProviderView> {
    return view(await this.find(id));
  }

  /** @throws FieldErrors (slug, `unique`) for a slug in use */
  async create(input: NewAccountProvider): Promise<AccountProvider> {
    if (await this.providers.existsBy({ slug: input.slug })) {
      throw FieldErrors.of('slug', 'unique', 'account provider with this slug already exists.');
    }
    return this.providers.save(
      this.providers.create({
        name: input.name,
        slug: input.slug,
        referralBaseUrl: input.referralBaseUrl ?? null,
        allowedCountries: joinCountries(input.allowedCountries),
      }),
    );
  }

  async createAndView(input: NewAccountProvider): Promise<AccountProviderView> {
    return view(await this.create(input));
  }

  /** Changes what is given; the slug never changes. */
  async update(
    id: string,
    changes: Partial<Omit<NewAccountProvider, 'slug'>>,
  ): Promise<AccountProviderView> {
    const provider = await this.find(id);
    if (changes.name !== undefined) provider.name = changes.name;
    if (changes.referralBaseUrl !== undefined) provider.referralBaseUrl = changes.referralBaseUrl;
    if (changes.allowedCountries !== undefined)
      provider.allowedCountries = joinCountries(changes.allowedCountries);
    return view(await this.providers.save(provider));
  }

  /** Whether a provider serves users of this country (providers without a list serve all). */
  static serves(provider: AccountProvider, countryCode: string): boolean {
    const allowed = splitCountries(provider.allowedCountries);
    return allowed === null || allowed.includes(countryCode.toLowerCase());
  }

  findById(id: number): Promise<AccountProvider | null> {
    return this.providers.findOneBy({ id });
  }

  private async find(id: string): Promise<AccountProvider> {
    const pk = parsePk(id);
    const provider = pk === null ? null : await this.providers.findOneBy({ id: pk });
    if (!provider) throw new NotFoundError('account provider');
    return provider;
  }
}

function joinCountries(codes: string[] | null | undefined): string | null {
  return codes ? [...new Set(codes.map((c) => c.toLowerCase()))].join(',') : null;
}

function splitCountries(stored: string | null): string[] | null {
  return stored === null ? null : stored.split(',').filter(Boolean);
}

function view(provider: AccountProvider): AccountProviderView {
  return {
    id: provider.id,
    name: provider.name,
    slug: provider.slug,
    referral_base_url: provider.referralBaseUrl,
    allowed_countries: splitCountries(provider.allowedCountries),
  };
}
