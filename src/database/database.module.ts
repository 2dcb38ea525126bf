import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatehouseConfig } from '../config/gatehouse-config';
import { dataSourceOptions } from './data-source-options';

/** The one TypeORM data source, migrated at boot. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [GatehouseConfig],
      useFactory: (config: GatehouseConfig) => ({
        ...dataSourceOptions(config),
        // A database that is down at boot stops the boot instead of retrying for minutes.
        retryAttempts: 0,
      }),
    }),
  ],
})
export class DatabaseModule {}
