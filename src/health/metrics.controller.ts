import { Controller, Get, Headers, NotFoundException, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { type HttpReply, send, setHeader, setStatus } from '../http/http-seam';
import { Public } from '../access/access.decorators';
import { safeEqual } from '../infra/crypto/signing';
import { DIALECT_ROUTE_CONFIG } from '../http/route-config';
import { RouteConfigEntry } from '../http/route-config';
import { GatehouseConfig } from '../config/gatehouse-config';
import { MetricsService } from '../metrics/metrics.service';

/**
 * Prometheus' scrape endpoint; behind `Authorization: Bearer <METRICS_TOKEN>` when that is
 * set. In production without a token it is not served at all: the 404 of any unknown path
 * (DRF's, as an unknown path gets it).
 */
@ApiExcludeController()
@RouteConfigEntry(DIALECT_ROUTE_CONFIG, 'drf')
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
    @Res() reply: HttpReply,
  ): Promise<void> {
    const token = this.config.metricsToken;
    if (!token && this.config.isProduction) throw new NotFoundException();
    if (token && !safeEqual(authorization ?? '', `Bearer ${token}`)) {
      setStatus(reply, 401);
      setHeader(reply, 'WWW-Authenticate', 'Bearer realm="metrics"');
      send(reply, { detail: 'Authentication credentials were not provided.' });
      return;
    }
    const body = await this.metrics.registry.metrics();
    setHeader(reply, 'Content-Type', this.metrics.registry.contentType);
    send(reply, body);
  }
}
