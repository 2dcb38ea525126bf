import type {
  HeadersObject,
  OpenAPIObject,
  OperationObject,
  PathItemObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';
import { DRF_MESSAGES } from '../problems/drf.exception';
import { FASTAPI_REASONS } from '../problems/fastapi.exception';
import { UNAVAILABLE_RETRY_AFTER } from '../problems/problem';
import { DRF_DETAIL_BY_STATUS } from '../http/transport-errors';
import { namedExamples, schemaRef } from './responses';

/**
 * Marks the operations a JWT cookie authenticates in cookie mode (JWT_AUTH_COOKIE):
 * the document gives their unsafe methods the CSRF 403 (`withCookieCsrfAnswers`),
 * then drops the mark.
 */
export const COOKIE_REACHES = 'x-gatehouse-cookie-reaches';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const UNSAFE_METHODS = new Set<string>(['put', 'post', 'delete', 'patch']);

type DetailSchema = 'DrfDetail' | 'ErrorModel';

/** A `{"detail": …}` answer as the document writes a response: DRF's or fastapi-users'. */
const detailAnswer =
  (schema: DetailSchema) =>
  (
    description: string,
    bodies: Record<string, { detail: string }>,
    headers?: HeadersObject,
  ): ResponseObject => ({
    description,
    content: { 'application/json': { schema: schemaRef(schema), examples: namedExamples(bodies) } },
    ...(headers ? { headers } : {}),
  });
const drfDetail = detailAnswer('DrfDetail');
const fastApiDetail = detailAnswer('ErrorModel');

/** Each operation of the document, with its method. */
function* operationsOf(document: OpenAPIObject) {
  for (const item of Object.values<PathItemObject>(document.paths)) {
    for (const method of METHODS) {
      const operation: OperationObject | undefined = item[method];
      if (operation) yield { method, operation };
    }
  }
}

const BAD_REQUEST = { 'Bad Request': { detail: FASTAPI_REASONS[400] } };

const MALFORMED = {
  'Malformed JSON': { detail: DRF_MESSAGES.parseError('Unexpected end of JSON input') },
};

/**
 * What every operation that takes a body may answer before its handler runs: a
 * body that does not parse (DRF's 400 `detail`; FastAPI's 400 `Bad Request` for
 * a form or multipart body, its 422 for JSON), one past
 * `BODY_LIMIT` (413) and, on the DRF surfaces, a media type no parser reads (415).
 * Added to the document here, once, rather than on each handler.
 */
export function withTransportAnswers(document: OpenAPIObject, fastApiTag: string): void {
  for (const { operation } of operationsOf(document)) {
    if (!operation.requestBody) continue;
    const responses = operation.responses as Record<string, ResponseObject>;
    if (operation.tags?.includes(fastApiTag)) {
      responses['400'] = withAlternative(
        responses['400'],
        'ErrorModel',
        'The body cannot be read',
        BAD_REQUEST,
      );
      responses['413'] ??= fastApiDetail('The body is over the size limit', {
        'Too large': { detail: FASTAPI_REASONS[413] },
      });
      continue;
    }
    responses['400'] = withAlternative(
      responses['400'],
      'DrfDetail',
      'The body is malformed',
      MALFORMED,
    );
    responses['413'] ??= drfDetail('The body is over the size limit', {
      'Too large': { detail: DRF_DETAIL_BY_STATUS[413] },
    });
    responses['415'] ??= drfDetail(
      'A media type no parser reads (JSON, form and multipart are read)',
      {
        'Unsupported media type': { detail: DRF_MESSAGES.unsupportedMediaType('text/plain') },
      },
    );
  }
}

const CSRF_REFUSED =
  'In cookie mode (JWT_AUTH_COOKIE set): the access cookie was sent and failed the CSRF check';
/** Django 4's reasons (src/http/csrf.ts), behind DRF's `CSRF Failed: `. */
const DRF_CSRF_FAILED = {
  'CSRF token missing (cookie mode)': { detail: 'CSRF Failed: CSRF token missing.' },
  'Untrusted Origin (cookie mode)': {
    detail:
      'CSRF Failed: Origin checking failed - https://evil.example does not match any trusted origins.',
  },
};
const FASTAPI_CSRF_FAILED = { 'CSRF check failed (cookie mode)': { detail: FASTAPI_REASONS[403] } };

/**
 * Cookie mode's CSRF 403 on the unsafe methods of every operation a JWT cookie
 * authenticates (marked by the access decorators): DRF's `CSRF Failed: …`,
 * Starlette's bare `Forbidden` on fastapi-users' routes. Only with
 * JWT_AUTH_COOKIE set; the document is the same whatever the settings, so it says so.
 */
export function withCookieCsrfAnswers(document: OpenAPIObject, fastApiTag: string): void {
  for (const { method, operation } of operationsOf(document)) {
    const marked = operation as OperationObject & Record<string, unknown>;
    if (!marked[COOKIE_REACHES]) continue;
    delete marked[COOKIE_REACHES];
    if (!UNSAFE_METHODS.has(method)) continue;
    const responses = operation.responses as Record<string, ResponseObject>;
    responses['403'] = operation.tags?.includes(fastApiTag)
      ? withAlternative(responses['403'], 'ErrorModel', CSRF_REFUSED, FASTAPI_CSRF_FAILED)
      : withAlternative(responses['403'], 'DrfDetail', CSRF_REFUSED, DRF_CSRF_FAILED);
  }
}

const RETRY_AFTER: HeadersObject = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'string', example: UNAVAILABLE_RETRY_AFTER },
  },
};
const UNAVAILABLE =
  'The database is unavailable (unreachable, restarting, read-only, timed out): try again later';

/**
 * The 503 any operation answers while the database is away (src/problems/problem.ts
 * classifies it), in the operation's dialect, with `Retry-After`. Health's
 * operations document their own (readiness) or never touch the database (liveness).
 */
export function withUnavailableAnswers(
  document: OpenAPIObject,
  fastApiTag: string,
  healthTag: string,
): void {
  for (const { operation } of operationsOf(document)) {
    if (operation.tags?.includes(healthTag)) continue;
    const responses = operation.responses as Record<string, ResponseObject>;
    responses['503'] ??= operation.tags?.includes(fastApiTag)
      ? fastApiDetail(
          UNAVAILABLE,
          { 'Database unavailable': { detail: FASTAPI_REASONS[503] } },
          RETRY_AFTER,
        )
      : drfDetail(
          UNAVAILABLE,
          { 'Database unavailable': { detail: DRF_MESSAGES.serviceUnavailable } },
          RETRY_AFTER,
        );
  }
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/**
 * The operation's answer of one status, or none, with a `{"detail": …}` body of
 * `schema` added as an alternative: its description, schema and examples.
 */
function withAlternative(
  answer: ResponseObject | undefined,
  schema: DetailSchema,
  description: string,
  bodies: Record<string, { detail: string }>,
): ResponseObject {
  const media = answer?.content?.['application/json'];
  if (!answer || !media?.schema) return detailAnswer(schema)(description, bodies);
  const detail = schemaRef(schema);
  const alternatives: (SchemaObject | ReferenceObject)[] = (media.schema as SchemaObject).oneOf ?? [
    media.schema,
  ];
  const hasDetail = alternatives.some((known) => '$ref' in known && known.$ref === detail.$ref);
  return {
    ...answer,
    description: `${answer.description}; or ${lowerFirst(description)}`,
    content: {
      'application/json': {
        ...media,
        schema: hasDetail ? media.schema : { oneOf: [...alternatives, detail] },
        examples: { ...media.examples, ...namedExamples(bodies) },
      },
    },
  };
}
