import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorators';
import { DOC_TAGS } from '../docs/docs.setup';
import { ResendEmailDto, VerifyEmailDto } from './dto/email-confirmation.dto';
import { EmailConfirmationService } from './email-confirmation.service';

/** dj-rest-auth's registration app (DRF dialect): e-mail confirmation, as seed 003 lists it. */
@ApiTags(DOC_TAGS.dcorpo.name)
@Controller('auth/registration')
export class RestAuthRegistrationController {
  constructor(private readonly confirmations: EmailConfirmationService) {}

  @Post('verify-email')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm an e-mail address (parameters: key)',
    description: 'The key comes from the link of the verification mail; it works once.',
  })
  @ApiOkResponse({ schema: { example: { detail: 'ok' } } })
  @ApiNotFoundResponse({
    description: 'A forged, expired or already used key',
    schema: { example: { detail: 'Not found.' } },
  })
  async verifyEmail(@Body() body: VerifyEmailDto) {
    await this.confirmations.confirm(body.key);
    return { detail: 'ok' };
  }

  @Post('resend-email')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send the verification e-mail again (parameters: email)',
    description:
      'The same answer for any address; a mail goes out only to an unconfirmed address, at most once per RESEND_EMAIL_INTERVAL.',
  })
  @ApiOkResponse({ schema: { example: { detail: 'ok' } } })
  async resendEmail(@Body() body: ResendEmailDto) {
    await this.confirmations.resend(body.email);
    return { detail: 'ok' };
  }
}
