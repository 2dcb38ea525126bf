import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../access/access.decorators';
import { DOC_TAGS } from '../../docs/docs.setup';
import { DrfResponse, drfFieldsRequired, namedExamples } from '../../docs/responses';
import { ResendEmailDto, VerifyEmailDto } from './dto/email-confirmation.dto';
import { EmailConfirmationService } from '../../registration/email-confirmation.service';
import { RestAuthSurface } from './rest-auth.errors';
import { Throttled } from '../../throttling/throttle-scopes';
import { ResendEmailVerificationView, VerifyEmailView } from './rest-auth.views';

const OK = { ok: { detail: 'ok' } };

/** dj-rest-auth's registration app (DRF dialect): e-mail confirmation, as seed 003 lists it. */
@ApiTags(DOC_TAGS.dcorpo.name)
@RestAuthSurface()
@Controller()
export class RestAuthRegistrationController {
  constructor(private readonly confirmations: EmailConfirmationService) {}

  @Throttled('confirm', { token: ['key'] })
  @VerifyEmailView()
  @Post('auth/registration/verify-email/')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm an e-mail address',
    description:
      '### Parameters:\n- key\n\n' +
      'The key comes from the link of the verification mail (`FRONTEND_URL/verify-email/<key>/`); it works once.',
  })
  @ApiBody({
    type: VerifyEmailDto,
    examples: namedExamples({ Parameters: { key: 'MQ:1vN3aB:8oZ…' } }),
  })
  @DrfResponse(200, 'The address is confirmed', OK)
  @DrfResponse(400, 'No key', { 'Missing field': drfFieldsRequired('key') })
  @DrfResponse(404, 'A forged, expired or already used key', {
    'Unknown key': { detail: 'Not found.' },
  })
  async verifyEmail(@Body() body: VerifyEmailDto) {
    await this.confirmations.confirm(body.key);
    return { detail: 'ok' };
  }

  @Throttled('mail', { account: ['email'] })
  @ResendEmailVerificationView()
  @Post('auth/registration/resend-email/')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send the verification e-mail again',
    description:
      '### Parameters:\n- email\n\n' +
      'The same answer for any address; a mail goes out only to an unconfirmed address, at most once per ' +
      '`RESEND_EMAIL_INTERVAL`.',
  })
  @ApiBody({
    type: ResendEmailDto,
    examples: namedExamples({ Parameters: { email: 'testu1@example.com' } }),
  })
  @DrfResponse(200, 'Always the same answer', OK)
  @DrfResponse(400, 'Not an e-mail address', {
    'Invalid address': { email: ['Enter a valid email address.'] },
  })
  async resendEmail(@Body() body: ResendEmailDto) {
    await this.confirmations.resend(body.email);
    return { detail: 'ok' };
  }
}
