import { DrfCharField } from '../../common/validation/drf-fields';

export class TokenVerifyDto {
  @DrfCharField()
  token: string;
}
