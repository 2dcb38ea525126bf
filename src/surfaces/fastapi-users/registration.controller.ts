import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EmailAcceptedDocs } from './fastapi-users.docs';
import { EmailBodyDto, USER_READ_EXAMPLE, UserCreateDto, UserReadDto } from './dto/users.dto';
import { Public } from '../../access/access.decorators';
import { SurfaceDialect } from '../../dialects/dialect.decorators';
import { FastapiUsersErrorCode, fastapiUsersErrors } from './fastapi-users.errors';
import { FastApiBody } from '../../dialects/fastapi/fastapi-body';
import { DOC_TAGS } from '../../docs/docs.setup';
import { FastApiResponse, fieldsRequired, namedExamples } from '../../docs/responses';
import { VerifyTokenDto } from './dto/verify.dto';
import { FastapiUsersRegistrationService } from '../../registration/fastapi-users-registration.service';
import { Throttled } from '../../throttling/throttle-scopes';

const NEW_USER = { ...USER_READ_EXAMPLE, is_verified: false };

/** Seed 001 — fastapi-users' register and verify routers. */
@ApiTags(DOC_TAGS.kyc.name)
@Controller()
@SurfaceDialect(
  'fastapi',
  fastapiUsersErrors({
    'password:password_invalid': FastapiUsersErrorCode.REGISTER_INVALID_PASSWORD,
    'email:unique': FastapiUsersErrorCode.REGISTER_USER_ALREADY_EXISTS,
    'token:invalid': FastapiUsersErrorCode.VERIFY_USER_BAD_TOKEN,
    'token:already_verified': FastapiUsersErrorCode.VERIFY_USER_ALREADY_VERIFIED,
  }),
)
@Public()
export class FastapiUsersRegistrationController {
  constructor(private readonly registration: FastapiUsersRegistrationService) {}

  @Throttled('mail', { account: ['email'] })
  @Post('auth/register')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Register',
    description:
      'Creates an active, unverified user. `is_active`, `is_superuser` and `is_verified` in the body are ignored.',
  })
  @ApiBody({
    type: UserCreateDto,
    examples: namedExamples({
      'A new user': { email: 'user@example.com', password: 'your_secret_password' },
    }),
  })
  @ApiCreatedResponse({
    description: 'Successful Response',
    type: UserReadDto,
    examples: namedExamples({ 'The new user': NEW_USER }),
  })
  @FastApiResponse(400, 'The address is taken, or the validators refuse the password', {
    REGISTER_USER_ALREADY_EXISTS: { detail: 'REGISTER_USER_ALREADY_EXISTS' },
    REGISTER_INVALID_PASSWORD: {
      detail: {
        code: 'REGISTER_INVALID_PASSWORD',
        reason: 'This password is too short. It must contain at least 8 characters.',
      },
    },
  })
  @FastApiResponse(422, 'Validation Error', {
    'Not an e-mail address': {
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
    'Missing required fields': fieldsRequired('email', 'password'),
  })
  register(@FastApiBody() body: UserCreateDto) {
    return this.registration.register(body);
  }

  @Throttled('mail', { account: ['email'] })
  @Post('auth/request-verify-token')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Request Verify Token',
    description:
      'Mails a verification token (and a link to `FRONTEND_URL/verify?token=…`) to an active, unverified user. ' +
      'The answer is the same for unknown, inactive or verified addresses, which get no mail.',
  })
  @EmailAcceptedDocs()
  async requestVerifyToken(@FastApiBody() body: EmailBodyDto): Promise<null> {
    await this.registration.requestVerify(body.email);
    return null;
  }

  @Throttled('confirm', { token: ['token'] })
  @Post('auth/verify')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Verify',
    description: 'Marks the user verified with the mailed token.',
  })
  @ApiBody({
    type: VerifyTokenDto,
    examples: namedExamples({
      'The mailed token': { token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' },
    }),
  })
  @ApiOkResponse({
    description: 'Successful Response',
    type: UserReadDto,
    examples: namedExamples({ 'The verified user': USER_READ_EXAMPLE }),
  })
  @FastApiResponse(400, 'A bad or expired token, or a user already verified', {
    VERIFY_USER_BAD_TOKEN: { detail: 'VERIFY_USER_BAD_TOKEN' },
    VERIFY_USER_ALREADY_VERIFIED: { detail: 'VERIFY_USER_ALREADY_VERIFIED' },
  })
  @FastApiResponse(422, 'Validation Error', {
    'Missing required field': fieldsRequired('token'),
  })
  verify(@FastApiBody() body: VerifyTokenDto) {
    return this.registration.verify(body.token);
  }
}
