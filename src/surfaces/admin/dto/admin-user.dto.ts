import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import {
  DrfBooleanField,
  DrfCharField,
  DrfChoiceField,
  DrfEmailField,
  DrfPrimaryKeyField,
  DrfTextField,
} from '../../../dialects/drf/drf-fields';
import { isStellarPublicKey } from '../../../accounts/stellar-key';
import { KYC_STATUSES } from '../../../accounts/user.entity';

/** A user as the admin API answers it (DRF's ModelSerializer of the user). */
export interface AdminUserView {
  id: number;
  email: string;
  username: string;
  first_name: string;
  last_name: string;
  is_active: boolean;
  is_staff: boolean;
  is_superuser: boolean;
  date_joined: string;
  last_login: string | null;
  country_code: string | null;
  kyc_status: string;
  status: string;
  has_deposited: boolean;
  public_key: string | null;
  signer_key: string | null;
  account_provider: number;
}

const STELLAR_KEY_MESSAGE = 'Enter a valid Stellar public key (G…, 56 characters).';
const COUNTRY_MESSAGE = 'Enter a valid ISO 3166-1 alpha-2 country code.';

/** Staff create a user (seed 004's admin endpoints). */
export class AdminCreateUserDto {
  @ApiProperty({ example: 'johndoe@example.com' })
  @DrfEmailField()
  email: string;

  @ApiProperty({ example: 'example1234', format: 'password' })
  @DrfCharField({ trimWhitespace: false, maxLength: 4096 })
  password: string;

  @ApiPropertyOptional({ example: 'johndoe' })
  @DrfCharField({ required: false, maxLength: 150 })
  username?: string;

  @ApiPropertyOptional({ example: 'John' })
  @DrfCharField({ required: false, allowBlank: true, maxLength: 150 })
  first_name?: string;

  @ApiPropertyOptional({ example: 'Doe' })
  @DrfCharField({ required: false, allowBlank: true, maxLength: 150 })
  last_name?: string;

  @ApiPropertyOptional({ example: false })
  @DrfBooleanField()
  is_staff?: boolean;
}

/** Staff change a user: activity, staff status, names. Other fields are read-only. */
export class AdminUpdateUserDto extends PickType(AdminCreateUserDto, [
  'first_name',
  'last_name',
  'is_staff',
] as const) {
  @ApiPropertyOptional({ example: true })
  @DrfBooleanField()
  is_active?: boolean;

  @ApiPropertyOptional({ enum: KYC_STATUSES, example: 'kyc_passed' })
  @DrfChoiceField(KYC_STATUSES)
  kyc_status?: (typeof KYC_STATUSES)[number];

  @ApiPropertyOptional({ enum: KYC_STATUSES, example: 'kyc_passed' })
  @DrfChoiceField(KYC_STATUSES)
  status?: (typeof KYC_STATUSES)[number];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'GCXETER4MRRY7WNOLIXETD6OZ46P6KGUMOORXF2JCJUXIKBW2BS6GZGA',
  })
  @DrfTextField({ required: false, allowNull: true }, isStellarPublicKey, STELLAR_KEY_MESSAGE)
  public_key?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'GCXETER4MRRY7WNOLIXETD6OZ46P6KGUMOORXF2JCJUXIKBW2BS6GZGA',
  })
  @DrfTextField({ required: false, allowNull: true }, isStellarPublicKey, STELLAR_KEY_MESSAGE)
  signer_key?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'br' })
  @DrfTextField(
    { required: false, allowNull: true },
    (v) => /^[A-Za-z]{2}$/.test(v),
    COUNTRY_MESSAGE,
  )
  country_code?: string | null;

  @ApiPropertyOptional({ example: false })
  @DrfBooleanField()
  has_deposited?: boolean;

  @ApiPropertyOptional({ description: 'Account provider id.', example: 1 })
  @DrfPrimaryKeyField()
  account_provider?: number;
}

/** A user as staff see it. */
export class AdminUserDto implements AdminUserView {
  @ApiProperty({ example: 1 })
  id: number;

  @ApiProperty({ format: 'email', example: 'johndoe@example.com' })
  email: string;

  @ApiProperty({ example: 'johndoe' })
  username: string;

  @ApiProperty({ example: 'John' })
  first_name: string;

  @ApiProperty({ example: 'Doe' })
  last_name: string;

  @ApiProperty({ example: true })
  is_active: boolean;

  @ApiProperty({ example: false })
  is_staff: boolean;

  @ApiProperty({ example: false })
  is_superuser: boolean;

  @ApiProperty({ format: 'date-time', example: '2026-01-15T09:30:00.000Z' })
  date_joined: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  last_login: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'br' })
  country_code: string | null;

  @ApiProperty({ enum: KYC_STATUSES, example: 'pending' })
  kyc_status: string;

  @ApiProperty({ enum: KYC_STATUSES, example: 'pending' })
  status: string;

  @ApiProperty({ example: false })
  has_deposited: boolean;

  @ApiProperty({ type: String, nullable: true, example: null })
  public_key: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  signer_key: string | null;

  @ApiProperty({ example: 1, description: 'Account provider id' })
  account_provider: number;
}

/** DRF's PageNumberPagination of users. */
export class AdminUserPageDto {
  @ApiProperty({ example: 42 })
  count: number;

  @ApiProperty({
    type: String,
    format: 'uri',
    nullable: true,
    example: 'https://backend.example.com/api/users/?page=2',
  })
  next: string | null;

  @ApiProperty({ type: String, format: 'uri', nullable: true, example: null })
  previous: string | null;

  @ApiProperty({ type: () => [AdminUserDto] })
  results: AdminUserDto[];
}
