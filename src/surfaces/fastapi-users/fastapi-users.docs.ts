import { applyDecorators } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody } from '@nestjs/swagger';
import { FastApiResponse, fieldsRequired, namedExamples, NULL_BODY } from '../../docs/responses';
import { EmailBodyDto } from './dto/users.dto';

/**
 * fastapi-users' "mail me a token" routes (forgot-password, request-verify-token):
 * an `{email}` body, 202 `null` for every address, 422 without one.
 */
export function EmailAcceptedDocs(): MethodDecorator {
  return applyDecorators(
    ApiBody({
      type: EmailBodyDto,
      examples: namedExamples({ 'An address': { email: 'user@example.com' } }),
    }),
    ApiAcceptedResponse({
      description: 'Accepted: the same answer for every address',
      schema: NULL_BODY,
      examples: namedExamples({ Accepted: null }),
    }),
    FastApiResponse(422, 'Validation Error', {
      'Missing required field': fieldsRequired('email'),
    }),
  );
}
