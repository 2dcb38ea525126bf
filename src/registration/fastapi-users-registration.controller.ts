import { Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { EmailBodyDto, UserCreateDto, UserReadDto } from '../accounts/dto/fastapi-users.dto';
import { Public } from '../common/auth/access.decorators';
import { FastApiDialect } from '../common/errors/dialect.decorators';
import { FastApiBody } from '../common/validation/fastapi-body';
import { DOC_TAGS } from '../docs/docs.setup';
import { VerifyTokenDto } from './dto/fastapi-users-verify.dto';
import { FastapiUsersRegistrationService } from './fastapi-users-registration.service';

const missing = (field: string) => ({
  detail: [{ type: 'missing', loc: ['body', field], msg: 'Field required', input: null }],
});

/** Seed 001 — fastapi-users' register and verify routers. */
@ApiTags(DOC_TAGS.kyc.name)
@Controller('auth')
@FastApiDialect()
@Public()
export class FastapiUsersRegistrationController {
  constructor(private readonly registration: FastapiUsersRegistrationService) {}

  @Post('register')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Register',
    description:
      'Creates an active, unverified user. `is_active`, `is_superuser` and `is_verified` in the body are ignored.',
  })
  @ApiBody({
    type: UserCreateDto,
    examples: {
      'fastapi-users': { value: { email: 'user@example.com', password: 'your_secret_password' } },
    },
  })
  @ApiCreatedResponse({ description: 'Successful Response', type: UserReadDto })
  @ApiBadRequestResponse({
    description: 'The address is taken, or the validators refuse the password',
    content: {
      'application/json': {
        examples: {
          REGISTER_USER_ALREADY_EXISTS: { value: { detail: 'REGISTER_USER_ALREADY_EXISTS' } },
          REGISTER_INVALID_PASSWORD: {
            value: {
              detail: {
                code: 'REGISTER_INVALID_PASSWORD',
                reason: 'This password is too short. It must contain at least 8 characters.',
              },
            },
          },
        },
      },
    },
  })
  @ApiUnprocessableEntityResponse({
    description: 'Validation Error',
    schema: {
      example: {
        detail: [
          {
            type: 'value_error',
            loc: ['body', 'email'],
            msg: 'value is not a valid email address: An email address must have an @-sign.',
            input: 'user.example.com',
            ctx: { reason: 'An email address must have an @-sign.' },
          },
        ],
      },
    },
  })
  register(@FastApiBody() body: UserCreateDto) {
    return this.registration.register(body);
  }

  @Post('request-verify-token')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Request Verify Token',
    description:
      'Mails a verification token (and a link to `FRONTEND_URL/verify?token=…`) to an active, unverified user. ' +
      'The answer is the same for unknown, inactive or verified addresses, which get no mail.',
  })
  @ApiBody({
    type: EmailBodyDto,
    examples: { 'fastapi-users': { value: { email: 'user@example.com' } } },
  })
  @ApiAcceptedResponse({ description: 'Accepted', schema: { nullable: true, example: null } })
  @ApiUnprocessableEntityResponse({
    description: 'Validation Error',
    schema: { example: missing('email') },
  })
  async requestVerifyToken(@FastApiBody() body: EmailBodyDto): Promise<null> {
    await this.registration.requestVerify(body.email);
    return null;
  }

  @Post('verify')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Verify',
    description: 'Marks the user verified with the mailed token.',
  })
  @ApiBody({
    type: VerifyTokenDto,
    examples: { 'fastapi-users': { value: { token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' } } },
  })
  @ApiOkResponse({ description: 'Successful Response', type: UserReadDto })
  @ApiBadRequestResponse({
    description: 'A bad or expired token, or a user already verified',
    content: {
      'application/json': {
        examples: {
          VERIFY_USER_BAD_TOKEN: { value: { detail: 'VERIFY_USER_BAD_TOKEN' } },
          VERIFY_USER_ALREADY_VERIFIED: { value: { detail: 'VERIFY_USER_ALREADY_VERIFIED' } },
        },
      },
    },
  })
  @ApiUnprocessableEntityResponse({
    description: 'Validation Error',
    schema: { example: missing('token') },
  })
  verify(@FastApiBody() body: VerifyTokenDto) {
    return this.registration.verify(body.token);
  }
}
