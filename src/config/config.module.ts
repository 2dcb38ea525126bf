import { type DynamicModule, Global, Module } from '@nestjs/common';
import { GatehouseConfig } from './gatehouse-config';
import { loadConfig } from './load-config';

/**
 * Provides the validated `GatehouseConfig` to every module. The standalone app
 * feeds it from the environment; tests and consumer apps pass their own.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: GatehouseConfig = loadConfig()): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: GatehouseConfig, useValue: config }],
      exports: [GatehouseConfig],
    };
  }
}
