import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/access.decorators';
import { safeEqual } from '../common/crypto/signing';
import { GatehouseConfig } from '../config/gatehouse-config';
import { MetricsService } from '../metrics/metrics.service';

/** Prometheus' scrape endpoint; behind `Authorization: Bearer <METRICS_TOKEN>` when that is set. */
@ApiExcludeController()
@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: GatehouseConfig,
  ) {}

  @Get('metrics')
  @Public({ authenticates: false })
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const token = this.config.metricsToken;
    if (token && !safeEqual(authorization ?? '', `Bearer ${token}`)) {
      await reply
        .status(401)
        .header('WWW-Authenticate', 'Bearer realm="metrics"')
        .send({ detail: 'Authentication credentials were not provided.' });
      return;
    }
    const body = await this.metrics.registry.metrics();
    await reply.header('Content-Type', this.metrics.registry.contentType).send(body);
  }
}
