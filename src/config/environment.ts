import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { isAllowedHostPattern, parseTrustProxy } from './proxy-and-hosts';

/** Parses `true/false/1/0/yes/no/on/off`; anything else stays a string so validation names it. */
const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};

/** A cookie's SameSite attribute, as dj-rest-auth's JWT_AUTH_SAMESITE takes it. */
export const SAME_SITE_VALUES = ['Lax', 'Strict', 'None'] as const;
export type SameSite = (typeof SAME_SITE_VALUES)[number];

/** Django's set_cookie takes `samesite` in any case: `none` is `None`. */
const toSameSite = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? (SAME_SITE_VALUES.find((v) => v.toLowerCase() === value.trim().toLowerCase()) ?? value)
    : value;

/** Parses a decimal number: `5`, `0.5`. */
const toNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;

/** Parses a decimal integer strictly: `8000` yes, `80abc`, `8.5` or `` no. */
const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;

/** DRF's rate syntax, `number/period` (only the period's first letter counts), per scope. */
export const THROTTLE_RATES_PATTERN =
  /^(\s*[a-z_]+\s*=\s*\d+\s*\/\s*[smhd][a-z]*\s*(,\s*[a-z_]+\s*=\s*\d+\s*\/\s*[smhd][a-z]*\s*)*)?$/;

/** What `@nestjs/jwt` (jsonwebtoken) signs and verifies; it has no EdDSA. */
export const JWT_ALGORITHMS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

const jwtAlgorithmMessage = ({ value }: { value: unknown }): string =>
  `JWT_ALGORITHM must be one of ${JWT_ALGORITHMS.join(', ')}` +
  (value === 'EdDSA'
    ? ' (EdDSA is not supported: @nestjs/jwt cannot sign or verify it; use ES256 or RS256)'
    : '');
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const NODE_ENVS = ['development', 'production', 'test'] as const;
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;

/**
 * Every setting Gatehouse reads from the environment, with its default.
 * `.env.example` and the README's configuration table list exactly these
 * (a unit test keeps them in step). Secrets are marked so no error message echoes them.
 */
export class Environment {
  @IsIn(NODE_ENVS, { message: 'NODE_ENV must be one of development, production, test' })
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  @IsString({ message: 'HOST must be an interface address such as 0.0.0.0 or 127.0.0.1' })
  @MinLength(1, { message: 'HOST must be an interface address such as 0.0.0.0 or 127.0.0.1' })
  HOST = '0.0.0.0';

  @Transform(toInteger)
  @IsInt({ message: 'PORT must be an integer from 0 to 65535' })
  @Min(0, { message: 'PORT must be an integer from 0 to 65535' })
  @Max(65535, { message: 'PORT must be an integer from 0 to 65535' })
  PORT = 8000;

  @IsString()
  @MinLength(1, { message: 'DATA_DIR must be a directory path' })
  DATA_DIR = './data';

