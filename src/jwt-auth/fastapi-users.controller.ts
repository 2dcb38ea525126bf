import { Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiExtension,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { User } from '../accounts/user.entity';
import { Authenticated, Public } from '../common/auth/access.decorators';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { FastApiDialect } from '../common/errors/dialect.decorators';
import { FastApiBody } from '../common/validation/fastapi-body';
import { DOC_TAGS } from '../docs/docs.setup';
import { kycCodeSamples } from '../docs/kyc-samples';
import {
  BearerResponseDto,
  OAuth2PasswordRequestFormDto,
} from './dto/oauth2-password-request-form.dto';
import { FastapiUsersAuthService } from './fastapi-users-auth.service';

/** Seed 001 — the KYC API's login (fastapi-users' auth router: JWT strategy, Bearer transport). */
@ApiTags(DOC_TAGS.kyc.name)
@Controller('auth/jwt')
@FastApiDialect()
export class FastapiUsersController {
  constructor(private readonly auth: FastapiUsersAuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Obtain Access Token',
    description:
      'Exchange your credentials for an access token (OAuth2 password flow), sent as ' +
      '`application/x-www-form-urlencoded`. Include the token in the `Authorization` header of all ' +
      'subsequent requests: `Authorization: Bearer <your_access_token>`. There is no refresh token: ' +
      'when the token expires or becomes invalid, log in again.',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({
    type: OAuth2PasswordRequestFormDto,
    examples: {
      'seed 001': {
        summary: 'The cURL example',
        value: { username: 'user@example.com', password: 'your_secret_password' },
      },
      'with grant_type': {
        summary: 'The Python and JavaScript examples',
        value: {
          username: 'user@example.com',
          password: 'your_secret_password',
          grant_type: 'password',
        },
      },
    },
  })
  @ApiExtension('x-codeSamples', kycCodeSamples('curlLogin', 'python', 'javascript'))
  @ApiOkResponse({ description: 'Successful Response', type: BearerResponseDto })
  @ApiBadRequestResponse({
    description:
      'LOGIN_BAD_CREDENTIALS: wrong login/password or user is inactive. LOGIN_USER_NOT_VERIFIED: user exists but is not verified.',
    content: {
      'application/json': {
        examples: {
          LOGIN_BAD_CREDENTIALS: { value: { detail: 'LOGIN_BAD_CREDENTIALS' } },
          LOGIN_USER_NOT_VERIFIED: { value: { detail: 'LOGIN_USER_NOT_VERIFIED' } },
        },
      },
    },
  })
  @ApiUnprocessableEntityResponse({
    description: 'Validation errors (e.g., missing required fields)',
    schema: {
      example: {
        detail: [
          { type: 'missing', loc: ['body', 'username'], msg: 'Field required', input: null },
          { type: 'missing', loc: ['body', 'password'], msg: 'Field required', input: null },
        ],
      },
    },
  })
  login(@FastApiBody() form: OAuth2PasswordRequestFormDto) {
    return this.auth.login(form.username, form.password);
  }

  @Post('logout')
  @Authenticated({ dialect: 'fastapi' })
  @HttpCode(204)
  @ApiOperation({
    summary: 'Log out',
    description:
      'A JWT cannot be revoked: the client forgets its token. Answers 204 to an authenticated caller.',
  })
  @ApiNoContentResponse({ description: 'Logged out' })
  async logout(@CurrentUser() user: User): Promise<void> {
    await this.auth.logout(user);
  }
}
