import {
  type DynamicModule,
  type FactoryProvider,
  Global,
  Module,
  type ModuleMetadata,
} from '@nestjs/common';
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

  /** The config from a factory (a consumer's own ConfigService, a secrets manager…). */
  static forRootAsync(options: {
    imports?: ModuleMetadata['imports'];
    inject?: FactoryProvider['inject'];
    useFactory: (...args: never[]) => GatehouseConfig | Promise<GatehouseConfig>;
  }): DynamicModule {
    return {
      module: ConfigModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: GatehouseConfig,
          inject: options.inject ?? [],
          useFactory: options.useFactory as (...args: unknown[]) => GatehouseConfig,
        },
      ],
      exports: [GatehouseConfig],
    };
  }
}
