import { DrfCharField } from '../../common/validation/drf-fields';

/** SimpleJWT's TokenObtainPairSerializer with USERNAME_FIELD = email (seed 004). */
export class TokenObtainDto {
  @DrfCharField()
  email: string;

  @DrfCharField({ trimWhitespace: false })
  password: string;
}
