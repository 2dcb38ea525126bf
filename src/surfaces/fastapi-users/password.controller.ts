import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EmailAcceptedDocs } from './fastapi-users.docs';
import { EmailBodyDto } from './dto/users.dto';
import { Public } from '../../access/access.decorators';
import { SurfaceDialect } from '../../dialects/dialect.decorators';
import { FastapiUsersErrorCode, fastapiUsersErrors } from './fastapi-users.errors';
import { FastApiBody } from '../../dialects/fastapi/fastapi-body';
import { DOC_TAGS } from '../../docs/docs.setup';
import { FastApiResponse, fieldsRequired, namedExamples, NULL_BODY } from '../../docs/responses';
import { ResetPasswordDto } from './dto/reset.dto';
import { FastapiUsersPasswordService } from '../../password/fastapi-users-password.service';
import { Throttled } from '../../throttling/throttle-scopes';

/** Seed 001 — fastapi-users' reset-password router. */
@ApiTags(DOC_TAGS.kyc.name)
@Controller()
@SurfaceDialect(
  'fastapi',
  fastapiUsersErrors({
    'token:invalid': FastapiUsersErrorCode.RESET_PASSWORD_BAD_TOKEN,
    'password:password_invalid': FastapiUsersErrorCode.RESET_PASSWORD_INVALID_PASSWORD,
  }),
)
@Public()
export class FastapiUsersPasswordController {
  constructor(private readonly passwords: FastapiUsersPasswordService) {}

  @Throttled('mail', { account: ['email'] })
  @Post('auth/forgot-password')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Forgot Password',
    description:
      'Mails a password-reset token (and a link to `FRONTEND_URL/reset-password?token=…`) to an active user. ' +
      'The answer is the same for unknown addresses, which get no mail.',
  })
  @EmailAcceptedDocs()
  async forgotPassword(@FastApiBody() body: EmailBodyDto): Promise<null> {
    await this.passwords.forgot(body.email);
    return null;
  }

  @Throttled('confirm', { token: ['token'] })
  @Post('auth/reset-password')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Reset Password',
    description:
      'Sets a new password with the token mailed by /auth/forgot-password; the token then stops working.',
  })
  @ApiBody({
    type: ResetPasswordDto,
    examples: namedExamples({
      'The mailed token and a new password': {
        token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…',
        password: 'a-new-secret-password',
      },
    }),
  })
  @ApiOkResponse({
    description: 'Successful Response',
    schema: NULL_BODY,
    examples: namedExamples({ 'Password reset': null }),
  })
  @FastApiResponse(
    400,
    'Bad token (invalid, expired, used, or of an inactive user), or a password the validators refuse',
    {
      RESET_PASSWORD_BAD_TOKEN: { detail: 'RESET_PASSWORD_BAD_TOKEN' },
      RESET_PASSWORD_INVALID_PASSWORD: {
        detail: {
          code: 'RESET_PASSWORD_INVALID_PASSWORD',
          reason: 'This password is too short. It must contain at least 8 characters.',
        },
      },
    },
  )
  @FastApiResponse(422, 'Validation Error', {
    'Missing required fields': fieldsRequired('token', 'password'),
  })
  async resetPassword(@FastApiBody() body: ResetPasswordDto): Promise<null> {
    await this.passwords.reset(body.token, body.password);
    return null;
  }
}
