import { type DynamicModule, Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { ConfigModule } from '../config/config.module';
import type { GatehouseConfig } from '../config/gatehouse-config';
import { AuthModule } from '../access/auth.module';
import { EventsModule } from '../events/events.module';
import { RedisModule } from '../infra/redis/redis.module';
import { DatabaseModule } from '../database/database.module';
import { JwtAuthModule } from '../jwt-auth/jwt-auth.module';
import { PasswordValidationService } from '../password/password-validation.service';
import { defaultPasswordValidators, PASSWORD_VALIDATORS } from '../password/password-validators';
import { TokenKeyModule } from '../token-key/token-key.module';
import { SessionsModule } from '../sessions/sessions.module';
import { MfaModule } from '../mfa/mfa.module';
import { MigrationModule } from '../migration/migration.module';

/**
 * What the CLI needs: the database (migrated), the user store, tokens and Token
 * keys, Django's password validators, and Redis (REDIS_URL) for cache
 * invalidations; no HTTP, no mail.
 */
@Module({})
export class CliModule {
  static forRoot(config: GatehouseConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(),
        EventsModule,
        // With REDIS_URL, a change made here (a deactivation) reaches every instance's cache.
        RedisModule,
        AuthModule,
        AccountsModule.forRoot(),
        JwtAuthModule.forRoot(),
        SessionsModule,
        MfaModule,
        TokenKeyModule.forRoot(),
        MigrationModule,
        AuditModule,
      ],
      providers: [
        { provide: PASSWORD_VALIDATORS, useFactory: defaultPasswordValidators },
        PasswordValidationService,
      ],
    };
  }
}
