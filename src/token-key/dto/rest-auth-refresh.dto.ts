import { ApiPropertyOptional } from '@nestjs/swagger';
import { DrfCharField } from '../../common/validation/drf-fields';

/** dj-rest-auth's CookieTokenRefreshSerializer: `refresh` may come from the refresh cookie instead. */
export class RestAuthRefreshDto {
  @ApiPropertyOptional({
    description: 'The refresh token; optional in cookie mode, where the refresh cookie is used.',
    example: 'eyJ0eXAiOi.JKV1QiLCJhbGc.iOiJIUzI1N',
  })
  @DrfCharField({ required: false })
  refresh?: string;
}
