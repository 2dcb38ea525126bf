import { type DynamicModule, Module } from '@nestjs/common';
import type { Writable } from 'node:stream';
import { LoggerModule } from 'nestjs-pino';
import { AccountsModule } from './accounts/accounts.module';
import { AuthModule } from './common/auth/auth.module';
import { loggerParams } from './common/logging/logging';
import { ConfigModule } from './config/config.module';
import type { GatehouseConfig } from './config/gatehouse-config';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';

export interface AppModuleOptions {
  /** Where the JSON logs go (stdout when absent); tests read them from here. */
  logStream?: Writable;
}

/** The standalone Gatehouse app: every module, fed from one validated config. */
@Module({})
export class AppModule {
  static forRoot(config: GatehouseConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config.logLevel, options.logStream)),
        DatabaseModule,
        AuthModule,
        AccountsModule,
        HealthModule,
      ],
    };
  }
}
