import { ApiProperty } from '@nestjs/swagger';
import { PydanticBody, PydanticStr } from '../../../dialects/fastapi/pydantic-fields';

/** `token: str = Body(..., embed=True)`: fastapi-users' verify body. */
@PydanticBody('embed')
export class VerifyTokenDto {
  @ApiProperty({
    description: 'The token mailed by /auth/request-verify-token.',
    example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…',
  })
  @PydanticStr()
  token: string;
}
