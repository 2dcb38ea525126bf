import { ApiResponse } from '@nestjs/swagger';
import type { HeadersObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';

/**
 * The bodies both error dialects share across operations, as components of the
 * document. FastAPI's are named as FastAPI names them (`ErrorModel`,
 * `HTTPValidationError`), so a team that knows the Python document finds them.
 */
export const SHARED_SCHEMAS = {
  DrfDetail: {
    type: 'object',
    description:
      'DRF\'s `{"detail": …}` body. SimpleJWT adds a machine-readable `code`, and `messages` ' +
      'when an access token is refused.',
    required: ['detail'],
    properties: {
      detail: { type: 'string' },
      code: { type: 'string' },
      messages: { type: 'array', items: { type: 'object', additionalProperties: true } },
      mfa_token: {
        type: 'string',
        description:
          'With `mfa_required`: the challenge to send back with a code (docs/mfa-login.md)',
      },
    },
  },
  DrfFieldErrors: {
    type: 'object',
    description:
      "DRF's validation errors: each field (or `non_field_errors`) with the list of its messages.",
    additionalProperties: { type: 'array', items: { type: 'string' } },
  },
  DrfErrorList: {
    type: 'array',
    description:
      "A ValidationError raised outside a serializer's is_valid (in a view, or save()): its messages, bare.",
    items: { type: 'string' },
  },
  ErrorModel: {
    type: 'object',
    description:
      "fastapi-users' error: a code such as `LOGIN_BAD_CREDENTIALS`, or `{code, reason}`.",
    required: ['detail'],
    properties: {
      detail: {
        oneOf: [
          { type: 'string' },
          {
            type: 'object',
            required: ['code', 'reason'],
            properties: { code: { type: 'string' }, reason: { type: 'string' } },
          },
        ],
      },
      mfa_token: {
        type: 'string',
        description: 'With `LOGIN_MFA_REQUIRED`: the challenge to send back with a code',
      },
    },
  },
  ValidationError: {
    type: 'object',
    required: ['type', 'loc', 'msg'],
    properties: {
      type: { type: 'string' },
      loc: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'integer' }] } },
      msg: { type: 'string' },
      input: { description: 'The value received (null when missing).' },
      ctx: { type: 'object', additionalProperties: true },
    },
  },
  HTTPValidationError: {
    type: 'object',
    description: "FastAPI's 422 body: one entry per invalid field.",
    required: ['detail'],
    properties: {
      detail: { type: 'array', items: { $ref: '#/components/schemas/ValidationError' } },
    },
  },
} satisfies Record<string, SchemaObject>;

/**
 * Applies Swagger decorators to one handler (its descriptor given) or to a whole
 * controller: how `@SurfaceDialect()` documents what it learns once the class is built.
 */
export function documentHandlerOrClass(
  decorators: (MethodDecorator | ClassDecorator)[],
  target: object,
  descriptor: PropertyDescriptor | undefined,
): void {
  for (const decorate of decorators) {
    if (descriptor) (decorate as MethodDecorator)(target, '', descriptor);
    else (decorate as ClassDecorator)(target as new () => unknown);
  }
}

/** The schema of a `null` body, which several fastapi-users routes answer. */
export const NULL_BODY: SchemaObject = { description: 'JSON `null`' };

export type SharedSchema = keyof typeof SHARED_SCHEMAS;

export function schemaRef(name: SharedSchema): ReferenceObject {
  return { $ref: `#/components/schemas/${name}` };
}

/** Bodies by name, as OpenAPI examples: Swagger UI offers them by that name. */
export function namedExamples(
  bodies: Record<string, unknown>,
): Record<string, { summary: string; value: unknown }> {
  return Object.fromEntries(
    Object.entries(bodies).map(([name, value]) => [name, { summary: name, value }]),
  );
}

/** The one schema, or the `oneOf` of the several, that the bodies are instances of. */
function schemaOf(bodies: Record<string, unknown>, kind: (body: unknown) => SharedSchema) {
  const kinds = [...new Set(Object.values(bodies).map(kind))];
  return kinds.length === 1 ? schemaRef(kinds[0]) : { oneOf: kinds.map(schemaRef) };
}

const hasDetail = (body: unknown) => typeof body === 'object' && body !== null && 'detail' in body;

/**
 * An answer in DRF's dialect, `{"detail": …}` or field errors (told apart by the
 * bodies' shape), with the bodies the seeds show, each under a name.
 */
export const DrfResponse = (
  status: number,
  description: string,
  bodies: Record<string, object>,
  headers?: HeadersObject,
) =>
  ApiResponse({
    status,
    description,
    schema: schemaOf(bodies, (body) =>
      Array.isArray(body) ? 'DrfErrorList' : hasDetail(body) ? 'DrfDetail' : 'DrfFieldErrors',
    ),
    examples: namedExamples(bodies),
    ...(headers ? { headers } : {}),
  });

/** An error in FastAPI's dialect: fastapi-users' `ErrorModel`, or the 422 validation body. */
export const FastApiResponse = (
  status: number,
  description: string,
  bodies: Record<string, { detail: unknown }>,
  headers?: HeadersObject,
) =>
  ApiResponse({
    status,
    description,
    schema: schemaOf(bodies, (body) =>
      Array.isArray((body as { detail: unknown }).detail) ? 'HTTPValidationError' : 'ErrorModel',
    ),
    examples: namedExamples(bodies),
    ...(headers ? { headers } : {}),
  });

/** pydantic's "Field required" entries for the body fields named, as FastAPI answers 422. */
export function fieldsRequired(...fields: string[]) {
  return {
    detail: fields.map((field) => ({
      type: 'missing',
      loc: ['body', field],
      msg: 'Field required',
      input: null,
    })),
  };
}

/** DRF's "This field is required." for each field named. */
export function drfFieldsRequired(...fields: string[]) {
  return Object.fromEntries(fields.map((field) => [field, ['This field is required.']]));
}
