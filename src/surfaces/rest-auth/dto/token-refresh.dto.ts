import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DrfCharField } from '../../../dialects/drf/drf-fields';

/** dj-rest-auth's CookieTokenRefreshSerializer: `refresh` may come from the refresh cookie instead. */
export class RestAuthRefreshDto {
  @ApiPropertyOptional({
    description: 'The refresh token; optional in cookie mode, where the refresh cookie is used.',
    example: 'eyJ0eXAiOi.JKV1QiLCJhbGc.iOiJIUzI1N',
  })
  @DrfCharField({ required: false })
  refresh?: string;
}

/** dj-rest-auth's refresh answer: SimpleJWT's, plus when the new access token expires. */
export class RestAuthRefreshResultDto {
  @ApiProperty({ description: 'A new access token', example: 'eyJhbGciOiJIUzI1NiIs…' })
  access: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T21:10:48.857000Z' })
  access_token_expiration: string;

  @ApiPropertyOptional({
    description: 'A new refresh token, when ROTATE_REFRESH_TOKENS is on',
    example: 'eyJhbGciOiJIUzI1NiIs…',
  })
  refresh?: string;
}
