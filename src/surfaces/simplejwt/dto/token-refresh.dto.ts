import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DrfCharField, DrfFieldInfo } from '../../../dialects/drf/drf-fields';

export class TokenRefreshDto {
  @ApiProperty({
    description: 'User refresh token.',
    example: 'eyJ0eXAiOi.JKV1QiLCJhbGc.iOiJIUzI1N',
  })
  @DrfCharField()
  refresh: string;

  /** SimpleJWT's TokenRefreshSerializer declares the answer's field too (read-only). */
  @DrfFieldInfo({ type: 'string', required: false, readOnly: true })
  access?: string;
}

export class TokenRefreshResultDto {
  @ApiProperty({ example: 'eyJ0eXAiOi.JKV1QiLCJhbGc.iOiJIUzI1N' })
  access: string;

  @ApiPropertyOptional({ description: 'Only when ROTATE_REFRESH_TOKENS is on.' })
  refresh?: string;
}