  @IsOptional()
  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, {
    message:
      'DATABASE_URL must be sqlite:<file path>, sqlite::memory: or postgres://user@host:port/database',
  })
  DATABASE_URL?: string = undefined;

  @Transform(toBoolean)
  @IsBoolean({ message: 'DATABASE_LOGGING must be true or false' })
  DATABASE_LOGGING = false;

  @Transform(toInteger)
  @IsInt({ message: 'DATABASE_CONNECT_TIMEOUT must be a number of milliseconds from 100 to 60000' })
  @Min(100, {
    message: 'DATABASE_CONNECT_TIMEOUT must be a number of milliseconds from 100 to 60000',
  })
  @Max(60000, {
    message: 'DATABASE_CONNECT_TIMEOUT must be a number of milliseconds from 100 to 60000',
  })
  DATABASE_CONNECT_TIMEOUT = 2000;

  @Transform(toInteger)
  @IsInt({ message: 'DATABASE_QUERY_TIMEOUT must be a number of milliseconds from 100 to 600000' })
  @Min(100, {
    message: 'DATABASE_QUERY_TIMEOUT must be a number of milliseconds from 100 to 600000',
  })
  @Max(600000, {
    message: 'DATABASE_QUERY_TIMEOUT must be a number of milliseconds from 100 to 600000',
  })
  DATABASE_QUERY_TIMEOUT = 3000;

  @Transform(toInteger)
  @IsInt({ message: 'DATABASE_POOL_SIZE must be an integer from 1 to 1000' })
  @Min(1, { message: 'DATABASE_POOL_SIZE must be an integer from 1 to 1000' })
  @Max(1000, { message: 'DATABASE_POOL_SIZE must be an integer from 1 to 1000' })
  DATABASE_POOL_SIZE = 10;

  @IsIn(['normal', 'full'], { message: 'SQLITE_SYNCHRONOUS must be normal or full' })
  SQLITE_SYNCHRONOUS: 'normal' | 'full' = 'normal';

  @IsIn(JWT_ALGORITHMS, { message: jwtAlgorithmMessage })
  JWT_ALGORITHM: JwtAlgorithm = 'HS256';

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET?: string = undefined;

  @IsOptional()
  @Matches(/-----BEGIN [A-Z ]*PRIVATE KEY-----/, {
    message: 'JWT_PRIVATE_KEY must be a PEM private key (-----BEGIN ... PRIVATE KEY-----)',
  })
  JWT_PRIVATE_KEY?: string = undefined;

  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'JWT_PRIVATE_KEY_FILE must be the path of a PEM private key file' })
  JWT_PRIVATE_KEY_FILE?: string = undefined;

  /** Previous keys, still accepted when verifying, so a key change logs nobody out. */
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'JWT_PREVIOUS_KEY_FILES must be a comma-separated list of key files' })
  JWT_PREVIOUS_KEY_FILES?: string = undefined;

  /**
   * HS secrets of earlier services (Django's SECRET_KEY or SIGNING_KEY, fastapi-users'
   * secret), separated by whitespace: their tokens and reset links still verify; nothing is signed with them.
   */
  @IsOptional()
  @IsString()
  @Matches(/^\s*\S{32,}(\s+\S{32,})*\s*$/, {
    message: 'JWT_PREVIOUS_SECRETS must be secrets of 32+ characters separated by whitespace',
  })
  JWT_PREVIOUS_SECRETS?: string = undefined;

  @Transform(toInteger)
  @IsInt({ message: 'ACCESS_TOKEN_LIFETIME must be a number of seconds from 1 to 31536000' })
  @Min(1, { message: 'ACCESS_TOKEN_LIFETIME must be a number of seconds from 1 to 31536000' })
  @Max(31536000, {
    message: 'ACCESS_TOKEN_LIFETIME must be a number of seconds from 1 to 31536000',
  })
  ACCESS_TOKEN_LIFETIME = 300;

  @Transform(toInteger)
  @IsInt({ message: 'REFRESH_TOKEN_LIFETIME must be a number of seconds from 1 to 31536000' })
  @Min(1, { message: 'REFRESH_TOKEN_LIFETIME must be a number of seconds from 1 to 31536000' })
  @Max(31536000, {
    message: 'REFRESH_TOKEN_LIFETIME must be a number of seconds from 1 to 31536000',
  })
  REFRESH_TOKEN_LIFETIME = 86400;

  @Transform(toBoolean)
  @IsBoolean({ message: 'ROTATE_REFRESH_TOKENS must be true or false' })
  ROTATE_REFRESH_TOKENS = false;

  @Transform(toBoolean)
  @IsBoolean({ message: 'BLACKLIST_AFTER_ROTATION must be true or false' })
  BLACKLIST_AFTER_ROTATION = false;

  @Transform(toBoolean)
  @IsBoolean({ message: 'UPDATE_LAST_LOGIN must be true or false' })
  UPDATE_LAST_LOGIN = false;

  @IsIn(['none', 'dstoq'], { message: 'JWT_CLAIMS must be none or dstoq' })
  JWT_CLAIMS: 'none' | 'dstoq' = 'none';

  @Transform(toInteger)
  @IsInt({
    message: 'TOKEN_FLUSH_INTERVAL must be a number of seconds, 0 to turn the periodic flush off',
  })
  @Min(0, {
    message: 'TOKEN_FLUSH_INTERVAL must be a number of seconds, 0 to turn the periodic flush off',
  })
  TOKEN_FLUSH_INTERVAL = 3600;

  @Matches(/^\s*[A-Za-z][A-Za-z0-9_-]*\s*(,\s*[A-Za-z][A-Za-z0-9_-]*\s*)*$/, {
    message: 'AUTH_HEADER_TYPES must be a comma-separated list of schemes such as JWT,Bearer,Token',
  })
  AUTH_HEADER_TYPES = 'JWT,Bearer,Token';

  @Matches(/^https?:\/\/[^\s]+$/, { message: 'REFERRAL_BASE_URL must be an http(s) URL' })
  REFERRAL_BASE_URL = 'http://localhost:3000';

  @IsIn(['both', 'key', 'jwt'], { message: 'REST_AUTH_TOKEN must be both, key or jwt' })
  REST_AUTH_TOKEN: 'both' | 'key' | 'jwt' = 'both';

  @Matches(/^\/[^\s]*$|^https?:\/\/[^\s]+$/, {
    message: 'DASHBOARD_URL must be a path (/dashboard/) or an http(s) URL',
  })
  DASHBOARD_URL = '/dashboard/';

  @Transform(toInteger)
  @IsInt({ message: 'SESSION_LIFETIME must be a number of seconds from 60 to 31536000' })
  @Min(60, { message: 'SESSION_LIFETIME must be a number of seconds from 60 to 31536000' })
  @Max(31536000, { message: 'SESSION_LIFETIME must be a number of seconds from 60 to 31536000' })
  SESSION_LIFETIME = 1209600;

  @Transform(toInteger)
  @IsInt({ message: 'LOGIN_LINK_LIFETIME must be a number of seconds from 1 to 600' })
  @Min(1, { message: 'LOGIN_LINK_LIFETIME must be a number of seconds from 1 to 600' })
  @Max(600, { message: 'LOGIN_LINK_LIFETIME must be a number of seconds from 1 to 600' })
  LOGIN_LINK_LIFETIME = 60;

  @Transform(toBoolean)
  @IsBoolean({ message: 'LOGOUT_ON_PASSWORD_CHANGE must be true or false' })
  LOGOUT_ON_PASSWORD_CHANGE = true;

  // djoser's settings (its DJOSER dict), each defaulting as djoser 2.1's conf.py does.
  @Transform(toBoolean)
  @IsBoolean({ message: 'DJOSER_SEND_ACTIVATION_EMAIL must be true or false' })
  DJOSER_SEND_ACTIVATION_EMAIL = false;

  @Transform(toBoolean)
  @IsBoolean({ message: 'DJOSER_SEND_CONFIRMATION_EMAIL must be true or false' })
  DJOSER_SEND_CONFIRMATION_EMAIL = false;

  @Transform(toBoolean)
  @IsBoolean({ message: 'DJOSER_PASSWORD_CHANGED_EMAIL_CONFIRMATION must be true or false' })
  DJOSER_PASSWORD_CHANGED_EMAIL_CONFIRMATION = false;

  @Transform(toBoolean)
  @IsBoolean({ message: 'DJOSER_USERNAME_CHANGED_EMAIL_CONFIRMATION must be true or false' })
  DJOSER_USERNAME_CHANGED_EMAIL_CONFIRMATION = false;

  @Transform(toBoolean)
  @IsBoolean({ message: 'DJOSER_USER_CREATE_PASSWORD_RETYPE must be true or false' })
  DJOSER_USER_CREATE_PASSWORD_RETYPE = false;

  @Transform(toBoolean)
  @IsBoolean({ message: 'DJOSER_SET_PASSWORD_RETYPE must be true or false' })
  DJOSER_SET_PASSWORD_RETYPE = false;

  @Transform(toBoolean)
  @IsBoolean({ message: 'DJOSER_PASSWORD_RESET_CONFIRM_RETYPE must be true or false' })
  DJOSER_PASSWORD_RESET_CONFIRM_RETYPE = false;

  @Transform(toBoolean)
  @IsBoolean({ message: 'DJOSER_SET_USERNAME_RETYPE must be true or false' })
  DJOSER_SET_USERNAME_RETYPE = false;

  @Transform(toBoolean)
  @IsBoolean({ message: 'DJOSER_USERNAME_RESET_CONFIRM_RETYPE must be true or false' })
  DJOSER_USERNAME_RESET_CONFIRM_RETYPE = false;

  @Transform(toBoolean)
  @IsBoolean({ message: 'DJOSER_LOGOUT_ON_PASSWORD_CHANGE must be true or false' })
  DJOSER_LOGOUT_ON_PASSWORD_CHANGE = false;

  @Transform(toBoolean)
  @IsBoolean({ message: 'DJOSER_PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND must be true or false' })
  DJOSER_PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND = false;

  @Transform(toBoolean)
  @IsBoolean({ message: 'DJOSER_USERNAME_RESET_SHOW_EMAIL_NOT_FOUND must be true or false' })
  DJOSER_USERNAME_RESET_SHOW_EMAIL_NOT_FOUND = false;

  /** The mailed link's path after FRONTEND_URL, with `{uid}` and `{token}` (djoser has no default: its documentation's example). */
  @IsString()
  DJOSER_ACTIVATION_URL = '#/activate/{uid}/{token}';

  /** The mailed link's path after FRONTEND_URL, with `{uid}` and `{token}` (djoser has no default: its documentation's example). */
  @IsString()
  DJOSER_PASSWORD_RESET_CONFIRM_URL = '#/password/reset/confirm/{uid}/{token}';

  /** The mailed link's path after FRONTEND_URL, with `{uid}` and `{token}` (djoser has no default: its documentation's example). */
  @IsString()
  DJOSER_USERNAME_RESET_CONFIRM_URL = '#/email/reset/confirm/{uid}/{token}';

  /** Where links in mails point: the frontend that serves the confirm and reset pages. */
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'FRONTEND_URL must be an http(s) URL' })
  FRONTEND_URL = 'http://localhost:3000';

  @IsOptional()
  @Matches(/^smtps?:\/\/[^\s]+$/, {
    message: 'SMTP_URL must be smtp://[user:password@]host[:port] or smtps://…',
  })
  SMTP_URL?: string = undefined;

  @IsString()
  @MinLength(3, { message: 'MAIL_FROM must be an address such as Gatehouse <noreply@example.com>' })
  MAIL_FROM = 'Gatehouse <noreply@localhost>';

  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'MAIL_TEMPLATES_DIR must be a directory path' })
  MAIL_TEMPLATES_DIR?: string = undefined;

  @Transform(toNumber)
  @IsNumber({}, { message: 'MAIL_RETRY_DELAY must be a number of seconds from 0.01 to 3600' })
  @Min(0.01, { message: 'MAIL_RETRY_DELAY must be a number of seconds from 0.01 to 3600' })
  @Max(3600, { message: 'MAIL_RETRY_DELAY must be a number of seconds from 0.01 to 3600' })
  MAIL_RETRY_DELAY = 5;

  @Transform(toInteger)
  @IsInt({ message: 'MAIL_MAX_ATTEMPTS must be an integer from 1 to 100' })
  @Min(1, { message: 'MAIL_MAX_ATTEMPTS must be an integer from 1 to 100' })
  @Max(100, { message: 'MAIL_MAX_ATTEMPTS must be an integer from 1 to 100' })
  MAIL_MAX_ATTEMPTS = 10;

  @IsIn(['none', 'optional', 'mandatory'], {
    message: 'EMAIL_VERIFICATION must be none, optional or mandatory',
  })
  EMAIL_VERIFICATION: 'none' | 'optional' | 'mandatory' = 'optional';

  @Transform(toInteger)
  @IsInt({ message: 'EMAIL_CONFIRMATION_LIFETIME must be a number of seconds from 60 to 31536000' })
  @Min(60, {
    message: 'EMAIL_CONFIRMATION_LIFETIME must be a number of seconds from 60 to 31536000',
  })
  @Max(31536000, {
    message: 'EMAIL_CONFIRMATION_LIFETIME must be a number of seconds from 60 to 31536000',
  })
  EMAIL_CONFIRMATION_LIFETIME = 259200;

  @Transform(toInteger)
  @IsInt({ message: 'PASSWORD_RESET_TIMEOUT must be a number of seconds from 60 to 31536000' })
  @Min(60, { message: 'PASSWORD_RESET_TIMEOUT must be a number of seconds from 60 to 31536000' })
  @Max(31536000, {
    message: 'PASSWORD_RESET_TIMEOUT must be a number of seconds from 60 to 31536000',
  })
  PASSWORD_RESET_TIMEOUT = 259200;

  @Transform(toInteger)
  @IsInt({ message: 'RESEND_EMAIL_INTERVAL must be a number of seconds from 0 to 86400' })
  @Min(0, { message: 'RESEND_EMAIL_INTERVAL must be a number of seconds from 0 to 86400' })
  @Max(86400, { message: 'RESEND_EMAIL_INTERVAL must be a number of seconds from 0 to 86400' })
  RESEND_EMAIL_INTERVAL = 180;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'JWT_AUTH_COOKIE must be a cookie name' })
  JWT_AUTH_COOKIE?: string = undefined;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'JWT_AUTH_REFRESH_COOKIE must be a cookie name' })
  JWT_AUTH_REFRESH_COOKIE?: string = undefined;

  @Transform(toBoolean)
  @IsBoolean({ message: 'JWT_AUTH_SECURE must be true or false' })
  JWT_AUTH_SECURE = false;

  @Transform(toSameSite)
  @IsIn(SAME_SITE_VALUES, {
    message: `JWT_AUTH_SAMESITE must be one of ${SAME_SITE_VALUES.join(', ')}`,
  })
  JWT_AUTH_SAMESITE: SameSite = 'Lax';

  @Transform(toBoolean)
  @IsBoolean({ message: 'REQUIRE_VERIFIED_LOGIN must be true or false' })
  REQUIRE_VERIFIED_LOGIN = false;

  @Transform(toInteger)
  @IsInt({ message: 'FASTAPI_USERS_TOKEN_LIFETIME must be a number of seconds from 1 to 31536000' })
  @Min(1, {
    message: 'FASTAPI_USERS_TOKEN_LIFETIME must be a number of seconds from 1 to 31536000',
  })
  @Max(31536000, {
    message: 'FASTAPI_USERS_TOKEN_LIFETIME must be a number of seconds from 1 to 31536000',
  })
  FASTAPI_USERS_TOKEN_LIFETIME = 3600;

  @Transform(toInteger)
  @IsInt({
    message:
      'FASTAPI_USERS_RESET_PASSWORD_TOKEN_LIFETIME must be a number of seconds from 60 to 31536000',
  })
  @Min(60, {
    message:
      'FASTAPI_USERS_RESET_PASSWORD_TOKEN_LIFETIME must be a number of seconds from 60 to 31536000',
  })
  @Max(31536000, {
    message:
      'FASTAPI_USERS_RESET_PASSWORD_TOKEN_LIFETIME must be a number of seconds from 60 to 31536000',
  })
  FASTAPI_USERS_RESET_PASSWORD_TOKEN_LIFETIME = 3600;

  @Transform(toInteger)
  @IsInt({
    message:
      'FASTAPI_USERS_VERIFICATION_TOKEN_LIFETIME must be a number of seconds from 60 to 31536000',
  })
  @Min(60, {
    message:
      'FASTAPI_USERS_VERIFICATION_TOKEN_LIFETIME must be a number of seconds from 60 to 31536000',
  })
  @Max(31536000, {
    message:
      'FASTAPI_USERS_VERIFICATION_TOKEN_LIFETIME must be a number of seconds from 60 to 31536000',
  })
  FASTAPI_USERS_VERIFICATION_TOKEN_LIFETIME = 3600;

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @IsIn(LOG_FORMATS, { message: `LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}` })
  LOG_FORMAT: (typeof LOG_FORMATS)[number] = 'auto';

  /** Unset: on, except with NODE_ENV=production. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'DOCS_ENABLED must be true or false' })
  DOCS_ENABLED?: boolean = undefined;

  @Transform(toInteger)
  @IsInt({ message: 'BODY_LIMIT must be a number of bytes from 1024 to 104857600' })
  @Min(1024, { message: 'BODY_LIMIT must be a number of bytes from 1024 to 104857600' })
  @Max(104857600, { message: 'BODY_LIMIT must be a number of bytes from 1024 to 104857600' })
  BODY_LIMIT = 2621440;

  @Transform(toInteger)
  @IsInt({ message: 'DATA_UPLOAD_MAX_NUMBER_FIELDS must be an integer from 1 to 1000000' })
  @Min(1, { message: 'DATA_UPLOAD_MAX_NUMBER_FIELDS must be an integer from 1 to 1000000' })
  @Max(1000000, { message: 'DATA_UPLOAD_MAX_NUMBER_FIELDS must be an integer from 1 to 1000000' })
  DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000;

  @ValidateBy(
    {
      name: 'trustProxy',
      validator: {
        validate: (value) => typeof value === 'string' && parseTrustProxy(value) !== undefined,
      },
    },
    {
      message:
        'TRUST_PROXY must be false, true, a hop count (1, 2…) or comma-separated proxy addresses and CIDRs such as 10.0.0.0/8,127.0.0.1',
    },
  )
  TRUST_PROXY = 'false';

  @Matches(THROTTLE_RATES_PATTERN, {
    message:
      'DEFAULT_THROTTLE_RATES must be comma-separated scope=number/period pairs such as login=10/minute (period: second, minute, hour or day)',
  })
  DEFAULT_THROTTLE_RATES = '';

  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, {
    message: 'REDIS_URL must be redis://[user:password@]host[:port][/db] or rediss://…',
  })
  REDIS_URL?: string = undefined;

  @Matches(/^(\s*(\*|https?:\/\/[^\s,/]+)\s*(,\s*(https?:\/\/[^\s,/]+)\s*)*)?$/, {
    message:
      'CORS_ALLOWED_ORIGINS must be comma-separated origins such as https://app.example.com (scheme, host, port; no path)',
  })
  CORS_ALLOWED_ORIGINS = '';

  @Matches(/^(\s*https?:\/\/(\*\.)?[^\s,/*]+\s*(,\s*https?:\/\/(\*\.)?[^\s,/*]+\s*)*)?$/, {
    message:
      'CSRF_TRUSTED_ORIGINS must be comma-separated origins with their scheme, such as https://app.example.com or https://*.example.com (no path)',
  })
  CSRF_TRUSTED_ORIGINS = '';

  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, {
    message:
      'PUBLIC_URL must be the http(s) URL clients reach Gatehouse at, such as https://auth.example.com',
  })
  PUBLIC_URL?: string = undefined;

  @ValidateBy(
    {
      name: 'allowedHosts',
      validator: {
        validate: (value) =>
          typeof value === 'string' &&
          value.split(',').every((entry) => isAllowedHostPattern(entry.trim())),
      },
    },
    {
      message:
        'ALLOWED_HOSTS must be * or comma-separated host names such as auth.example.com,.example.com (a leading dot takes the subdomains too)',
    },
  )
  ALLOWED_HOSTS = '*';

  @Transform(toBoolean)
  @IsBoolean({ message: 'MAIL_LOG_IN_PRODUCTION must be true or false' })
  MAIL_LOG_IN_PRODUCTION = false;

  @Transform(toInteger)
  @IsInt({
    message: 'AUDIT_RETENTION_DAYS must be a number of days from 0 (keep forever) to 36500',
  })
  @Min(0, {
    message: 'AUDIT_RETENTION_DAYS must be a number of days from 0 (keep forever) to 36500',
  })
  @Max(36500, {
    message: 'AUDIT_RETENTION_DAYS must be a number of days from 0 (keep forever) to 36500',
  })
  AUDIT_RETENTION_DAYS = 90;

  @Transform(toInteger)
  @IsInt({ message: 'SHUTDOWN_TIMEOUT must be a number of seconds from 1 to 600' })
  @Min(1, { message: 'SHUTDOWN_TIMEOUT must be a number of seconds from 1 to 600' })
  @Max(600, { message: 'SHUTDOWN_TIMEOUT must be a number of seconds from 1 to 600' })
  SHUTDOWN_TIMEOUT = 10;

  @Matches(/^[A-Za-z0-9:_-]{1,64}$/, {
    message: 'REDIS_PREFIX must be 1 to 64 letters, digits, ":", "_" or "-"',
  })
  REDIS_PREFIX = 'gatehouse';

  @IsOptional()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string = undefined;

  /**
   * The key TOTP secrets are sealed with (AES-256-GCM): 32 bytes as 64 hex digits or
   * base64. Required in production once a user has enrolled; derived from the JWT
   * key (with a warning) elsewhere.
   */
  @IsOptional()
  @Matches(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, {
    message: 'MFA_ENCRYPTION_KEY must be 32 bytes: 64 hex digits or 44 base64 characters',
  })
  MFA_ENCRYPTION_KEY?: string = undefined;

  /** The issuer authenticator apps show beside the account (the otpauth URL's). */
  @IsOptional()
  @Matches(/^[^:]{1,64}$/, { message: 'MFA_ISSUER must be 1 to 64 characters, without ":"' })
  MFA_ISSUER = 'Gatehouse';

  @Transform(toInteger)
  @IsInt({ message: 'ARGON2_MEMORY_COST must be a number of KiB from 8192 to 4194304' })
  @Min(8192, { message: 'ARGON2_MEMORY_COST must be a number of KiB from 8192 to 4194304' })
  @Max(4194304, { message: 'ARGON2_MEMORY_COST must be a number of KiB from 8192 to 4194304' })
  ARGON2_MEMORY_COST = 19456;

  @Transform(toInteger)
  @IsInt({ message: 'ARGON2_TIME_COST must be an integer from 1 to 10' })
  @Min(1, { message: 'ARGON2_TIME_COST must be an integer from 1 to 10' })
  @Max(10, { message: 'ARGON2_TIME_COST must be an integer from 1 to 10' })
  ARGON2_TIME_COST = 2;

  @Transform(toInteger)
  @IsInt({ message: 'ARGON2_PARALLELISM must be an integer from 1 to 16' })
  @Min(1, { message: 'ARGON2_PARALLELISM must be an integer from 1 to 16' })
  @Max(16, { message: 'ARGON2_PARALLELISM must be an integer from 1 to 16' })
  ARGON2_PARALLELISM = 1;

  /** Users and Token keys kept in memory per instance, so a warm request reads no database. */
  @Transform(toInteger)
  @IsInt({ message: 'USER_CACHE_SIZE must be an integer from 1 to 1000000' })
  @Min(1, { message: 'USER_CACHE_SIZE must be an integer from 1 to 1000000' })
  @Max(1_000_000, { message: 'USER_CACHE_SIZE must be an integer from 1 to 1000000' })
  USER_CACHE_SIZE = 10000;

  /** How long (seconds) another instance may serve a user or key changed elsewhere; 0: no cache. */
  @Transform(toNumber)
  @IsNumber({}, { message: 'USER_CACHE_TTL must be a number of seconds, 0 to turn the cache off' })
  @Min(0, { message: 'USER_CACHE_TTL must be a number of seconds, 0 to turn the cache off' })
  USER_CACHE_TTL = 5;

  /**
   * Refresh-token reuse detection (ROTATE_REFRESH_TOKENS): for this many seconds a
   * rotated refresh token yields its successor again; after it, it ends its session.
   */
  @Transform(toNumber)
  @IsNumber({}, { message: 'REFRESH_REUSE_GRACE must be a number of seconds from 0 to 300' })
  @Min(0, { message: 'REFRESH_REUSE_GRACE must be a number of seconds from 0 to 300' })
  @Max(300, { message: 'REFRESH_REUSE_GRACE must be a number of seconds from 0 to 300' })
  REFRESH_REUSE_GRACE = 10;

  /** Whether authenticated requests check their session is still live (off only to measure its cost). */
  @Transform(toBoolean)
  @IsBoolean({ message: 'SESSION_REVOCATION_CHECK must be true or false' })
  SESSION_REVOCATION_CHECK = true;

  /** Trickle mode: a Django database (sqlite:<path> or postgres://…) users missing here are imported from. */
  @IsOptional()
  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, {
    message:
      'LEGACY_DJANGO_DATABASE_URL must be sqlite:<path> or postgres://user:password@host:5432/database',
  })
  LEGACY_DJANGO_DATABASE_URL?: string = undefined;

  @Matches(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/, {
    message: 'LEGACY_DJANGO_USER_TABLE must be a table name',
  })
  LEGACY_DJANGO_USER_TABLE = 'auth_user';

  /** Trickle mode: a fastapi-users database users missing here are imported from. */
  @IsOptional()
  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, {
    message:
      'LEGACY_FASTAPI_USERS_DATABASE_URL must be sqlite:<path> or postgres://user:password@host:5432/database',
  })
  LEGACY_FASTAPI_USERS_DATABASE_URL?: string = undefined;

  @Matches(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/, {
    message: 'LEGACY_FASTAPI_USERS_USER_TABLE must be a table name',
  })
  LEGACY_FASTAPI_USERS_USER_TABLE = 'user';

  /**
   * Coexistence: the first id Gatehouse gives a user it creates; the legacy service
   * keeps the ids below (its sequence capped, docs/migrating.md).
   */
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'USER_ID_START must be an integer from 2 to 2000000000' })
  @Min(2, { message: 'USER_ID_START must be an integer from 2 to 2000000000' })
  @Max(2_000_000_000, { message: 'USER_ID_START must be an integer from 2 to 2000000000' })
  USER_ID_START?: number = undefined;
}

/** Variables whose values never appear in an error message or a log line. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'JWT_SECRET',
  'JWT_PREVIOUS_SECRETS',
  'JWT_PRIVATE_KEY',
  'LEGACY_DJANGO_DATABASE_URL',
  'LEGACY_FASTAPI_USERS_DATABASE_URL',
  'DATABASE_URL',
  'SMTP_URL',
  'METRICS_TOKEN',
  'MFA_ENCRYPTION_KEY',
  'REDIS_URL',
]);
