import { applyDecorators, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { User } from '../../accounts/user.entity';
import { Authenticated, Public } from '../../access/access.decorators';
import { CurrentUser } from '../../access/current-user.decorator';
import { DOC_TAGS } from '../../docs/docs.setup';
import { DrfResponse, drfFieldsRequired, namedExamples } from '../../docs/responses';
import { PasswordChangeDto } from './dto/password-change.dto';
import { PasswordResetConfirmDto, PasswordResetDto } from './dto/password-reset.dto';
import { PasswordService } from '../../password/password.service';
import { RestAuthSurface } from './rest-auth.errors';
import { Throttled } from '../../throttling/throttle-scopes';
import { PasswordChangeView, PasswordResetConfirmView, PasswordResetView } from './rest-auth.views';

const VALIDATOR_ERRORS = {
  new_password2: [
    'This password is too short. It must contain at least 8 characters.',
    'This password is too common.',
    'This password is entirely numeric.',
  ],
};
const PASSWORDS_DIFFER = { new_password2: ['The two password fields didn’t match.'] };
const SAVED = { detail: 'New password has been saved.' };

/** Both paths of the password change answer alike; only the summary tells them apart. */
const PasswordChangeDocs = (summary: string) =>
  applyDecorators(
    ApiOperation({
      summary,
      description:
        '### Parameters:\n- old_password\n- new_password1\n- new_password2\n\n' +
        'With `LOGOUT_ON_PASSWORD_CHANGE` (default on) the user’s refresh tokens are blacklisted and Token keys ' +
        'revoked; a "password changed" mail is sent.',
    }),
    ApiBody({
      type: PasswordChangeDto,
      examples: namedExamples({
        Parameters: {
          old_password: 'SecurePassword123!',
          new_password1: 'N3w-passw0rd!',
          new_password2: 'N3w-passw0rd!',
        },
      }),
    }),
    DrfResponse(200, 'The new password is saved', { Saved: SAVED }),
    DrfResponse(400, 'A wrong old password, passwords that differ or fail the validators', {
      'Wrong old password': {
        old_password: ['Your old password was entered incorrectly. Please enter it again.'],
      },
      'Passwords differ': PASSWORDS_DIFFER,
      'Refused by the validators': VALIDATOR_ERRORS,
    }),
  );

/** dj-rest-auth's password views (DRF dialect), as seed 003 lists them. */
@ApiTags(DOC_TAGS.dcorpo.name)
@RestAuthSurface()
@Controller()
export class RestAuthPasswordController {
  constructor(private readonly passwords: PasswordService) {}

  @Throttled('mail', { account: ['email'] })
  @PasswordResetView()
  @Post('auth/password/reset/')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Request a password reset e-mail',
    description:
      '### Parameters:\n- email\n\n' +
      'Mails a link to `FRONTEND_URL` carrying `uid` and `token`. The answer is the same whether the address ' +
      'belongs to a user or not.',
  })
  @ApiBody({
    type: PasswordResetDto,
    examples: namedExamples({ Parameters: { email: 'testu1@example.com' } }),
  })
  @DrfResponse(200, 'Always the same answer', {
    Sent: { detail: 'Password reset e-mail has been sent.' },
  })
  @DrfResponse(400, 'Not an e-mail address', {
    'Invalid address': { email: ['Enter a valid email address.'] },
  })
  async reset(@Body() body: PasswordResetDto) {
    await this.passwords.requestReset(body.email);
    return { detail: 'Password reset e-mail has been sent.' };
  }

  @Throttled('confirm', { token: ['uid', 'token'] })
  @PasswordResetConfirmView()
  @Post('auth/password/reset/confirm/')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm a password reset',
    description:
      '### Parameters:\n- uid\n- token\n- new_password1\n- new_password2\n\n' +
      '> **Note** uid and token are sent in email after calling /auth/password/reset/\n\n' +
      'A link works once: the new password invalidates it.',
  })
  @ApiBody({
    type: PasswordResetConfirmDto,
    examples: namedExamples({
      Parameters: {
        uid: 'b',
        token: 'cvs5z6-0c3cb4b5fd8b4a4d2d1a8a6e2a5b0f1e',
        new_password1: 'N3w-passw0rd!',
        new_password2: 'N3w-passw0rd!',
      },
    }),
  })
  @DrfResponse(200, 'The password is reset', {
    Reset: { detail: 'Password has been reset with the new password.' },
  })
  @DrfResponse(
    400,
    'A bad uid, a bad or used token, passwords that differ or fail the validators',
    {
      'Bad uid': { uid: ['Invalid value'] },
      'Bad or used token': { token: ['Invalid value'] },
      'Passwords differ': PASSWORDS_DIFFER,
      'Refused by the validators': VALIDATOR_ERRORS,
      'Missing fields': drfFieldsRequired('uid', 'token', 'new_password1', 'new_password2'),
    },
  )
  async confirmReset(@Body() body: PasswordResetConfirmDto) {
    await this.passwords.confirmReset(body.uid, body.token, body.new_password1, body.new_password2);
    return { detail: 'Password has been reset with the new password.' };
  }

  @Throttled('login', { user: true })
  @PasswordChangeView()
  @Post('auth/password/reset/change/')
  @Authenticated()
  @HttpCode(200)
  @PasswordChangeDocs('Change the password')
  resetChange(@CurrentUser() user: User, @Body() body: PasswordChangeDto) {
    return this.changePassword(user, body);
  }

  /** dj-rest-auth's own path for the change; seed 003 writes it under reset/. */
  @Throttled('login', { user: true })
  @PasswordChangeView()
  @Post('auth/password/change/')
  @Authenticated()
  @HttpCode(200)
  @PasswordChangeDocs("Change the password (dj-rest-auth's path)")
  change(@CurrentUser() user: User, @Body() body: PasswordChangeDto) {
    return this.changePassword(user, body);
  }

  private async changePassword(user: User, body: PasswordChangeDto) {
    await this.passwords.change(user, body.old_password, body.new_password1, body.new_password2);
    return SAVED;
  }
}
