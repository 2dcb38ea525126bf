import { applyDecorators } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
} from '@nestjs/swagger';
import type { Dialect } from '../http/route-config';
import { DrfResponse, FastApiResponse, namedExamples } from '../docs/responses';
import { SESSION_EXAMPLES, SESSION_PAGE_EXAMPLE, SessionDto, SessionPageDto } from './session-view';

/**
 * The Swagger entries of `<me>/sessions/` and `<me>/sessions/<id>/`, one bundle
 * for every surface: the same operations, each in its dialect (DRF pages and
 * `Not found.`; FastAPI's plain list and `Not Found`).
 */
const WHAT =
  'A session is one login: a refresh-token family (every access token it issued carries its id as ' +
  '`sid`), a Token key, a fastapi-users token, a dashboard or login-link login.';

const notFound = (dialect: Dialect, description: string) =>
  dialect === 'fastapi'
    ? FastApiResponse(404, description, { 'Not Found': { detail: 'Not Found' } })
    : DrfResponse(404, description, { 'Not found': { detail: 'Not found.' } });

export const SESSION_ID_PARAM = ApiParam({
  name: 'id',
  format: 'uuid',
  description: "The session's id, as the list gives it",
  example: SESSION_EXAMPLES[1].id,
});

/** `GET <me>/sessions/`: a DRF page on DRF surfaces, a plain list on fastapi-users. */
export const ListSessionsDocs = (dialect: Dialect) =>
  applyDecorators(
    ApiOperation({
      summary: 'List my sessions',
      description:
        `Where you are logged in: your live sessions, newest first. ${WHAT} \`current\` is true for the ` +
        'one making this request.' +
        (dialect === 'fastapi' ? '' : ' Paginated as DRF does (`count`, `next`, `previous`).'),
    }),
    ...(dialect === 'fastapi'
      ? [
          ApiOkResponse({
            description: 'Successful Response',
            type: [SessionDto],
            examples: namedExamples({ 'Three devices': SESSION_EXAMPLES }),
          }),
        ]
      : [
          ApiQuery({ name: 'page', required: false, type: Number, description: 'From 1' }),
          ApiQuery({
            name: 'page_size',
            required: false,
            type: Number,
            description: 'Sessions per page: 20 by default, 100 at most',
          }),
          ApiOkResponse({
            description: 'A page of sessions',
            type: SessionPageDto,
            examples: namedExamples({ 'Three devices': SESSION_PAGE_EXAMPLE }),
          }),
          DrfResponse(404, 'A page beyond the last', {
            'Invalid page': { detail: 'Invalid page.' },
          }),
        ]),
  );

/** `DELETE <me>/sessions/<id>/`. */
export const EndSessionDocs = (dialect: Dialect) =>
  applyDecorators(
    SESSION_ID_PARAM,
    ApiOperation({
      summary: 'End one of my sessions',
      description:
        'Logs that device out: every credential of the session (its refresh tokens and the access tokens ' +
        'they issued, its key, its dashboard cookie) is refused from now on, on every instance within a ' +
        "second. Ending the current session logs this client out. Another user's session id is a 404, " +
        'as an unknown one is.',
    }),
    ApiNoContentResponse({ description: 'Ended' }),
    notFound(dialect, 'You have no live session with this id'),
  );

/** `DELETE <me>/sessions/`. */
export const EndOtherSessionsDocs = () =>
  applyDecorators(
    ApiOperation({
      summary: 'Log out my other devices',
      description:
        'Ends every one of your sessions but the one making this request, which stays logged in. Their ' +
        'credentials are refused from now on, on every instance within a second.',
    }),
    ApiNoContentResponse({ description: 'Every other session ended' }),
  );
