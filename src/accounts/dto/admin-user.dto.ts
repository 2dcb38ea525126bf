import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import {
  DrfBooleanField,
  DrfCharField,
  DrfChoiceField,
  DrfEmailField,
  DrfPrimaryKeyField,
  DrfTextField,
} from '../../common/validation/drf-fields';
import { isStellarPublicKey } from '../stellar-key';
import { KYC_STATUSES } from '../user.entity';

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

  @ApiPropertyOptional()
  @DrfCharField({ required: false, maxLength: 150 })
  username?: string;

  @ApiPropertyOptional()
  @DrfCharField({ required: false, allowBlank: true, maxLength: 150 })
  first_name?: string;

  @ApiPropertyOptional()
  @DrfCharField({ required: false, allowBlank: true, maxLength: 150 })
  last_name?: string;

  @ApiPropertyOptional()
  @DrfBooleanField()
  is_staff?: boolean;
}

/** Staff change a user: activity, staff status, names. Other fields are read-only. */
export class AdminUpdateUserDto extends PickType(AdminCreateUserDto, [
  'first_name',
  'last_name',
  'is_staff',
] as const) {
  @ApiPropertyOptional()
  @DrfBooleanField()
  is_active?: boolean;

  @ApiPropertyOptional({ enum: KYC_STATUSES })
  @DrfChoiceField(KYC_STATUSES)
  kyc_status?: (typeof KYC_STATUSES)[number];

  @ApiPropertyOptional({ enum: KYC_STATUSES })
  @DrfChoiceField(KYC_STATUSES)
  status?: (typeof KYC_STATUSES)[number];

  @ApiPropertyOptional({
    nullable: true,
    example: 'GCXETER4MRRY7WNOLIXETD6OZ46P6KGUMOORXF2JCJUXIKBW2BS6GZGA',
  })
  @DrfTextField({ required: false, allowNull: true }, isStellarPublicKey, STELLAR_KEY_MESSAGE)
  public_key?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    example: 'GCXETER4MRRY7WNOLIXETD6OZ46P6KGUMOORXF2JCJUXIKBW2BS6GZGA',
  })
  @DrfTextField({ required: false, allowNull: true }, isStellarPublicKey, STELLAR_KEY_MESSAGE)
  signer_key?: string | null;

  @ApiPropertyOptional({ nullable: true, example: 'br' })
  @DrfTextField(
    { required: false, allowNull: true },
    (v) => /^[A-Za-z]{2}$/.test(v),
    COUNTRY_MESSAGE,
  )
  country_code?: string | null;

  @ApiPropertyOptional()
  @DrfBooleanField()
  has_deposited?: boolean;

  @ApiPropertyOptional({ description: 'Account provider id.' })
  @DrfPrimaryKeyField()
  account_provider?: number;
}
