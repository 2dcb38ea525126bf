import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Patch,
  Post,
  Put,
  Req,
  Res,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
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
import { JwtCookieService } from '../jwt-auth/jwt-cookie.service';
import { INVALID_TOKEN_BODY } from '../jwt-auth/token-error';
import { TokenVerifyDto } from '../jwt-auth/dto/token-verify.dto';
import { RestAuthLoginDto } from './dto/rest-auth-login.dto';
import { RestAuthRefreshDto } from './dto/rest-auth-refresh.dto';
import { UserDetailsPatchDto, UserDetailsPutDto } from './dto/user-details.dto';
import { RestAuthService } from './rest-auth.service';

const KEY_EXAMPLE = { key: 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0' };
const JWT_LOGIN_EXAMPLE = {
  access_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…',
  refresh_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…',
  user: {
    pk: 1,
    username: 'testu1',
    email: 'testu1@example.com',
    first_name: 'Test',
    last_name: 'User',
  },
};
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
    private readonly cookies: JwtCookieService,
  ) {}

  @Post('auth/registration')
  @Public()
  @ApiTags(DOC_TAGS.dcorpo.name)
  @ApiOperation({
    summary: 'Step 1: Register a New User',
    description:
      'When registration succeeds, you receive the authentication token (REST_AUTH_TOKEN decides key, JWT, or both). ' +
      'Unless EMAIL_VERIFICATION=none a verification e-mail is sent; with EMAIL_VERIFICATION=mandatory the answer is only `{"detail": "Verification e-mail sent."}` and login waits for the confirmation.',
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
  @ApiCreatedResponse({
    schema: {
      oneOf: [
        { example: KEY_EXAMPLE },
        { example: { ...KEY_EXAMPLE, ...JWT_LOGIN_EXAMPLE } },
        { example: { detail: 'Verification e-mail sent.' } },
      ],
    },
  })
  @ApiBadRequestResponse({
    schema: {
      oneOf: [
        { example: { email: ['Email address already in use'] } },
        { example: { username: ['A user with that username already exists.'] } },
        { example: { non_field_errors: ["The two password fields didn't match."] } },
        {
          example: {
            password1: [
              'This password is too short. It must contain at least 8 characters.',
              'This password is too common.',
              'This password is entirely numeric.',
            ],
          },
        },
      ],
    },
  })
  async register(@Body() body: RegisterDto) {
    return this.auth.registered(await this.registration.register(body));
  }

  @Post('auth/login')
  @Public()
  @HttpCode(200)
  @ApiTags(DOC_TAGS.dcorpo.name)
  @ApiOperation({
    summary: 'Step 2: Login an Existing User',
    description:
      'Returns access_token, refresh_token and user (dcorpo), and/or key (wrapper), as REST_AUTH_TOKEN decides. In cookie mode (JWT_AUTH_COOKIE) the tokens are also set as HttpOnly cookies.',
  })
  @ApiBody({
    type: RestAuthLoginDto,
    examples: {
      'seed 002': { value: { email: 'testu1@example.com', password: 'SecurePassword123!' } },
      'seed 003': { value: { username: 'testu1', password: 'SecurePassword123!' } },
    },
  })
  @ApiOkResponse({
    schema: {
      oneOf: [{ example: KEY_EXAMPLE }, { example: { ...KEY_EXAMPLE, ...JWT_LOGIN_EXAMPLE } }],
    },
  })
  @ApiBadRequestResponse({
    description:
      'Invalid credentials, a blocked account, or an unconfirmed e-mail (mandatory verification)',
    schema: {
      oneOf: [
        { example: { non_field_errors: ['Unable to log in with provided credentials.'] } },
        {
          example: { non_field_errors: ['Your account has been blocked. Please contact support.'] },
        },
        { example: { non_field_errors: ['E-mail is not verified.'] } },
        { example: { non_field_errors: ['Must include "username" and "password".'] } },
      ],
    },
  })
  async login(
    @Body() body: RestAuthLoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const tokens = await this.auth.login(body.email || body.username, body.password);
    this.cookies.setTokens(request, reply, {
      access: tokens.access_token,
      refresh: tokens.refresh_token,
    });
    return tokens;
  }

  @Post('auth/logout')
  @Public()
  @HttpCode(200)
  @ApiTags(DOC_TAGS.dcorpo.name)
  @ApiOperation({
    summary: 'Log out',
    description:
      'Revokes the Token key of the Authorization header and blacklists the `refresh` token of the body, if given. Needs no authentication.',
  })
  @ApiOkResponse({ schema: { example: { detail: 'Successfully logged out.' } } })
  logout(
    @Headers('authorization') authorization: string | undefined,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    this.cookies.clear(reply);
    const refresh =
      body && typeof body === 'object' ? (body as { refresh?: unknown }).refresh : undefined;
    return this.auth.logout(authorization, refresh ?? this.cookies.refreshToken(request));
  }

  @Get('auth/user')
  @Authenticated()
  @ApiTags(DOC_TAGS.dcorpo.name)
  @ApiOperation({ summary: 'User details: pk, username, email, first_name, last_name' })
  @ApiOkResponse({ schema: { example: USER_EXAMPLE } })
  details(@CurrentUser() user: User) {
    return this.auth.details(user);
  }

  @Put('auth/user')
  @Authenticated()
  @ApiTags(DOC_TAGS.dcorpo.name)
  @ApiOperation({
    summary: 'Replace the user details (username, first_name, last_name; email is read-only)',
  })
  @ApiOkResponse({ schema: { example: USER_EXAMPLE } })
  replaceDetails(
    @CurrentUser() user: User,
    @Body() body: UserDetailsPutDto,
    @Req() request: FastifyRequest,
  ) {
    return this.auth.updateDetails(user, body, request.body);
  }

  @Patch('auth/user')
  @Authenticated()
  @ApiTags(DOC_TAGS.dcorpo.name)
  @ApiOperation({ summary: 'Change some user details' })
  @ApiOkResponse({ schema: { example: USER_EXAMPLE } })
  patchDetails(
    @CurrentUser() user: User,
    @Body() body: UserDetailsPatchDto,
    @Req() request: FastifyRequest,
  ) {
    return this.auth.updateDetails(user, body, request.body);
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
  async refreshToken(
    @Body() body: RestAuthRefreshDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.auth.refresh(body.refresh, this.cookies.refreshToken(request));
    this.cookies.setTokens(request, reply, result);
    return result;
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
    return this.auth.details(user);
  }
}
