import { HttpStatus } from '@nestjs/common';
import { type DomainError, LoginRefused } from '../../problems/domain.errors';
import { DrfException } from '../../problems/drf.exception';
import { NO_ACTIVE_ACCOUNT_BODY } from '../../jwt-auth/token-error';

/**
 * SimpleJWT's TokenObtainSerializer: every refused login — wrong password,
 * unknown, inactive or blocked user — is one 401. (Token errors already carry
 * SimpleJWT's message and code.) djoser's JWT views are SimpleJWT's, so it shares this.
 */
export function simpleJwtErrors(error: DomainError): DrfException | undefined {
  if (error instanceof LoginRefused) {
    return DrfException.detail(HttpStatus.UNAUTHORIZED, NO_ACTIVE_ACCOUNT_BODY.detail);
  }
  return undefined;
}
