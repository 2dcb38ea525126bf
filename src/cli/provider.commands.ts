import type { INestApplicationContext } from '@nestjs/common';
import { AccountProvidersService } from '../accounts/account-providers.service';
import { DrfException } from '../problems/drf.exception';
import { UsageError, type CommandSpec } from './command';

export const createProviderCommand: CommandSpec = {
  name: 'providers:create',
  usage: 'providers:create --name N --slug S [--referral-base-url URL] [--countries br,pt]',
  description:
    'Creates a white-label account provider and prints its id (use it with users:create --provider).',
  options: {
    name: { type: 'string' },
    slug: { type: 'string' },
    'referral-base-url': { type: 'string' },
    countries: { type: 'string' },
  },
  async run(app: INestApplicationContext, values) {
    const name = (values.name as string | undefined)?.trim();
    const slug = values.slug as string | undefined;
    const base = values['referral-base-url'] as string | undefined;
    const countries = (values.countries as string | undefined)
      ?.split(',')
      .map((c) => c.trim().toLowerCase());
    if (!name || name.length > 100)
      throw new UsageError('--name is required (100 characters at most)');
    if (!slug || !/^[-a-zA-Z0-9_]{1,50}$/.test(slug)) {
      throw new UsageError('--slug is required: letters, digits, "-" and "_", 50 at most');
    }
    if (base !== undefined && !/^https?:\/\/[^\s/]+/.test(base)) {
      throw new UsageError(`--referral-base-url must be an http(s) URL (got "${base}")`);
    }
    if (countries && !countries.every((c) => /^[a-z]{2}$/.test(c))) {
      throw new UsageError('--countries must be comma-separated two-letter country codes');
    }
    try {
      const provider = await app
        .get(AccountProvidersService)
        .create({ name, slug, referralBaseUrl: base ?? null, allowedCountries: countries ?? null });
      return { text: String(provider.id), json: { id: provider.id, slug: provider.slug } };
    } catch (error) {
      if (error instanceof DrfException)
        throw new UsageError(`--slug: ${slug} is already used by another provider`);
      throw error;
    }
  },
};
