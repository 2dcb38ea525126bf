import { ApiProperty } from '@nestjs/swagger';
import { DrfCharField } from '../../../dialects/drf/drf-fields';

export class TokenVerifyDto {
  @ApiProperty({ description: 'User token.', example: 'eyJ0eXAiOi.JKV1QiLCJhbGc.iOiJIUzI1N' })
  @DrfCharField()
  token: string;
}
