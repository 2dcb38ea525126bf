import { Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
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
        const adapter = host.httpAdapter;
        if (!adapter) return false;
        if (adapter.getType() === 'express') {
          adapter.use((request: object, response: ServerResponse, next: () => void) => {
            const started = process.hrtime.bigint();
            response.once('finish', () =>
              metrics.record(
                request,
                (request as { method: string }).method,
                response.statusCode,
                Number(process.hrtime.bigint() - started) / 1e9,
              ),
            );
            next();
          });
        } else {
          metrics.observe(adapter.getInstance<FastifyInstance>());
        }
        return true;
      },
    },
  ],
  exports: [MetricsService],
})
export class MetricsModule {}
