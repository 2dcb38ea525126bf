/**
 * Gatehouse's public API: what a consumer app imports from `@gatehouse-auth/nestjs`
 * (the DRF and FastAPI field decorators come from its `/drf` and `/fastapi` subpaths).
 * Everything else (controllers, DTOs, internal helpers) may change in any
 * release; see docs/extending.md for what is stable.
 */

// Composition
export { GatehouseModule } from './gatehouse/gatehouse.module';
export {
  LoginService,
  loginStep,
  type FirstFactor,
  type LoginOutcome,
  type LoginRules,
  type LoginStep,
  type SecondFactorGate,
} from './accounts/login.service';
export {
  SURFACES,
  type GatehouseModuleAsyncOptions,
  type GatehouseModuleOptions,
  type GatehouseStaticOptions,
  type SurfaceMount,
  type SurfaceName,
} from './gatehouse/gatehouse-options';
export { createApp, createGatehouseApp } from './app.factory';
export { AppModule, type AppModuleOptions } from './app.module';

// Configuration
export { ConfigModule } from './config/config.module';
export {
  GatehouseConfig,
  type DatabaseSettings,
  type DjoserSettings,
} from './config/gatehouse-config';
export { ConfigError, loadConfig } from './config/load-config';
export { readDotEnv } from './config/dotenv';

// Feature modules (each global, each with its own forRoot)
export {
  AccountsModule,
  defaultPasswordHashers,
  type AccountsModuleOptions,
} from './accounts/accounts.module';
export { DatabaseModule, type DatabaseModuleOptions } from './database/database.module';
export { gatehouseEntities } from './gatehouse/entities';
export { JwtAuthModule, type JwtAuthModuleOptions } from './jwt-auth/jwt-auth.module';
export { MailModule, type MailModuleOptions } from './mail/mail.module';
export { PasswordModule, type PasswordModuleOptions } from './password/password.module';
export { RegistrationModule } from './registration/registration.module';
export { TokenKeyModule } from './token-key/token-key.module';
export { MfaModule } from './mfa/mfa.module';
export { EventsModule } from './events/events.module';
export { AuthModule } from './access/auth.module';
export { PassportSchemesModule, type PassportAuthScheme } from './access/passport-schemes.module';

// Entities and services
export { User, KYC_STATUSES, type KycStatus } from './accounts/user.entity';
export { AccountProvider } from './accounts/account-provider.entity';
export { UsersService, type CreateUserInput } from './accounts/users.service';
export { CredentialsService } from './accounts/credentials.service';
export { PasswordHasherService } from './accounts/password-hasher.service';
export {
  JwtTokenService,
  type TokenClaims,
  type TokenPair,
  type TokenType,
} from './jwt-auth/jwt-token.service';
export { TokenKeyService } from './token-key/token-key.service';
export { MfaService, type MfaAttempt, type SecondFactorKind } from './mfa/mfa.service';
export { TotpDevice } from './mfa/totp-device.entity';
export { RecoveryCode } from './mfa/recovery-code.entity';
export { MailService } from './mail/mail.service';
export { PasswordValidationService } from './password/password-validation.service';

// Extension points
export {
  JwtClaimsProvider,
  DstoqClaimsProvider,
  RESERVED_CLAIMS,
} from './jwt-auth/jwt-claims.provider';
export { UserSerializer, type UserRepresentation } from './accounts/user-serializer';
export { PASSWORD_HASHERS, type PasswordHasher } from './accounts/hashers/password-hasher';
export { Argon2idHasher } from './accounts/hashers/argon2id.hasher';
export { DjangoPbkdf2Hasher } from './accounts/hashers/django-pbkdf2.hasher';
export { BcryptHasher } from './accounts/hashers/bcrypt.hasher';
export {
  PASSWORD_VALIDATORS,
  CommonPasswordValidator,
  MinimumLengthValidator,
  NumericPasswordValidator,
  UserAttributeSimilarityValidator,
  defaultPasswordValidators,
  type PasswordUserContext,
  type PasswordValidator,
} from './password/password-validators';
export { MAIL_TRANSPORT, type MailMessage, type MailTransport } from './mail/mail-transport';
export {
  DEFAULT_MAIL_TEMPLATES,
  MAIL_TEMPLATE_NAMES,
  type MailContext,
  type MailTemplate,
  type MailTemplateName,
} from './mail/mail-templates';
export * from './events/gatehouse-events';
export { GatehouseEvents } from './events/gatehouse-events.service';

// Decorators and errors for a consumer's own controllers
export { Authenticated, Public, Staff, Superuser } from './access/access.decorators';
export { CurrentPrincipal, CurrentUser } from './access/current-user.decorator';
export type { AuthUser, Principal } from './access/auth-scheme';
export { DRF_MESSAGES, DrfException } from './problems/drf.exception';
export { FastApiException } from './problems/fastapi.exception';
export { SurfaceDialect } from './dialects/dialect.decorators';
export { Throttled, type ThrottleScope } from './throttling/throttle-scopes';
export {
  AuthenticationFailed,
  CsrfFailed,
  DomainError,
  FieldErrors,
  type FieldProblem,
  LoginRefused,
  type LoginRefusal,
  MfaCodeRejected,
  MfaPasswordRejected,
  MfaStateConflict,
  MfaUnavailable,
  NON_FIELD,
  NotFoundError,
  PermissionDeniedError,
  TooManyAttempts,
} from './problems/domain.errors';
export {
  MfaRequired,
  SecondFactorRefused,
  type SecondFactorRefusal,
} from './problems/login-challenge.errors';
export type { SurfaceErrorMapper } from './dialects/surface-errors';
export { UncheckedBody } from './http/unchecked-body';
export { timestampType, ownedByUser, idColumn } from './database/column-types';
