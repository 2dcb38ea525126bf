import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import {
  type HttpReply,
  type HttpRequest,
  send,
  setHeaders,
  setStatus,
} from '../../http/http-seam';
import type { AuthSchemeRegistry } from '../../access/auth-scheme.registry';
import type { RouteTable } from '../../http/route-table';
import { inRequestContext } from '../../http/request-context';
import { DRF_DETAIL_BY_STATUS } from '../../http/transport-errors';
import { declaresDialect, routeDialect } from '../../http/route-config';
import { DRF_MESSAGES, DrfException } from '../../problems/drf.exception';
import { FastApiException } from '../../problems/fastapi.exception';
import { sendFastApiProblem } from '../fastapi/fastapi-exception.filter';

import { drfAnswer } from '../domain-answers';
import { drfAllowOrder } from './drf-metadata';
import { DomainError } from '../../problems/domain.errors';
import { surfaceAnswer } from '../surface-errors';
import { describeError, UNAVAILABLE_RETRY_AFTER } from '../../problems/problem';
import { classify, isUnrouted, type Problem } from '../classify';

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
    private readonly schemes?: AuthSchemeRegistry,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const reply = http.getResponse<HttpReply>();
    const fastapi = isUnrouted(request)
      ? this.routes?.dialectAt(request.url) === 'fastapi'
      : routeDialect(request) === 'fastapi';
    if (fastapi) return sendFastApiProblem(exception, request, reply, this.routes);

    if (isNestAnswer(exception, request)) {
      setStatus(reply, exception.getStatus());
      send(reply, nestBody(exception));
      return;
    }
    const worded = surfaceAnswer(exception, request);
    const answer = worded instanceof DomainError ? drfAnswer(worded) : worded;
    const problem = classify(answer, request, this.routes);
    // A DRF view authenticates before it looks at the method: a refused credential
    // is its 401, not the 405.
    if (
      problem.kind === 'method-not-allowed' &&
      this.schemes &&
      request.headers.authorization !== undefined &&
      this.routes?.authenticatesAt(request.url)
    ) {
      this.schemes.authenticateHeader(request, reply).then(
        () => this.send(answer, problem, request, reply),
        (refused: unknown) => this.catch(refused, host),
      );
      return;
    }
    this.send(answer, problem, request, reply);
  }

  private send(exception: unknown, problem: Problem, request: HttpRequest, reply: HttpReply): void {
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
        body = { detail: DRF_DETAIL_BY_STATUS[status] ?? statusText(problem.status) };
        break;
      case 'method-not-allowed':
        status = 405;
        body = { detail: DRF_MESSAGES.methodNotAllowed(problem.method) };
        headers.Allow = drfAllowOrder(problem.allow).join(', ');
        break;
      case 'json-parse':
        status = 400;
        body = { detail: DRF_MESSAGES.parseError(problem.message) };
        break;
      case 'too-many-fields':
        status = 400;
        body = { detail: DRF_MESSAGES.tooManyFields(problem.limit) };
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
        inRequestContext(request, () =>
          this.logger.warn(`database unavailable: ${describeError(problem.error)}`),
        );
        break;
      case 'server':
        status = 500;
        body = { detail: DRF_MESSAGES.serverError };
        inRequestContext(request, () =>
          this.logger.error(
            problem.error instanceof Error ? problem.error.stack : String(problem.error),
          ),
        );
        break;
    }
    if (status === 401 && !headers['WWW-Authenticate'])
      headers['WWW-Authenticate'] = this.challenge;
    if (exception instanceof HttpException && status === 405 && !headers.Allow) {
      headers.Allow = drfAllowOrder(this.routes?.allowedMethods(request.url) ?? []).join(', ');
    }
    setStatus(reply, status);
    setHeaders(reply, headers);
    send(reply, body);
  }
}

/**
 * Nest's own HttpException (a ValidationPipe's 400, a NotFoundException…) raised
 * on a route of a consumer's controller without a dialect: answered as in any Nest
 * app. Gatehouse's own answers there (the guard's 401, a 429), transport errors
 * (a body Fastify refused) and unrouted requests keep DRF's dialect.
 */
function isNestAnswer(exception: unknown, request: HttpRequest): exception is HttpException {
  if (!(exception instanceof HttpException) || isUnrouted(request) || declaresDialect(request)) {
    return false;
  }
  if (exception instanceof DrfException || exception instanceof FastApiException) return false;
  const cause = exception.cause as { statusCode?: unknown } | undefined;
  return typeof cause?.statusCode !== 'number';
}

/** The body Nest's BaseExceptionFilter sends. */
function nestBody(exception: HttpException): unknown {
  const response = exception.getResponse();
  return typeof response === 'string'
    ? { statusCode: exception.getStatus(), message: response }
    : response;
}

function statusText(status: number): string {
  return `Request failed with status ${status}.`;
}
