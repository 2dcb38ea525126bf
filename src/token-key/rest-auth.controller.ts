import { Body, Controller, Get, Headers, HttpCode, Patch, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiUnauthorizedResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { User } from '../accounts/user.entity';
import { Authenticated, Public } from '../common/auth/access.decorators';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { DOC_TAGS } from '../docs/docs.setup';
import { RegisterDto } from '../registration/dto/register.dto';
import { RegistrationService } from '../registration/registration.service';
import { JwtAuthService } from '../jwt-auth/jwt-auth.service';
import { INVALID_TOKEN_BODY } from '../jwt-auth/token-error';
import { TokenRefreshDto } from '../jwt-auth/dto/token-refresh.dto';
import { TokenVerifyDto } from '../jwt-auth/dto/token-verify.dto';
import { PasswordChangeDto } from '../password/dto/password-change.dto';
import { RestAuthLoginDto } from './dto/rest-auth-login.dto';
import { UserDetailsPatchDto, UserDetailsPutDto } from './dto/user-details.dto';
import { RestAuthService, userDetails } from './rest-auth.service';

const KEY_EXAMPLE = { key: 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0' };
const USER_EXAMPLE = {
  pk: 1,
  username: 'testu1',
  email: 'testu1@example.com',
  first_name: 'Test',
  last_name: 'User',
};

/** dj-rest-auth's views (DRF dialect): seed 002's wrapper integration, shared with seed 003. */
@ApiTags(DOC_TAGS.wrapper.name)
@Controller()
export class RestAuthController {
  constructor(
    private readonly auth: RestAuthService,
    private readonly registration: RegistrationService,
    private readonly jwtAuth: JwtAuthService,
  ) {}

  @Post('auth/registration')
  @Public()
  @ApiOperation({
    summary: 'Step 1: Register a New User',
    description:
      'When registration succeeds, you receive the authentication token (REST_AUTH_TOKEN decides key, JWT, or both).',
  })
  @ApiBody({
    type: RegisterDto,
    examples: {
      'seed 002': {
        summary: "The wrapper integration's sample",
        value: {
          full_name: 'testU1',
          email: 'testu1@example.com',
          password: 'test1234',
          confirm_password: 'test1234',
          subscribe: true,
          password1: 'test@1291',
          password2: 'test@1291',
        },
      },
      'seed 003': {
        summary: "dcorpo's parameters",
        value: {
          username: 'testu1',
          email: 'testu1@example.com',
          password1: 'test@1291',
          password2: 'test@1291',
        },
      },
    },
  })
  @ApiCreatedResponse({ schema: { example: KEY_EXAMPLE } })
  @ApiBadRequestResponse({ schema: { example: { email: ['Email address already in use'] } } })
  async register(@Body() body: RegisterDto) {
    return this.auth.tokensFor(await this.registration.register(body));
  }

  @Post('auth/login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Step 2: Login an Existing User' })
  @ApiBody({
    type: RestAuthLoginDto,
    examples: {
      'seed 002': { value: { email: 'testu1@example.com', password: 'SecurePassword123!' } },
      'seed 003': { value: { username: 'testu1', password: 'SecurePassword123!' } },
    },
  })
  @ApiOkResponse({ schema: { example: KEY_EXAMPLE } })
  @ApiBadRequestResponse({
    description: 'Invalid credentials, or a blocked account',
    schema: {
      oneOf: [
        { example: { non_field_errors: ['Unable to log in with provided credentials.'] } },
        {
          example: { non_field_errors: ['Your account has been blocked. Please contact support.'] },
        },
      ],
    },
  })
  login(@Body() body: RestAuthLoginDto) {
    return this.auth.login(body.email || body.username, body.password);
  }

  @Post('auth/logout')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Log out',
    description:
      'Revokes the Token key of the Authorization header and blacklists the `refresh` token of the body, if given. Needs no authentication.',
  })
  @ApiOkResponse({ schema: { example: { detail: 'Successfully logged out.' } } })
  logout(@Headers('authorization') authorization: string | undefined, @Body() body: unknown) {
    const refresh =
      body && typeof body === 'object' ? (body as { refresh?: unknown }).refresh : undefined;
    return this.auth.logout(authorization, refresh);
  }

  @Post(['auth/password/change', 'auth/password/reset/change'])
  @Authenticated()
  @HttpCode(200)
  @ApiTags(DOC_TAGS.dcorpo.name)
  @ApiOperation({ summary: 'Change the password (old_password, new_password1, new_password2)' })
  @ApiOkResponse({ schema: { example: { detail: 'New password has been saved.' } } })
  @ApiBadRequestResponse({
    schema: {
      example: {
        old_password: ['Your old password was entered incorrectly. Please enter it again.'],
      },
    },
  })
  changePassword(@CurrentUser() user: User, @Body() body: PasswordChangeDto) {
    return this.auth.changePassword(
      user,
      body.old_password,
      body.new_password1,
      body.new_password2,
    );
  }

  @Get('auth/user')
  @Authenticated()
  @ApiTags(DOC_TAGS.dcorpo.name)
  @ApiOperation({ summary: 'User details: pk, username, email, first_name, last_name' })
  @ApiOkResponse({ schema: { example: USER_EXAMPLE } })
  details(@CurrentUser() user: User) {
    return userDetails(user);
  }

  @Put('auth/user')
  @Authenticated()
  @ApiTags(DOC_TAGS.dcorpo.name)
  @ApiOperation({
    summary: 'Replace the user details (username, first_name, last_name; email is read-only)',
  })
  @ApiOkResponse({ schema: { example: USER_EXAMPLE } })
  replaceDetails(@CurrentUser() user: User, @Body() body: UserDetailsPutDto) {
    return this.auth.updateDetails(user, body);
  }

  @Patch('auth/user')
  @Authenticated()
  @ApiTags(DOC_TAGS.dcorpo.name)
  @ApiOperation({ summary: 'Change some user details' })
  @ApiOkResponse({ schema: { example: USER_EXAMPLE } })
  patchDetails(@CurrentUser() user: User, @Body() body: UserDetailsPatchDto) {
    return this.auth.updateDetails(user, body);
  }

  @Post('auth/token/verify')
  @Public()
  @HttpCode(200)
  @ApiTags(DOC_TAGS.dcorpo.name)
  @ApiOperation({ summary: 'Verify a token: an empty JSON object when valid' })
  @ApiOkResponse({ schema: { type: 'object', example: {} } })
  @ApiUnauthorizedResponse({
    schema: { example: INVALID_TOKEN_BODY },
  })
  async verifyToken(@Body() body: TokenVerifyDto): Promise<Record<string, never>> {
    await this.jwtAuth.verify(body.token);
    return {};
  }

  @Post('auth/token/refresh')
  @Public()
  @HttpCode(200)
  @ApiTags(DOC_TAGS.dcorpo.name)
  @ApiOperation({ summary: 'A new access token and its expiration from a refresh token' })
  @ApiOkResponse({
    schema: {
      example: { access: 'eyJ0eXAiOi…', access_token_expiration: '2026-11-22T21:10:48.857000Z' },
    },
  })
  @ApiUnauthorizedResponse({
    schema: { example: INVALID_TOKEN_BODY },
  })
  refreshToken(@Body() body: TokenRefreshDto) {
    return this.auth.refresh(body.refresh);
  }

  @Get('authentication/user')
  @Authenticated()
  @ApiOperation({ summary: 'Step 3: Using the Authentication Token (user details)' })
  @ApiOkResponse({
    schema: {
      example: {
        pk: 1,
        username: 'testu1',
        email: 'testu1@example.com',
        first_name: 'testU1',
        last_name: '',
      },
    },
  })
  user(@CurrentUser() user: User) {
    return userDetails(user);
  }
}
