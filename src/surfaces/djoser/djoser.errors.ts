import { HttpStatus } from '@nestjs/common';
import { type DomainError, FieldErrors } from '../../problems/domain.errors';
import { DrfException } from '../../problems/drf.exception';
import {
  ActivationNotResentError,
  CannotCreateUserError,
  DjoserEmailNotFoundError,
  StaleActivationError,
} from '../../registration/djoser-users.service';

/** Where djoser's serializers word a store's field error differently. */
const FIELD_WORDING = { 'email:unique': 'user with this email address already exists.' };

/** djoser's answers to the domain errors its UserViewSet meets. */
export function djoserErrors(error: DomainError): DrfException | undefined {
  if (error instanceof FieldErrors) return DrfException.fields(error.messages(FIELD_WORDING));
  if (error instanceof StaleActivationError) {
    return DrfException.detail(HttpStatus.FORBIDDEN, error.message);
  }
  // resend_activation's `Response(status=400)`: no body.
  if (error instanceof ActivationNotResentError) {
    return new DrfException(HttpStatus.BAD_REQUEST, undefined);
  }
  // Raised in save() or the view's get_user, outside is_valid: DRF renders the bare list.
  if (error instanceof CannotCreateUserError || error instanceof DjoserEmailNotFoundError) {
    return new DrfException(HttpStatus.BAD_REQUEST, [error.message]);
  }
  return undefined;
}
