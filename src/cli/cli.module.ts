import { type DynamicModule, Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ConfigModule } from '../config/config.module';
import type { GatehouseConfig } from '../config/gatehouse-config';
import { DatabaseModule } from '../database/database.module';

/** What the CLI needs: the database (migrated) and the user store, no HTTP. */
@Module({})
export class CliModule {
  static forRoot(config: GatehouseConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, AccountsModule],
    };
  }
}
