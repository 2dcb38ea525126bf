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
import { type HttpReply, type HttpRequest } from '../../http/http-seam';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { User } from '../../accounts/user.entity';
import { Authenticated, Public } from '../../access/access.decorators';
import { CurrentUser } from '../../access/current-user.decorator';
import { MFA_DRF_RESPONSES, MFA_LOGIN_DESCRIPTION, LoginBody } from '../../docs/mfa-login.docs';
import { DOC_TAGS } from '../../docs/docs.setup';
import { DrfResponse, drfFieldsRequired, namedExamples, schemaRef } from '../../docs/responses';
import { RegisterDto } from './dto/register.dto';
import { JwtAuthService } from '../../jwt-auth/jwt-auth.service';
import { JwtCookieService } from '../../jwt-auth/jwt-cookie.service';
import { INVALID_TOKEN_BODY } from '../../jwt-auth/token-error';
import { TokenVerifyDto } from '../simplejwt/dto/token-verify.dto';
import { RestAuthLoginDto, RestAuthTokensDto } from './dto/login.dto';
import { RestAuthRefreshDto, RestAuthRefreshResultDto } from './dto/token-refresh.dto';
import { UserDetailsDto, UserDetailsPatchDto, UserDetailsPutDto } from './dto/user-details.dto';
import { RestAuthService } from './rest-auth.service';
import { RestAuthSurface } from './rest-auth.errors';
import { UncheckedBody } from '../../http/unchecked-body';
import { Throttled } from '../../throttling/throttle-scopes';
import { TokenVerifyView } from '../simplejwt/simplejwt.views';
import {
  LoginView,
  LogoutView,
  RefreshViewWithCookieSupport,
  RegisterView,
  UserDetailsView,
} from './rest-auth.views';

const KEY = 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0';
const ACCESS = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…';
const USER_DETAILS = {
  pk: 1,
  username: 'testu1',
  email: 'testu1@example.com',
  first_name: 'Test',
  last_name: 'User',
};
const JWT_LOGIN = { access_token: ACCESS, refresh_token: ACCESS, user: USER_DETAILS };
/** The answer of login and registration under each REST_AUTH_TOKEN. */
const TOKENS_EXAMPLES = {
  'Token key (REST_AUTH_TOKEN=key)': { key: KEY },
  'JWT pair and user (REST_AUTH_TOKEN=jwt)': JWT_LOGIN,
  'Both (REST_AUTH_TOKEN=both, the default)': { key: KEY, ...JWT_LOGIN },
};
/**
 * Login and registration answer both flavours at one path: one operation each,
 * under the Token flavour's tag (its steps 1 and 2), so Swagger UI lists it once;
 * the JWT flavour's tag points there.
 */
const SHARED_TAG = DOC_TAGS.wrapper.name;
const USER_DETAILS_RETURNS = '### Returns:\n- pk\n- username\n- email\n- first_name\n- last_name';
const USER_DETAILS_OK = {
  description: 'The user details',
  type: UserDetailsDto,
  examples: namedExamples({ 'User details': USER_DETAILS }),
};
const USERNAME_TAKEN = {
  'Username taken': { username: ['A user with that username already exists.'] },
};

/** dj-rest-auth's views (DRF dialect): seed 002's wrapper integration, shared with seed 003. */
@ApiExtraModels(RestAuthTokensDto)
@RestAuthSurface()
@Controller()
export class RestAuthController {
  constructor(
    private readonly auth: RestAuthService,
    private readonly jwtAuth: JwtAuthService,
    private readonly cookies: JwtCookieService,
  ) {}

