import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import {
  type HttpReply,
  type HttpRequest,
  send,
  setHeaders,
  setStatus,
} from '../../http/http-seam';
import type { RouteTable } from '../../http/route-table';
import { inRequestContext } from '../../http/request-context';
import { FASTAPI_REASONS, FastApiException } from '../../problems/fastapi.exception';
import { fastApiAnswer } from '../domain-answers';
import { DomainError } from '../../problems/domain.errors';
import { describeError, UNAVAILABLE_RETRY_AFTER } from '../../problems/problem';
import { classify } from '../classify';
import { surfaceAnswer } from '../surface-errors';

const logger = new Logger('FastApiExceptionFilter');

/**
 * FastAPI's dialect (seed 001): `{"detail": "CODE"}`, 422 `{"detail": [...]}`
 * for validation, Starlette's reason phrases for bare HTTP errors. Controllers
 * declared `@SurfaceDialect('fastapi')` use it for what their handlers raise; the app-wide
 * filter hands it what happens before a handler of theirs runs (404/405 at their
 * paths, body parsing).
 */
@Catch()
export class FastApiExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendFastApiProblem(exception, http.getRequest(), http.getResponse());
  }
}

/**
 * Answers an exception in FastAPI's dialect.
 * @param routes the route table used to tell a 405 from a 404 (unrouted requests)
 */
export function sendFastApiProblem(
  exception: unknown,
  request: HttpRequest,
  reply: HttpReply,
  routes?: RouteTable,
): void {
  const worded = surfaceAnswer(exception, request);
  const answer = worded instanceof DomainError ? fastApiAnswer(worded) : worded;
  const problem = classify(answer, request, routes);
  let status: number;
  let detail: unknown;
  let headers: Record<string, string> = {};
  let extra: Readonly<Record<string, unknown>> | undefined;

  switch (problem.kind) {
    case 'formed':
      status = problem.exception.getStatus();
      if (problem.exception instanceof FastApiException) {
        detail = problem.exception.detail;
        headers = problem.exception.headers;
        extra = problem.exception.extra;
      } else {
        detail = FASTAPI_REASONS[status] ?? 'Error';
      }
      break;
    case 'status':
      status = problem.status;
      detail = FASTAPI_REASONS[status] ?? 'Error';
      break;
    case 'method-not-allowed':
      status = 405;
      detail = FASTAPI_REASONS[405];
      headers = { Allow: problem.allow.join(', ') };
      break;
    case 'json-parse':
      // FastAPI reports an undecodable JSON body as a validation error.
      status = 422;
      detail = [
        {
          type: 'json_invalid',
          loc: ['body', 0],
          msg: 'JSON decode error',
          input: {},
          ctx: { error: problem.message },
        },
      ];
      break;
    case 'too-many-fields':
      // Starlette's words when a form has more fields than its parser's max_fields.
      status = 400;
      detail = `Too many fields. Maximum number of fields is ${problem.limit}.`;
      break;
    case 'media-type':
      status = 415;
      detail = FASTAPI_REASONS[415];
      break;
    case 'too-large':
      status = 413;
      detail = FASTAPI_REASONS[413];
      break;
    case 'malformed':
      status = 400;
      detail = FASTAPI_REASONS[400];
      break;
    case 'unavailable':
      status = 503;
      detail = FASTAPI_REASONS[503];
      headers = { 'Retry-After': UNAVAILABLE_RETRY_AFTER };
      inRequestContext(request, () =>
        logger.warn(`database unavailable: ${describeError(problem.error)}`),
      );
      break;
    case 'server':
      status = 500;
      detail = FASTAPI_REASONS[500];
      inRequestContext(request, () =>
        logger.error(problem.error instanceof Error ? problem.error.stack : String(problem.error)),
      );
      break;
  }
  if (status === 401 && !headers['WWW-Authenticate']) headers['WWW-Authenticate'] = 'Bearer';
  setStatus(reply, status);
  setHeaders(reply, headers);
  send(reply, { detail, ...extra });
}
