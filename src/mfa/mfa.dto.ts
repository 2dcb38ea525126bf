import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DrfCharField } from '../dialects/drf/drf-fields';
import { PydanticBody, PydanticStr } from '../dialects/fastapi/pydantic-fields';

// The request bodies of `<me>/mfa/`, one class per dialect (DRF serializer,
// pydantic model): the validation errors are each library's own.

const CODE = {
  description:
    'A 6-digit code from the authenticator app (or, where a code proves you, a recovery code)',
  example: '123456',
};
const PASSWORD = {
  description: 'Your account password',
  format: 'password',
  example: 'S3cret-pass',
};

export class MfaCodeDto {
  @ApiProperty(CODE)
  @DrfCharField({ maxLength: 64 })
  code: string;
}

export class MfaDisableDto {
  @ApiPropertyOptional(PASSWORD)
  @DrfCharField({ required: false, trimWhitespace: false, maxLength: 128 })
  password?: string;

  @ApiPropertyOptional(CODE)
  @DrfCharField({ required: false, maxLength: 64 })
  code?: string;
}

@PydanticBody('model')
export class MfaCodeModel {
  @ApiProperty(CODE)
  @PydanticStr({ maxLength: 64 })
  code: string;
}

@PydanticBody('model')
export class MfaDisableModel {
  @ApiPropertyOptional(PASSWORD)
  @PydanticStr({ required: false, maxLength: 128 })
  password?: string;

  @ApiPropertyOptional(CODE)
  @PydanticStr({ required: false, maxLength: 64 })
  code?: string;
}
