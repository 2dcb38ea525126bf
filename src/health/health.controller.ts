import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorators';
import { DOC_TAGS } from '../docs/docs.setup';
import { namedExamples } from '../docs/responses';

/** Terminus' answer: the overall status, and each indicator's under info, error and details. */
const INDICATORS = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'down'] }, message: { type: 'string' } },
  },
};
const HEALTH = {
  type: 'object',
  required: ['status', 'info', 'error', 'details'],
  properties: {
    status: { type: 'string', enum: ['ok', 'error', 'shutting_down'] },
    info: INDICATORS,
    error: INDICATORS,
    details: INDICATORS,
  },
};
const UP = { database: { status: 'up' } };
const DOWN = { database: { status: 'down' } };

/** Readiness (`/health`: 200 when the database answers, 503 when not) and liveness (`/health/live`). */
@ApiTags(DOC_TAGS.health.name)
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  @Get('health')
  @Public({ authenticates: false })
  @ApiOperation({
    summary: 'Readiness: the database state',
    description:
      'For load balancers: 200 when the database answers, 503 when not (send no traffic then).',
  })
  // Documented here rather than by terminus, which documents only when it can require() Swagger.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({
    description: 'The database answers',
    schema: HEALTH,
    examples: namedExamples({ Up: { status: 'ok', info: UP, error: {}, details: UP } }),
  })
  @ApiServiceUnavailableResponse({
    description: 'The database does not answer',
    schema: HEALTH,
    examples: namedExamples({ Down: { status: 'error', info: {}, error: DOWN, details: DOWN } }),
  })
  async check() {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', { timeout: 1500 }),
      ]);
    } catch (error) {
      // Each indicator says `down`, without the driver's message (hosts, users, versions).
      if (error instanceof ServiceUnavailableException) {
        throw new ServiceUnavailableException(withoutMessages(error.getResponse()));
      }
      throw error;
    }
  }

  @Get('health/live')
  @Public({ authenticates: false })
  @ApiOperation({
    summary: 'Liveness',
    description:
      'For orchestrators: 200 while the process serves HTTP, whatever the database does (do not restart on a database outage).',
  })
  @ApiOkResponse({
    description: 'The process is alive',
    schema: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['ok'] } },
    },
    examples: namedExamples({ Alive: { status: 'ok' } }),
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}

/** Terminus' answer with each indicator reduced to its status. */
function withoutMessages(body: unknown): object {
  const answer = { ...(body as Record<string, unknown>) };
  for (const part of ['info', 'error', 'details']) {
    const indicators = answer[part] as Record<string, { status?: unknown }> | undefined;
    if (!indicators) continue;
    answer[part] = Object.fromEntries(
      Object.entries(indicators).map(([name, value]) => [name, { status: value?.status }]),
    );
  }
  return answer;
}
