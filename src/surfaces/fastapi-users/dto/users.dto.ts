import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  PydanticBody,
  PydanticBool,
  PydanticEmail,
  PydanticStr,
} from '../../../dialects/fastapi/pydantic-fields';
import { MAX_PASSWORD_LENGTH } from '../../../accounts/password-limit';

/** A user as fastapi-users answers it, for the document's examples. */
export const USER_READ_EXAMPLE = {
  id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  email: 'user@example.com',
  is_active: true,
  is_superuser: false,
  is_verified: true,
};

/** fastapi-users' UserRead (BaseUser): the user as every fastapi-users route answers it. */
export class UserReadDto {
  @ApiProperty({ format: 'uuid', example: '3fa85f64-5717-4562-b3fc-2c963f66afa6' })
  id: string;

  @ApiProperty({ format: 'email', example: 'user@example.com' })
  email: string;

  @ApiProperty({ example: true })
  is_active: boolean;

  @ApiProperty({ example: false })
  is_superuser: boolean;

  @ApiProperty({ example: false })
  is_verified: boolean;
}

/** fastapi-users' UserCreate; registration ignores the three flags (`safe=True`). */
@PydanticBody('model')
export class UserCreateDto {
  @ApiProperty({ format: 'email', example: 'user@example.com' })
  @PydanticEmail()
  email: string;

  @ApiProperty({ format: 'password', example: 'your_secret_password' })
  @PydanticStr({ maxLength: MAX_PASSWORD_LENGTH })
  password: string;

  @ApiPropertyOptional({ type: Boolean, default: true, nullable: true })
  @PydanticBool({ required: false, nullable: true })
  is_active?: boolean | null;

  @ApiPropertyOptional({ type: Boolean, default: false, nullable: true })
  @PydanticBool({ required: false, nullable: true })
  is_superuser?: boolean | null;

  @ApiPropertyOptional({ type: Boolean, default: false, nullable: true })
  @PydanticBool({ required: false, nullable: true })
  is_verified?: boolean | null;
}

/**
 * fastapi-users' UserUpdate: only the fields sent change. On `/users/me` the
 * three flags are ignored (`safe=True`); a superuser may set them on `/users/{id}`.
 */
@PydanticBody('model')
export class UserUpdateDto {
  @ApiPropertyOptional({ type: String, format: 'password', nullable: true })
  @PydanticStr({ required: false, nullable: true, maxLength: MAX_PASSWORD_LENGTH })
  password?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'email',
    nullable: true,
    example: 'new@example.com',
  })
  @PydanticEmail({ required: false, nullable: true })
  email?: string | null;

  @ApiPropertyOptional({ type: Boolean, nullable: true })
  @PydanticBool({ required: false, nullable: true })
  is_active?: boolean | null;

  @ApiPropertyOptional({ type: Boolean, nullable: true })
  @PydanticBool({ required: false, nullable: true })
  is_superuser?: boolean | null;

  @ApiPropertyOptional({ type: Boolean, nullable: true })
  @PydanticBool({ required: false, nullable: true })
  is_verified?: boolean | null;
}

/** `email: EmailStr = Body(..., embed=True)`: forgot-password and request-verify-token. */
@PydanticBody('embed')
export class EmailBodyDto {
  @ApiProperty({ format: 'email', example: 'user@example.com' })
  @PydanticEmail()
  email: string;
}
