import { Controller, Get } from '@nestjs/common';
import { ApiExtension, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../access/access.decorators';
import { CurrentUser } from '../../access/current-user.decorator';
import { SurfaceDialect } from '../../dialects/dialect.decorators';
import { DOC_TAGS } from '../../docs/docs.setup';
import { kycCodeSamples } from './kyc-samples';
import { namedExamples } from '../../docs/responses';
import { USER_READ_EXAMPLE, UserReadDto } from './dto/users.dto';
import { userRead } from '../../accounts/fastapi-users.service';
import type { User } from '../../accounts/user.entity';

/** Seed 001's example protected resource: who the Bearer token belongs to. */
@ApiTags(DOC_TAGS.kyc.name)
@Controller()
@SurfaceDialect('fastapi')
export class KycResourceController {
  @Get('api/v1/resource')
  @Authenticated()
  @ApiOperation({
    summary: 'Fetch a protected resource',
    description:
      'The example of "Making Authenticated Requests": send `Authorization: Bearer <your_access_token>`. ' +
      'Answers the caller as fastapi-users describes a user.',
  })
  @ApiExtension('x-codeSamples', kycCodeSamples('curlResource', 'python', 'javascript'))
  @ApiOkResponse({
    description: 'Successful Response',
    type: UserReadDto,
    examples: namedExamples({ 'The caller': USER_READ_EXAMPLE }),
  })
  resource(@CurrentUser() user: User) {
    return userRead(user);
  }
}
