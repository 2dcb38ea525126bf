/**
 * `@gatehouse-auth/nestjs/fastapi`: what a consumer's own controller under
 * `@SurfaceDialect('fastapi')` reads its request bodies with — pydantic-style
 * fields through `@FastApiBody()`, answered with FastAPI's 422 — and FastAPI's
 * exception shape.
 */
export {
  PydanticBody,
  type PydanticBodyKind,
  PydanticBool,
  type PydanticCheck,
  PydanticEmail,
  type PydanticError,
  type PydanticFieldOptions,
  PydanticStr,
} from './dialects/fastapi/pydantic-fields';
export { FastApiBody } from './dialects/fastapi/fastapi-body';
export {
  FASTAPI_REASONS,
  FastApiException,
  type FastApiValidationItem,
} from './problems/fastapi.exception';
