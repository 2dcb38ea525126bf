import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DrfCharField } from '../../../common/validation/drf-fields';

export class TokenRefreshDto {
  @ApiProperty({
    description: 'User refresh token.',
    example: 'eyJ0eXAiOi.JKV1QiLCJhbGc.iOiJIUzI1N',
  })
  @DrfCharField()
  refresh: string;
}

export class TokenRefreshResultDto {
  @ApiProperty({ example: 'eyJ0eXAiOi.JKV1QiLCJhbGc.iOiJIUzI1N' })
  access: string;

  @ApiPropertyOptional({ description: 'Only when ROTATE_REFRESH_TOKENS is on.' })
  refresh?: string;
}
