import { type DynamicModule, Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { ConfigModule } from '../config/config.module';
import type { GatehouseConfig } from '../config/gatehouse-config';
import { AuthModule } from '../common/auth/auth.module';
import { EventsModule } from '../common/events/events.module';
import { DatabaseModule } from '../database/database.module';
import { JwtAuthModule } from '../jwt-auth/jwt-auth.module';

/** What the CLI needs: the database (migrated), the user store and tokens; no HTTP. */
@Module({})
export class CliModule {
  static forRoot(config: GatehouseConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(),
        EventsModule,
        AuthModule,
        AccountsModule.forRoot(),
        JwtAuthModule.forRoot(),
        AuditModule,
      ],
    };
  }
}
