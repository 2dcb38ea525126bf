import { ApiProperty } from '@nestjs/swagger';
import { PydanticBody, PydanticStr } from '../../../dialects/fastapi/pydantic-fields';
import { MAX_PASSWORD_LENGTH } from '../../../accounts/password-limit';

/** fastapi-users' reset-password body: `token` and `password` (`Body(...)` each). */
@PydanticBody('embed')
export class ResetPasswordDto {
  @ApiProperty({
    description: 'The token mailed by /auth/forgot-password.',
    example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…',
  })
  @PydanticStr()
  token: string;

  @ApiProperty({ format: 'password', example: 'a-new-secret-password' })
  @PydanticStr({ maxLength: MAX_PASSWORD_LENGTH })
  password: string;
}
