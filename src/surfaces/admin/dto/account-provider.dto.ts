import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DrfCharField,
  DrfField,
  DrfTextField,
  pythonTypeName,
} from '../../../dialects/drf/drf-fields';
import type { AccountProviderView } from '../../../accounts/account-providers.service';

const SLUG = /^[-a-zA-Z0-9_]+$/;
const COUNTRY = /^[A-Za-z]{2}$/;

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** DRF ListField of two-letter country codes; null means every country. */
const CountryListField = (required: boolean) =>
  DrfField(
    (value) => {
      if (value === undefined) return required ? 'This field is required.' : undefined;
      if (value === null) return undefined;
      if (!Array.isArray(value))
        return `Expected a list of items but got type "${pythonTypeName(value)}".`;
      return value.every((c) => typeof c === 'string' && COUNTRY.test(c))
        ? undefined
        : 'Enter a list of ISO 3166-1 alpha-2 country codes.';
    },
    (value) =>
      Array.isArray(value)
        ? (value as unknown[]).map((c) => (typeof c === 'string' ? c.toLowerCase() : c))
        : value,
    { type: 'list', required },
  );

/** A white-label partner (staff only). */
export class CreateAccountProviderDto {
  @ApiProperty({ example: 'Acme Brokerage' })
  @DrfCharField({ maxLength: 100 })
  name: string;

  @ApiProperty({ example: 'acme' })
  @DrfTextField(
    { maxLength: 50 },
    (v) => SLUG.test(v),
    'Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.',
  )
  slug: string;

  @ApiPropertyOptional({ type: String, example: 'https://app.acme.example', nullable: true })
  @DrfTextField(
    { required: false, allowNull: true, maxLength: 200 },
    isHttpUrl,
    'Enter a valid URL.',
  )
  referral_base_url?: string | null;

  @ApiPropertyOptional({ example: ['br', 'pt'], nullable: true, type: [String] })
  @CountryListField(false)
  allowed_countries?: string[] | null;
}

export class UpdateAccountProviderDto {
  @ApiPropertyOptional({ example: 'Acme Brokerage' })
  @DrfCharField({ required: false, maxLength: 100 })
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'https://app.acme.example' })
  @DrfTextField(
    { required: false, allowNull: true, maxLength: 200 },
    isHttpUrl,
    'Enter a valid URL.',
  )
  referral_base_url?: string | null;

  @ApiPropertyOptional({ nullable: true, type: [String], example: ['pt'] })
  @CountryListField(false)
  allowed_countries?: string[] | null;
}

/** A white-label partner as staff see it. */
export class AccountProviderDto implements AccountProviderView {
  @ApiProperty({ example: 2 })
  id: number;

  @ApiProperty({ example: 'Acme Brokerage' })
  name: string;

  @ApiProperty({ example: 'acme' })
  slug: string;

  @ApiProperty({ type: String, format: 'uri', nullable: true, example: 'https://app.acme.example' })
  referral_base_url: string | null;

  @ApiProperty({
    type: [String],
    nullable: true,
    example: ['br', 'pt'],
    description: 'Countries served; null: every country',
  })
  allowed_countries: string[] | null;
}
