import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { User } from '../accounts/user.entity';
import { Authenticated, Public } from '../common/auth/access.decorators';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { DOC_TAGS } from '../docs/docs.setup';
import { PasswordChangeDto } from './dto/password-change.dto';
import { PasswordResetConfirmDto, PasswordResetDto } from './dto/password-reset.dto';
import { PasswordService } from './password.service';

const VALIDATOR_ERRORS = {
  new_password2: [
    'This password is too short. It must contain at least 8 characters.',
    'This password is too common.',
    'This password is entirely numeric.',
  ],
};

/** dj-rest-auth's password views (DRF dialect), as seed 003 lists them. */
@ApiTags(DOC_TAGS.dcorpo.name)
@Controller()
export class RestAuthPasswordController {
  constructor(private readonly passwords: PasswordService) {}

  @Post('auth/password/reset')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Request a password reset e-mail (parameters: email)',
    description:
      'Mails a link to FRONTEND_URL carrying `uid` and `token`. The answer is the same whether the address belongs to a user or not.',
  })
  @ApiOkResponse({ schema: { example: { detail: 'Password reset e-mail has been sent.' } } })
  @ApiBadRequestResponse({ schema: { example: { email: ['Enter a valid email address.'] } } })
  async reset(@Body() body: PasswordResetDto) {
    await this.passwords.requestReset(body.email);
    return { detail: 'Password reset e-mail has been sent.' };
  }

  @Post('auth/password/reset/confirm')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Set a new password with the uid and token of the e-mail',
    description:
      'uid and token are sent in email after calling /auth/password/reset/. A link works once: the new password invalidates it.',
  })
  @ApiOkResponse({
    schema: { example: { detail: 'Password has been reset with the new password.' } },
  })
  @ApiBadRequestResponse({
    description: 'A bad uid, a bad or used token, passwords that differ or fail the validators',
    schema: {
      oneOf: [
        { example: { uid: ['Invalid value'] } },
        { example: { token: ['Invalid value'] } },
        { example: { new_password2: ['The two password fields didn’t match.'] } },
        { example: VALIDATOR_ERRORS },
      ],
    },
  })
  async confirmReset(@Body() body: PasswordResetConfirmDto) {
    await this.passwords.confirmReset(body.uid, body.token, body.new_password1, body.new_password2);
    return { detail: 'Password has been reset with the new password.' };
  }

  @Post(['auth/password/change', 'auth/password/reset/change'])
  @Authenticated()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Change the password (parameters: old_password, new_password1, new_password2)',
    description:
      'With LOGOUT_ON_PASSWORD_CHANGE (default on) the user’s refresh tokens are blacklisted and Token keys revoked; a "password changed" mail is sent.',
  })
  @ApiOkResponse({ schema: { example: { detail: 'New password has been saved.' } } })
  @ApiBadRequestResponse({
    schema: {
      oneOf: [
        {
          example: {
            old_password: ['Your old password was entered incorrectly. Please enter it again.'],
          },
        },
        { example: { new_password2: ['The two password fields didn’t match.'] } },
        { example: VALIDATOR_ERRORS },
      ],
    },
  })
  async change(@CurrentUser() user: User, @Body() body: PasswordChangeDto) {
    await this.passwords.change(user, body.old_password, body.new_password1, body.new_password2);
    return { detail: 'New password has been saved.' };
  }
}
