import type {
  OpenAPIObject,
  OperationObject,
  PathItemObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';
import { DRF_MESSAGES } from '../common/errors/drf.exception';
import { FASTAPI_REASONS } from '../common/errors/fastapi.exception';
import { DRF_DETAIL_BY_STATUS } from '../common/http/transport-errors';
import { namedExamples, schemaRef } from './responses';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** A `{"detail": …}` answer as the document writes a response: DRF's or fastapi-users'. */
const detailAnswer =
  (schema: 'DrfDetail' | 'ErrorModel') =>
  (description: string, bodies: Record<string, { detail: string }>): ResponseObject => ({
    description,
    content: { 'application/json': { schema: schemaRef(schema), examples: namedExamples(bodies) } },
  });
const drfDetail = detailAnswer('DrfDetail');
const fastApiDetail = detailAnswer('ErrorModel');

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
  for (const item of Object.values<PathItemObject>(document.paths)) {
    for (const method of METHODS) {
      const operation: OperationObject | undefined = item[method];
      if (!operation?.requestBody) continue;
      const responses = operation.responses as Record<string, ResponseObject>;
      if (operation.tags?.includes(fastApiTag)) {
        responses['400'] = withFastApiBadRequest(responses['400']);
        responses['413'] ??= fastApiDetail('The body is over the size limit', {
          'Too large': { detail: FASTAPI_REASONS[413] },
        });
        continue;
      }
      responses['400'] = withMalformedBody(responses['400']);
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
}

/** The operation's 400, or none, with DRF's parse error added as an alternative. */
function withMalformedBody(answer: ResponseObject | undefined): ResponseObject {
  const media = answer?.content?.['application/json'];
  if (!answer || !media?.schema) return drfDetail('The body is malformed', MALFORMED);
  const detail = schemaRef('DrfDetail');
  const alternatives: (SchemaObject | ReferenceObject)[] = (media.schema as SchemaObject).oneOf ?? [
    media.schema,
  ];
  const hasDetail = alternatives.some((schema) => '$ref' in schema && schema.$ref === detail.$ref);
  return {
    ...answer,
    description: `${answer.description}; or the body is malformed`,
    content: {
      'application/json': {
        ...media,
        schema: hasDetail ? media.schema : { oneOf: [...alternatives, detail] },
        examples: { ...media.examples, ...namedExamples(MALFORMED) },
      },
    },
  };
}

/** The operation's 400, or none, with Starlette's bare `Bad Request` (an unreadable form). */
function withFastApiBadRequest(answer: ResponseObject | undefined): ResponseObject {
  const media = answer?.content?.['application/json'];
  if (!answer || !media) return fastApiDetail('The body cannot be read', BAD_REQUEST);
  return {
    ...answer,
    description: `${answer.description}; or the body cannot be read`,
    content: {
      'application/json': {
        ...media,
        examples: { ...media.examples, ...namedExamples(BAD_REQUEST) },
      },
    },
  };
}
