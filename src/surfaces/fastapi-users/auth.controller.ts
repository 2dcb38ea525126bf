import { Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiConsumes,
  ApiExtension,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '../../access/auth-scheme';
import type { User } from '../../accounts/user.entity';
import { loginStep } from '../../accounts/login.service';
import { Authenticated, Public } from '../../access/access.decorators';
import { CurrentPrincipal } from '../../access/current-user.decorator';
import { SurfaceDialect } from '../../dialects/dialect.decorators';
import { FastApiBody } from '../../dialects/fastapi/fastapi-body';
import { DOC_TAGS } from '../../docs/docs.setup';
import { LoginBody, MFA_FASTAPI_RESPONSES, MFA_LOGIN_DESCRIPTION } from '../../docs/mfa-login.docs';
import { kycCodeSamples } from './kyc-samples';
import { FastApiResponse, fieldsRequired, namedExamples } from '../../docs/responses';
import {
  BearerResponseDto,
  OAuth2PasswordRequestFormDto,
} from './dto/oauth2-password-request-form.dto';
import { FastapiUsersAuthService } from '../../jwt-auth/fastapi-users-auth.service';
import { Throttled } from '../../throttling/throttle-scopes';

/** Seed 001 — the KYC API's login (fastapi-users' auth router: JWT strategy, Bearer transport). */
@ApiTags(DOC_TAGS.kyc.name)
@Controller()
@SurfaceDialect('fastapi')
export class FastapiUsersController {
  constructor(private readonly auth: FastapiUsersAuthService) {}

  @Throttled('login', { account: ['username'] })
  @Post('auth/jwt/login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Obtain Access Token',
    description:
      'To obtain a token, send a POST request (`Content-Type: application/x-www-form-urlencoded`) with ' +
      '`username` — your assigned login (provided out-of-band): your e-mail — and `password` — your assigned ' +
      'password (provided out-of-band). `grant_type=password` is optional.\n\n' +
      'Once you have the access_token, include it in the Authorization header using the Bearer scheme for ' +
      'all API calls: `Authorization: Bearer <your_access_token>`. There is no refresh token endpoint: when a ' +
      'token expires or becomes invalid, you must obtain a new one by logging in again.' +
      MFA_LOGIN_DESCRIPTION,
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @LoginBody(OAuth2PasswordRequestFormDto, {
    'Example Request (cURL)': { username: 'user@example.com', password: 'your_secret_password' },
    'The Python and JavaScript examples (grant_type)': {
      username: 'user@example.com',
      password: 'your_secret_password',
      grant_type: 'password',
    },
  })
  @ApiExtension('x-codeSamples', kycCodeSamples('curlLogin', 'python', 'javascript'))
  @ApiOkResponse({
    description:
      'Successful Response (200 OK). access_token: the JWT to use for authenticated calls. ' +
      'token_type: always "bearer".',
    type: BearerResponseDto,
    examples: namedExamples({
      'Successful Response': {
        access_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI...',
        token_type: 'bearer',
      },
    }),
  })
  @FastApiResponse(
    400,
    'Bad Request. LOGIN_BAD_CREDENTIALS: wrong login/password or user is inactive. LOGIN_USER_NOT_VERIFIED: user exists but is not verified.',
    {
      LOGIN_BAD_CREDENTIALS: { detail: 'LOGIN_BAD_CREDENTIALS' },
      LOGIN_USER_NOT_VERIFIED: { detail: 'LOGIN_USER_NOT_VERIFIED' },
      ...MFA_FASTAPI_RESPONSES,
    },
  )
  @FastApiResponse(422, 'Unprocessable Entity: validation errors (e.g., missing required fields)', {
    'Missing required fields': fieldsRequired('username', 'password'),
  })
  login(@FastApiBody() form: OAuth2PasswordRequestFormDto) {
    return this.auth.authenticate(loginStep(form, form.username, form.password));
  }

  @Post('auth/jwt/logout')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Logout',
    description:
      "fastapi-users' JWT logout (beyond the document): answers 204 to an authenticated caller and ends " +
      'the session of its token, so the token is refused from then on, on every instance.',
  })
  @ApiNoContentResponse({ description: 'Logged out' })
  async logout(@CurrentPrincipal() principal: Principal<User>): Promise<void> {
    await this.auth.logout(principal);
  }
}
