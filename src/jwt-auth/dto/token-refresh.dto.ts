import { DrfCharField } from '../../common/validation/drf-fields';

export class TokenRefreshDto {
  @DrfCharField()
  refresh: string;
}
