import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { RouterModule, type Routes } from '@nestjs/core';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../access/auth.module';
import { PassportSchemesModule } from '../access/passport-schemes.module';
import { EventsModule } from '../events/events.module';
import { HttpPlatformModule } from './http-platform.module';
import { ThrottlingModule } from '../throttling/throttling.module';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { HealthModule } from '../health/health.module';
import { AdminSurfaceModule } from '../surfaces/admin/admin.module';
import { DjoserSurfaceModule } from '../surfaces/djoser/djoser.module';
import { FastapiUsersSurfaceModule } from '../surfaces/fastapi-users/fastapi-users.module';
import { JwksModule } from '../surfaces/jwks/jwks.module';
import { JwtAuthModule } from '../jwt-auth/jwt-auth.module';
import { SimpleJwtSurfaceModule } from '../surfaces/simplejwt/simplejwt.module';
import { MailModule } from '../mail/mail.module';
import { MigrationModule } from '../migration/migration.module';
import { MetricsModule } from '../metrics/metrics.module';
import { JobsModule } from '../jobs/jobs.module';
import { RedisModule } from '../infra/redis/redis.module';
import { PasswordModule } from '../password/password.module';
import { RegistrationModule } from '../registration/registration.module';
import { RestAuthSurfaceModule } from '../surfaces/rest-auth/rest-auth.module';
import { TokenKeyModule } from '../token-key/token-key.module';
import { SessionsModule } from '../sessions/sessions.module';
import { MfaLoginModule } from '../mfa/mfa-login.module';
import { MfaModule } from '../mfa/mfa.module';
import {
  type GatehouseModuleAsyncOptions,
  type GatehouseModuleOptions,
  type GatehouseStaticOptions,
  SURFACES,
  type SurfaceName,
} from './gatehouse-options';

const SURFACE_MODULES: Record<SurfaceName, Type> = {
  admin: AdminSurfaceModule,
  djoser: DjoserSurfaceModule,
  'fastapi-users': FastapiUsersSurfaceModule,
  'rest-auth': RestAuthSurfaceModule,
  simplejwt: SimpleJwtSurfaceModule,
  jwks: JwksModule,
  health: HealthModule,
};

/**
 * All of Gatehouse in one import: the feature modules (global, so a consumer's
 * own modules inject UsersService, JwtTokenService, … directly) and the seed
 * surfaces it mounts. The standalone app is `GatehouseModule.forRoot` fed from
 * the environment; an enterprise app imports it beside its own modules.
 */
@Module({})
export class GatehouseModule {
  static forRoot(options: GatehouseModuleOptions): DynamicModule {
    return GatehouseModule.compose(ConfigModule.forRoot(options.config), options);
  }

  static forRootAsync(options: GatehouseModuleAsyncOptions): DynamicModule {
    return GatehouseModule.compose(
      ConfigModule.forRootAsync({
        imports: options.imports,
        inject: options.inject,
        useFactory: options.useFactory,
      }),
      options,
    );
  }

  private static compose(config: DynamicModule, options: GatehouseStaticOptions): DynamicModule {
    const mounts = options.surfaces ?? Object.fromEntries(SURFACES.map((name) => [name, true]));
    const surfaces = SURFACES.filter((name) => mounts[name]);
    const routes: Routes = surfaces.flatMap((name) => {
      const mount = mounts[name];
      return typeof mount === 'object'
        ? [{ path: mount.prefix, module: SURFACE_MODULES[name] }]
        : [];
    });
    return {
      module: GatehouseModule,
      imports: [
        config,
        DatabaseModule.forRoot({
          entities: options.entities,
          migrations: options.migrations,
        }),
        EventsModule,
        RedisModule,
        JobsModule,
        AuthModule,
        HttpPlatformModule.forRoot({ logStream: options.logStream }),
        ThrottlingModule,
        AuditModule,
        MailModule.forRoot({ transport: options.mailTransport }),
        AccountsModule.forRoot({
          passwordHashers: options.passwordHashers,
          userSerializer: options.userSerializer,
        }),
        JwtAuthModule.forRoot({ claimsProvider: options.jwtClaimsProvider }),
        PasswordModule.forRoot({ passwordValidators: options.passwordValidators }),
        RegistrationModule.forRoot(),
        SessionsModule,
        MfaLoginModule,
        MfaModule,
        TokenKeyModule.forRoot(),
        MigrationModule,
        ...(options.authSchemes?.length
          ? [PassportSchemesModule.forRoot(options.authSchemes)]
          : []),
        MetricsModule,
        ...surfaces.map((name) => SURFACE_MODULES[name]),
        ...(routes.length > 0 ? [RouterModule.register(routes)] : []),
      ],
    };
  }
}