  @Throttled('mail', { account: ['email'] })
  @RegisterView()
  @Post('auth/registration/')
  @Public()
  @ApiTags(SHARED_TAG)
  @ApiOperation({
    summary: 'Step 1: Register a New User',
    description:
      'To create a new user account, send a POST request to the registration endpoint (Token flavour). ' +
      "When registration succeeds, you'll receive a response containing the authentication token: the `key` " +
      'field contains the authentication token for the newly created user. Store this token securely — it ' +
      "provides full access to the user's account.\n\n" +
      'JWT flavour (account registration) — ### Parameters:\n- username\n- password1\n- password2\n- email\n\n' +
      'The Token flavour also takes `full_name`, `subscribe`, and `password`/`confirm_password` (used when ' +
      '`password1`/`password2` are absent). `REST_AUTH_TOKEN` decides whether the answer carries the key, the ' +
      'JWT pair with the user, or both. Unless `EMAIL_VERIFICATION=none` a verification e-mail is sent; with ' +
      '`EMAIL_VERIFICATION=mandatory` the answer is only `{"detail": "Verification e-mail sent."}`.',
  })
  @ApiBody({
    type: RegisterDto,
    examples: namedExamples({
      'Token flavour (example request)': {
        full_name: 'testU1',
        email: 'testu1@example.com',
        password: 'test1234',
        confirm_password: 'test1234',
        subscribe: true,
        password1: 'test@1291',
        password2: 'test@1291',
      },
      'JWT flavour (parameters)': {
        username: 'testu1',
        email: 'testu1@example.com',
        password1: 'test@1291',
        password2: 'test@1291',
      },
    }),
  })
  @ApiCreatedResponse({
    description: 'Successful Response: the authentication token',
    schema: { anyOf: [{ $ref: getSchemaPath(RestAuthTokensDto) }, schemaRef('DrfDetail')] },
    examples: namedExamples({
      ...TOKENS_EXAMPLES,
      'EMAIL_VERIFICATION=mandatory': { detail: 'Verification e-mail sent.' },
    }),
  })
  @DrfResponse(400, 'Error Response: registration fails (e.g., email already exists)', {
    'Email already exists': { email: ['Email address already in use'] },
    ...USERNAME_TAKEN,
    'Passwords differ': { non_field_errors: ["The two password fields didn't match."] },
    'Password refused by the validators': {
      password1: [
        'This password is too short. It must contain at least 8 characters.',
        'This password is too common.',
        'This password is entirely numeric.',
      ],
    },
  })
  async register(@Body() body: RegisterDto) {
    return this.auth.register({
      email: body.email,
      username: body.username,
      // Seed 002 sends `password`/`confirm_password` where dj-rest-auth has password1/2.
      password1: body.password1 ?? body.password,
      password2: body.password2 ?? body.confirm_password,
      fullName: body.full_name,
      subscribe: body.subscribe,
    });
  }

