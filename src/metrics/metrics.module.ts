import { Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { MetricsService } from './metrics.service';

const HTTP_METRICS = Symbol('HTTP_METRICS');

/** The metrics registry (prom-client) and the hook that times every request; the health surface serves `/metrics`. */
@Module({
  providers: [
    MetricsService,
    {
      provide: HTTP_METRICS,
      inject: [HttpAdapterHost, MetricsService],
      // Built before Nest registers any route, so the hook covers them all.
      useFactory: (host: HttpAdapterHost, metrics: MetricsService) => {
        const instance = host.httpAdapter?.getInstance?.<FastifyInstance>();
        if (instance) metrics.observe(instance);
        return Boolean(instance);
      },
    },
  ],
  exports: [MetricsService],
})
export class MetricsModule {}
