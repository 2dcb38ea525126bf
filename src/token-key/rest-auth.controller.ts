import { Body, Controller, Get, Headers, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
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
import { RestAuthLoginDto } from './dto/rest-auth-login.dto';
import { RestAuthService, userDetails } from './rest-auth.service';

const KEY_EXAMPLE = { key: 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0' };

/** dj-rest-auth's views (DRF dialect): seed 002's wrapper integration, shared with seed 003. */
@ApiTags(DOC_TAGS.wrapper.name)
@Controller()
export class RestAuthController {
  constructor(
    private readonly auth: RestAuthService,
    private readonly registration: RegistrationService,
  ) {}

  @Post('auth/registration')
  @Public()
  @ApiOperation({
    summary: 'Step 1: Register a New User',
    description:
      'When registration succeeds, you receive the authentication token (REST_AUTH_TOKEN decides key, JWT, or both).',
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
  @ApiOkResponse({ schema: { example: KEY_EXAMPLE } })
  @ApiBadRequestResponse({
    schema: { example: { non_field_errors: ['Unable to log in with provided credentials.'] } },
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
