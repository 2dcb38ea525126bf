import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteTable } from '../http/route-table';
import { routeDialect } from './dialect.decorators';
import { DRF_MESSAGES, DrfException } from './drf.exception';
import { FastApiException } from './fastapi.exception';
import { sendFastApiProblem } from './fastapi-exception.filter';
import { drfAnswer } from './domain-answers';
import { DomainError } from './domain.errors';
import { classify, describeError, isUnrouted, UNAVAILABLE_RETRY_AFTER } from './problem';

const DETAIL_BY_STATUS: Record<number, string> = {
  400: DRF_MESSAGES.malformed,
  401: DRF_MESSAGES.notAuthenticated,
  403: DRF_MESSAGES.permissionDenied,
  404: DRF_MESSAGES.notFound,
  406: DRF_MESSAGES.notAcceptable,
  413: DRF_MESSAGES.tooLarge,
};

/**
 * Django REST framework's dialect (seeds 000, 002, 003, 004) — and the default
 * for anything no route claims: 404, 405 with `Allow`, 415, malformed JSON.
 * Requests to a FastAPI-dialect route (or to a path such a route serves) are
 * answered in FastAPI's dialect instead, whatever failed before their handler.
 */
@Catch()
export class DrfExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('DrfExceptionFilter');

  /**
   * @param challenge the `WWW-Authenticate` value of a 401 (DRF names the first scheme)
   * @param routes the route table used to tell a 405 from a 404
   */
  constructor(
    private readonly challenge: string,
    private readonly routes?: RouteTable,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const fastapi = isUnrouted(request)
      ? this.routes?.dialectAt(request.url) === 'fastapi'
      : routeDialect(request) === 'fastapi';
    if (fastapi) return sendFastApiProblem(exception, request, reply, this.routes);

    const answer = exception instanceof DomainError ? drfAnswer(exception) : exception;
    const problem = classify(answer, request, this.routes);
    let status: number;
    let body: unknown;
    const headers: Record<string, string> = {};

    switch (problem.kind) {
      case 'formed': {
        const formed = problem.exception;
        status = formed.getStatus();
        if (formed instanceof DrfException) {
          body = formed.body;
          Object.assign(headers, formed.headers);
        } else if (formed instanceof FastApiException) {
          body = { detail: formed.detail };
        } else {
          body = formed.getResponse();
        }
        break;
      }
      case 'status':
        status = problem.status;
        body = { detail: DETAIL_BY_STATUS[status] ?? statusText(problem.status) };
        break;
      case 'method-not-allowed':
        status = 405;
        body = { detail: DRF_MESSAGES.methodNotAllowed(problem.method) };
        headers.Allow = problem.allow.join(', ');
        break;
      case 'json-parse':
        status = 400;
        body = { detail: DRF_MESSAGES.parseError(problem.message) };
        break;
      case 'media-type':
        status = 415;
        body = { detail: DRF_MESSAGES.unsupportedMediaType(problem.contentType) };
        break;
      case 'too-large':
        status = 413;
        body = { detail: DRF_MESSAGES.tooLarge };
        break;
      case 'malformed':
        status = 400;
        body = { detail: DRF_MESSAGES.malformed };
        break;
      case 'unavailable':
        status = 503;
        body = { detail: DRF_MESSAGES.serviceUnavailable };
        headers['Retry-After'] = UNAVAILABLE_RETRY_AFTER;
        this.logger.warn(`database unavailable: ${describeError(problem.error)}`);
        break;
      case 'server':
        status = 500;
        body = { detail: DRF_MESSAGES.serverError };
        this.logger.error(
          problem.error instanceof Error ? problem.error.stack : String(problem.error),
        );
        break;
    }
    if (status === 401 && !headers['WWW-Authenticate'])
      headers['WWW-Authenticate'] = this.challenge;
    if (exception instanceof HttpException && status === 405 && !headers.Allow) {
      headers.Allow = this.routes?.allowedMethods(request.url).join(', ') ?? '';
    }
    void reply.status(status).headers(headers).send(body);
  }
}

function statusText(status: number): string {
  return `Request failed with status ${status}.`;
}
