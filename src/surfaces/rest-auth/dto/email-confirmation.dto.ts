import { ApiProperty } from '@nestjs/swagger';
import { DrfCharField, DrfEmailField } from '../../../dialects/drf/drf-fields';

/** dj-rest-auth's VerifyEmailSerializer. */
export class VerifyEmailDto {
  @ApiProperty({
    example: 'MQ:1vN3aB:8oZ…',
    description: 'The key of the mailed confirmation link',
  })
  @DrfCharField()
  key: string;
}

/** dj-rest-auth's ResendEmailVerificationSerializer. */
export class ResendEmailDto {
  @ApiProperty({ example: 'testu1@example.com' })
  @DrfEmailField({ required: true })
  email: string;
}
