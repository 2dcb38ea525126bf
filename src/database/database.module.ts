import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatehouseConfig } from '../config/gatehouse-config';
import { dataSourceOptions, type DatabaseModuleOptions } from './data-source-options';

export type { DatabaseModuleOptions } from './data-source-options';
import { migrateUnderLock } from './migrate';

/**
 * The one TypeORM data source, migrated at boot (under a lock on PostgreSQL). Its
 * entities are the ones the feature modules register (`TypeOrmModule.forFeature`),
 * plus any the host lists in `options.entities`.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions = {}): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [GatehouseConfig],
          useFactory: async (config: GatehouseConfig) => {
            const base = { ...dataSourceOptions(config, options), autoLoadEntities: true };
            // A database that is down at boot stops the boot instead of retrying for minutes.
            if (base.type !== 'postgres') return { ...base, retryAttempts: 0 };
            // Several instances booting at once on PostgreSQL migrate it once.
            await migrateUnderLock(base);
            return { ...base, migrationsRun: false, retryAttempts: 0 };
          },
        }),
      ],
    };
  }
}
