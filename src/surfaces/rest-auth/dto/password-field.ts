import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { DrfCharField } from '../../../dialects/drf/drf-fields';

/** A password field of Django's password forms: kept as typed (no trimming), at most 128 characters. */
export const PasswordField = (example: string) =>
  applyDecorators(
    ApiProperty({ format: 'password', example }),
    DrfCharField({ trimWhitespace: false, maxLength: 128 }),
  );
