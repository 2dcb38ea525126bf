import { SurfaceDialect } from '../../dialects/dialect.decorators';
import {
  type DomainError,
  FieldErrors,
  LoginRefused,
  type LoginRefusal,
  NON_FIELD,
} from '../../problems/domain.errors';
import { DrfException } from '../../problems/drf.exception';
import { DrfOptions } from '../../dialects/drf/drf-metadata';

/**
 * dj-rest-auth's LoginSerializer: wrong password, unknown or inactive user get one
 * answer (DESIGN.md: an inactive user is refused like a wrong password); a blocked
 * user with the right password is told so (seed 002); allauth's mandatory
 * verification refuses an unconfirmed address.
 */
const LOGIN_REFUSALS: Record<LoginRefusal, string> = {
  bad_credentials: 'Unable to log in with provided credentials.',
  inactive: 'Unable to log in with provided credentials.',
  blocked: 'Your account has been blocked. Please contact support.',
  unverified: 'E-mail is not verified.',
};

/** dj-rest-auth's words for a refused login (the dashboard's form shows them too). */
export function loginRefusalMessage(error: LoginRefused): string {
  return LOGIN_REFUSALS[error.reason];
}

/** Where dj-rest-auth (with allauth) words a field error differently from Gatehouse's store. */
const FIELD_WORDING = { 'email:unique': 'Email address already in use' };

/** dj-rest-auth's answers to the domain errors its views meet. */
export function restAuthErrors(error: DomainError): DrfException | undefined {
  if (error instanceof LoginRefused) {
    return DrfException.fields({ [NON_FIELD]: [loginRefusalMessage(error)] });
  }
  if (error instanceof FieldErrors) return DrfException.fields(error.messages(FIELD_WORDING));
  return undefined;
}

/** The dj-rest-auth surface's dialect and wording, declared once for its controllers. */
export const RestAuthSurface =
  (): ClassDecorator =>
  (target): void => {
    SurfaceDialect('drf', restAuthErrors)(target);
    DrfOptions()(target);
  };
