import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '../access/access.decorators';
import { REDIS, redisAnswers } from '../infra/redis/redis.module';
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
const REDIS_UP = { ...UP, redis: { status: 'up' } };
const REDIS_DOWN = { ...UP, redis: { status: 'down' } };

type Indicators = Record<string, { status: string }>;

/**
 * Readiness (`/health`: 200 when the database answers, 503 when not) and liveness
 * (`/health/live`). With REDIS_URL, readiness also reports Redis, as information
 * only: a Redis outage leaves every instance serving (with per-instance
 * fallbacks), so it must not take them all out of the load balancer.
 */
@ApiTags(DOC_TAGS.health.name)
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {}

  @Get('health')
  @Public({ authenticates: false })
  @ApiOperation({
    summary: 'Readiness: the database state (and Redis, with REDIS_URL)',
    description:
      'For load balancers: 200 when the database answers, 503 when not (send no traffic then). ' +
      'With REDIS_URL, `info.redis` says whether Redis answers; Redis down is not a reason to ' +
      'send no traffic (each instance serves on with its own throttle counts and cache, and ' +
      'mails go to the database outbox), so it never makes the status 503.',
  })
  // Documented here rather than by terminus, which documents only when it can require() Swagger.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({
    description: 'The database answers',
    schema: HEALTH,
    examples: namedExamples({
      Up: { status: 'ok', info: UP, error: {}, details: UP },
      'Redis up': { status: 'ok', info: REDIS_UP, error: {}, details: REDIS_UP },
      'Redis down (degraded, still ready)': {
        status: 'ok',
        info: REDIS_DOWN,
        error: {},
        details: REDIS_DOWN,
      },
    }),
  })
  @ApiServiceUnavailableResponse({
    description: 'The database does not answer',
    schema: HEALTH,
    examples: namedExamples({ Down: { status: 'error', info: {}, error: DOWN, details: DOWN } }),
  })
  async check() {
    const redis = this.redisState();
    try {
      const result = await this.health.check([
        () => this.database.pingCheck('database', { timeout: 1500 }),
      ]);
      return withInfo(result, await redis);
    } catch (error) {
      // Each indicator says `down`, without the driver's message (hosts, users, versions).
      if (error instanceof ServiceUnavailableException) {
        const body = withoutMessages(error.getResponse());
        throw new ServiceUnavailableException(withInfo(body, await redis));
      }
      throw error;
    }
  }

  /** Redis' state for `info`, or nothing without REDIS_URL. */
  private async redisState(): Promise<Indicators> {
    if (!this.redis) return {};
    return { redis: { status: (await redisAnswers(this.redis)) ? 'up' : 'down' } };
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

/** Adds indicators that inform without deciding readiness to `info` and `details`. */
function withInfo<T extends object>(body: T, extra: Indicators): T {
  if (Object.keys(extra).length === 0) return body;
  const answer = body as T & { info?: Indicators; details?: Indicators };
  return {
    ...answer,
    info: { ...answer.info, ...extra },
    details: { ...answer.details, ...extra },
  };
}
