import { type DynamicModule, Module, type Type } from '@nestjs/common';
import type { GatehouseConfig } from './config/gatehouse-config';
import { GatehouseModule } from './gatehouse/gatehouse.module';
import type { GatehouseStaticOptions } from './gatehouse/gatehouse-options';

export interface AppModuleOptions extends GatehouseStaticOptions {
  /** Modules mounted beside Gatehouse (a consumer's own, or a test's probes). */
  imports?: (Type | DynamicModule)[];
}

/**
 * The standalone Gatehouse app: the reference consumer of GatehouseModule,
 * fed from one validated config (the environment, in `main.ts`).
 */
@Module({})
export class AppModule {
  static forRoot(config: GatehouseConfig, options: AppModuleOptions = {}): DynamicModule {
    const { imports = [], ...gatehouse } = options;
    return {
      module: AppModule,
      imports: [GatehouseModule.forRoot({ ...gatehouse, config }), ...imports],
    };
  }
}
