import { type DynamicModule, Module, type Type } from '@nestjs/common';
import type { Writable } from 'node:stream';
import { AccountsModule } from './accounts/accounts.module';
import { FastapiUsersUsersModule } from './accounts/fastapi-users-users.module';
import { AuthModule } from './common/auth/auth.module';
import { ConfigModule } from './config/config.module';
import type { GatehouseConfig } from './config/gatehouse-config';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './common/events/events.module';
import { HealthModule } from './health/health.module';
import type { JwtClaimsProvider } from './jwt-auth/jwt-claims.provider';
import { JwtAuthModule } from './jwt-auth/jwt-auth.module';
import { PasswordModule } from './password/password.module';
import { RegistrationModule } from './registration/registration.module';
import { TokenKeyModule } from './token-key/token-key.module';

export interface AppModuleOptions {
  /** Where the JSON logs go (stdout when absent); tests read them from here. */
  logStream?: Writable;
  /** Modules mounted beside Gatehouse's own (a consumer's, or a test's probes). */
  imports?: (Type | DynamicModule)[];
  /** Replaces the JWT custom-claims hook (see JwtClaimsProvider). */
  jwtClaimsProvider?: Type<JwtClaimsProvider>;
}

/** The standalone Gatehouse app: every module, fed from one validated config. */
@Module({})
export class AppModule {
  static forRoot(config: GatehouseConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        EventsModule,
        AuthModule,
        AccountsModule,
        JwtAuthModule.forRoot({ claimsProvider: options.jwtClaimsProvider }),
        RegistrationModule,
        PasswordModule,
        TokenKeyModule,
        FastapiUsersUsersModule,
        HealthModule,
        ...(options.imports ?? []),
      ],
    };
  }
}