  @Throttled('login', { account: ['email', 'username'] })
  @LoginView()
  @Post('auth/login/')
  @Public()
  @HttpCode(200)
  @ApiTags(SHARED_TAG)
  @ApiOperation({
    summary: 'Step 2: Login an Existing User',
    description:
      'If the user already has an account, authenticate them using the login endpoint to obtain their token ' +
      '(Token flavour: `email` and `password`).\n\n' +
      'JWT flavour (account authentication) — ### Parameters:\n- username\n- password\n\n' +
      '### Returns:\n- access_token\n- refresh_token\n- user: {pk, username, email, first_name, last_name}\n\n' +
      '`REST_AUTH_TOKEN` decides whether the answer carries the key, the JWT pair with the user, or both. ' +
      'In cookie mode (`JWT_AUTH_COOKIE`) the tokens are also set as HttpOnly cookies.' +
      MFA_LOGIN_DESCRIPTION,
  })
  @LoginBody(RestAuthLoginDto, {
    'Token flavour (example request)': {
      email: 'testu1@example.com',
      password: 'SecurePassword123!',
    },
    'JWT flavour (parameters)': { username: 'testu1', password: 'SecurePassword123!' },
  })
  @ApiOkResponse({
    description: 'Successful Response',
    type: RestAuthTokensDto,
    examples: namedExamples(TOKENS_EXAMPLES),
  })
  @DrfResponse(
    400,
    'Invalid credentials, a blocked account, or an unconfirmed e-mail (EMAIL_VERIFICATION=mandatory)',
    {
      'Invalid credentials': {
        non_field_errors: ['Unable to log in with provided credentials.'],
      },
      'Blocked account': {
        non_field_errors: ['Your account has been blocked. Please contact support.'],
      },
      'E-mail not verified': { non_field_errors: ['E-mail is not verified.'] },
      'No username or email': { non_field_errors: ['Must include "username" and "password".'] },
      'Not an e-mail address': { email: ['Enter a valid email address.'] },
      'Second step without a code': { code: ['This field is required.'] },
    },
  )
  @DrfResponse(401, 'The multi-factor challenge and its refusals', MFA_DRF_RESPONSES)
  async login(
    @Body() body: RestAuthLoginDto,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) reply: HttpReply,
  ) {
    const tokens =
      body.mfa_token !== undefined
        ? await this.auth.completeLogin(body.mfa_token, body.code ?? '')
        : await this.auth.login(body.email || body.username, body.password);
    this.cookies.setTokens(request, reply, {
      access: tokens.access_token,
      refresh: tokens.refresh_token,
    });
    return tokens;
  }

  @LogoutView()
  @Post('auth/logout/')
  @Public()
  @HttpCode(200)
  @ApiTags(DOC_TAGS.dcorpo.name)
  // Anyone may log out; a Token key in the header is revoked, so the document offers it.
  @ApiSecurity({})
  @ApiSecurity('Token')
  @ApiOperation({
    summary: 'Log out',
    description:
      'Needs no authentication (as dj-rest-auth). Revokes the Token key of the `Authorization` header ' +
      '(a key stays valid until explicitly revoked) and blacklists the `refresh` token of the body, ' +
      'if given (JWT flavour); in cookie mode the refresh cookie, and clears the JWT cookies.',
  })
  @ApiBody({
    required: false,
    schema: {
      type: 'object',
      properties: { refresh: { type: 'string', description: 'A refresh token to blacklist' } },
    },
    examples: namedExamples({
      'Revoke the Token key of the header only': {},
      'Also blacklist a refresh token (JWT flavour)': { refresh: ACCESS },
    }),
  })
  @DrfResponse(200, 'Logged out', { 'Logged out': { detail: 'Successfully logged out.' } })
  @DrfResponse(
    401,
    'The refresh token given is invalid, expired or already blacklisted, or the `Authorization` ' +
      'header carries an invalid, expired or revoked credential (DRF authenticates before every view)',
    {
      'Invalid token': { detail: 'Token is invalid or expired' },
      'Already blacklisted': { detail: 'Token is blacklisted' },
      'Revoked or unknown Token key': { detail: 'Invalid token.' },
    },
  )
  logout(
    @Headers('authorization') authorization: string | undefined,
    @UncheckedBody() body: unknown,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) reply: HttpReply,
  ) {
    const refresh =
      (body && typeof body === 'object' ? (body as { refresh?: unknown }).refresh : undefined) ??
      this.cookies.refreshTokenToRevoke(request);
    this.cookies.clear(reply);
    return this.auth.logout(authorization, refresh);
  }

  @UserDetailsView()
  @Get('auth/user/')
  @Authenticated()
  @ApiTags(DOC_TAGS.dcorpo.name)
  @ApiOperation({
    summary: 'User details',
    description: `The authenticated user's details.\n\n${USER_DETAILS_RETURNS}`,
  })
  @ApiOkResponse(USER_DETAILS_OK)
  details(@CurrentUser() user: User) {
    return this.auth.details(user);
  }

  @Put('auth/user/')
  @Authenticated()
  @ApiTags(DOC_TAGS.dcorpo.name)
  @ApiOperation({
    summary: 'Replace the user details',
    description:
      '### Parameters:\n- username\n- first_name\n- last_name\n\n' +
      `\`username\` is required; \`pk\` and \`email\` are read-only.\n\n${USER_DETAILS_RETURNS}`,
  })
  @ApiBody({
    type: UserDetailsPutDto,
    examples: namedExamples({
      Parameters: { username: 'testu1', first_name: 'Test', last_name: 'User' },
    }),
  })
  @ApiOkResponse(USER_DETAILS_OK)
  @DrfResponse(400, 'A field is invalid, or the username is taken', {
    ...USERNAME_TAKEN,
    'Missing username': drfFieldsRequired('username'),
  })
  replaceDetails(
    @CurrentUser() user: User,
    @Body() body: UserDetailsPutDto,
    @Req() request: HttpRequest,
  ) {
    return this.auth.updateDetails(user, body, request.body);
  }

  @Patch('auth/user/')
  @Authenticated()
  @ApiTags(DOC_TAGS.dcorpo.name)
  @ApiOperation({
    summary: 'Change some user details',
    description:
      '### Parameters:\n- username\n- first_name\n- last_name\n\n' +
      `Only the fields sent change; \`pk\` and \`email\` are read-only.\n\n${USER_DETAILS_RETURNS}`,
  })
  @ApiBody({
    type: UserDetailsPatchDto,
    examples: namedExamples({ 'Change the first name': { first_name: 'Test' } }),
  })
  @ApiOkResponse(USER_DETAILS_OK)
  @DrfResponse(400, 'A field is invalid, or the username is taken', USERNAME_TAKEN)
  patchDetails(
    @CurrentUser() user: User,
    @Body() body: UserDetailsPatchDto,
    @Req() request: HttpRequest,
  ) {
    return this.auth.updateDetails(user, body, request.body);
  }

  @TokenVerifyView()
  @Post('auth/token/verify/')
  // SimpleJWT's TokenVerifyView underneath: authentication_classes = ().
  @Public({ authenticates: false })
  @HttpCode(200)
  @ApiTags(DOC_TAGS.dcorpo.name)
  @ApiOperation({
    summary: 'Verify a token',
    description:
      '### Parameters:\n- token\n\n### Returns (valid token):\n- empty JSON object\n\n' +
      '### Returns (invalid token):\n- "detail": "Token is invalid or expired"\n- "code": "token_not_valid"',
  })
  @ApiBody({
    type: TokenVerifyDto,
    examples: namedExamples({ Parameters: { token: ACCESS } }),
  })
  @ApiOkResponse({
    description: 'Returns (valid token): empty JSON object',
    schema: { type: 'object', additionalProperties: false },
    examples: namedExamples({ 'Valid token': {} }),
  })
  @DrfResponse(400, 'The token is missing', { 'Missing field': drfFieldsRequired('token') })
  @DrfResponse(401, 'Returns (invalid token)', { 'Invalid token': INVALID_TOKEN_BODY })
  async verifyToken(@Body() body: TokenVerifyDto): Promise<Record<string, never>> {
    await this.jwtAuth.verify(body.token);
    return {};
  }

  @Throttled('login', { token: ['refresh'] })
  @RefreshViewWithCookieSupport()
  @Post('auth/token/refresh/')
  // SimpleJWT's TokenRefreshView underneath: authentication_classes = ().
  @Public({ authenticates: false })
  @HttpCode(200)
  @ApiTags(DOC_TAGS.dcorpo.name)
  @ApiOperation({
    summary: 'Refresh the access token',
    description:
      '### Parameters:\n- refresh token\n\n### Returns (valid token):\n- access token\n- access_token_expiration\n\n' +
      '### Returns (invalid token):\n- "detail": "Token is invalid or expired"\n- "code": "token_not_valid"\n\n' +
      'In cookie mode the refresh cookie stands in for a missing `refresh`.',
  })
  @ApiBody({
    type: RestAuthRefreshDto,
    examples: namedExamples({ Parameters: { refresh: ACCESS } }),
  })
  @ApiOkResponse({
    description: 'Returns (valid token): access token, access_token_expiration',
    type: RestAuthRefreshResultDto,
    examples: namedExamples({
      'Valid token': { access: ACCESS, access_token_expiration: '2026-11-22T21:10:48.857000Z' },
    }),
  })
  @DrfResponse(400, '`refresh` is given but blank, null or not a string', {
    'Null refresh': { refresh: ['This field may not be null.'] },
  })
  @DrfResponse(401, 'Returns (invalid token), or no refresh token in the body nor a cookie', {
    'Invalid token': INVALID_TOKEN_BODY,
    'No refresh token': { detail: 'No valid refresh token found.', code: 'token_not_valid' },
  })
  async refreshToken(
    @Body() body: RestAuthRefreshDto,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) reply: HttpReply,
  ) {
    const result = await this.auth.refresh(body.refresh, this.cookies.refreshToken(request));
    this.cookies.setTokens(request, reply, result);
    return result;
  }

  @UserDetailsView()
  @Get('authentication/user/')
  @Authenticated()
  @ApiTags(DOC_TAGS.wrapper.name)
  @ApiOperation({
    summary: 'Step 3: Using the Authentication Token — Option A: Making Authenticated API Calls',
    description:
      'Include the token in the Authorization header for any API request. Important: the header format must ' +
      'be exactly `Authorization: Token <your-token>` (note the word "Token" followed by a space, then the ' +
      'token value). If you receive a 401 Unauthorized response, the token may have been revoked.',
  })
  @ApiOkResponse({
    description: 'The user behind the token',
    type: UserDetailsDto,
    examples: namedExamples({
      'A user': {
        pk: 1,
        username: 'testu1',
        email: 'testu1@example.com',
        first_name: 'testU1',
        last_name: '',
      },
    }),
  })
  user(@CurrentUser() user: User) {
    return this.auth.details(user);
  }

  @Put('authentication/user/')
  @Authenticated()
  @ApiTags(DOC_TAGS.wrapper.name)
  @ApiOperation({
    summary: 'Replace the user details',
    description: `The same view as \`PUT /auth/user/\`.\n\n${USER_DETAILS_RETURNS}`,
  })
  @ApiBody({
    type: UserDetailsPutDto,
    examples: namedExamples({ 'Change the username': { username: 'testu1' } }),
  })
  @ApiOkResponse(USER_DETAILS_OK)
  @DrfResponse(400, 'A field is invalid, or the username is taken', USERNAME_TAKEN)
  replaceUser(
    @CurrentUser() user: User,
    @Body() body: UserDetailsPutDto,
    @Req() request: HttpRequest,
  ) {
    return this.replaceDetails(user, body, request);
  }

  @Patch('authentication/user/')
  @Authenticated()
  @ApiTags(DOC_TAGS.wrapper.name)
  @ApiOperation({
    summary: 'Change some user details',
    description: `The same view as \`PATCH /auth/user/\`.\n\n${USER_DETAILS_RETURNS}`,
  })
  @ApiBody({
    type: UserDetailsPatchDto,
    examples: namedExamples({ 'Change the last name': { last_name: 'User' } }),
  })
  @ApiOkResponse(USER_DETAILS_OK)
  @DrfResponse(400, 'A field is invalid, or the username is taken', USERNAME_TAKEN)
  patchUser(
    @CurrentUser() user: User,
    @Body() body: UserDetailsPatchDto,
    @Req() request: HttpRequest,
  ) {
    return this.patchDetails(user, body, request);
  }
}
