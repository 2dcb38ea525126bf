import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { GatehouseConfig } from '../config/gatehouse-config';
import { JwtTokenService } from './jwt-token.service';

/** Removes expired refresh-token rows every TOKEN_FLUSH_INTERVAL seconds. */
@Injectable()
export class TokenFlushService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('TokenFlush');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly config: GatehouseConfig,
    private readonly tokens: JwtTokenService,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.jwt.flushInterval;
    if (seconds <= 0) return;
    this.timer = setInterval(() => void this.flush(), seconds * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async flush(): Promise<void> {
    try {
      const removed = await this.tokens.flushExpired();
      if (removed > 0) this.logger.log(`removed ${removed} expired refresh tokens`);
    } catch (error) {
      this.logger.error(error instanceof Error ? error.message : String(error));
    }
  }
}
