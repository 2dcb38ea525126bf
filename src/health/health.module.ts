import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MetricsModule } from '../metrics/metrics.module';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';

/** The operations surface: readiness and liveness (`/health`, `/health/live`) and `/metrics`. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), MetricsModule],
  controllers: [HealthController, MetricsController],
})
export class HealthModule {}
