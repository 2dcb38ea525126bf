import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { Environment, SECRET_VARIABLES } from './environment';
import { type DatabaseSettings, GatehouseConfig, type ThrottleRate } from './gatehouse-config';
import { parseTrustProxy } from './proxy-and-hosts';

/** A setting is missing or wrong; `message` is one line naming the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const DEV_SECRET_FILE = 'jwt-secret.dev';

/**
 * Reads the settings from an environment map (process.env, with `.env` already
 * merged by the entry point), validates them and resolves derived values.
 * Throws a ConfigError whose message is a single line.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatehouseConfig {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(new Environment())) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const settings = plainToInstance(Environment, raw);
  const errors = validateSync(settings, { forbidUnknownValues: true });
  if (errors.length > 0) throw new ConfigError(describe(errors, raw));

  const dataDir = resolve(settings.DATA_DIR);
  const database = databaseSettings(settings, dataDir);
  const privateKey =
    settings.JWT_PRIVATE_KEY ?? readKeyFile(settings.JWT_PRIVATE_KEY_FILE, 'JWT_PRIVATE_KEY_FILE');

  if (settings.NODE_ENV === 'production') {
    if (!settings.DATABASE_URL) {
      throw new ConfigError('DATABASE_URL is required when NODE_ENV=production (postgres://…)');
    }
    if (database.type === 'sqlite' && database.path === ':memory:') {
      throw new ConfigError(
        'DATABASE_URL must name a persistent database when NODE_ENV=production',
      );
    }
  }
  let secret = settings.JWT_SECRET;
  if (settings.JWT_ALGORITHM.startsWith('HS')) {
    if (!secret && settings.NODE_ENV === 'production') {
      throw new ConfigError(
        'JWT_SECRET is required when NODE_ENV=production (32+ random characters)',
      );
    }
    secret ??= developmentSecret(dataDir);
  } else if (!privateKey) {
    throw new ConfigError(
      `JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE is required when JWT_ALGORITHM=${settings.JWT_ALGORITHM}`,
    );
  }

  if (settings.JWT_AUTH_SAMESITE === 'None' && !settings.JWT_AUTH_SECURE) {
    throw new ConfigError(
      'JWT_AUTH_SAMESITE=None needs JWT_AUTH_SECURE=true: browsers drop SameSite=None cookies that are not Secure',
    );
  }

  if (
    settings.NODE_ENV === 'production' &&
    !settings.SMTP_URL &&
    !settings.MAIL_LOG_IN_PRODUCTION
  ) {
    throw new ConfigError(
      'SMTP_URL is required when NODE_ENV=production: without it mails (with live reset and verification links) would go to the log; set MAIL_LOG_IN_PRODUCTION=true to allow that',
    );
  }

  return new GatehouseConfig({
    nodeEnv: settings.NODE_ENV,
    host: settings.HOST,
    port: settings.PORT,
    dataDir,
    database,
    jwt: {
      algorithm: settings.JWT_ALGORITHM,
      secret,
      privateKey,
      previousKeys: (settings.JWT_PREVIOUS_KEY_FILES ?? '')
        .split(',')
        .map((file) => file.trim())
        .filter(Boolean)
        .map((file) => readKeyFile(file, 'JWT_PREVIOUS_KEY_FILES') as string),
      previousSecrets: (settings.JWT_PREVIOUS_SECRETS ?? '').split(/\s+/).filter(Boolean),
      accessTokenLifetime: settings.ACCESS_TOKEN_LIFETIME,
      refreshTokenLifetime: settings.REFRESH_TOKEN_LIFETIME,
      rotateRefreshTokens: settings.ROTATE_REFRESH_TOKENS,
      blacklistAfterRotation: settings.BLACKLIST_AFTER_ROTATION,
      updateLastLogin: settings.UPDATE_LAST_LOGIN,
      claims: settings.JWT_CLAIMS,
      flushInterval: settings.TOKEN_FLUSH_INTERVAL,
    },
    authHeaderTypes: settings.AUTH_HEADER_TYPES.split(',').map((s) => s.trim()),
    referralBaseUrl: settings.REFERRAL_BASE_URL.replace(/\/+$/, ''),
    restAuthToken: settings.REST_AUTH_TOKEN,
    dashboard: {
      url: settings.DASHBOARD_URL,
      sessionLifetime: settings.SESSION_LIFETIME,
      loginLinkLifetime: settings.LOGIN_LINK_LIFETIME,
    },
    logoutOnPasswordChange: settings.LOGOUT_ON_PASSWORD_CHANGE,
    djoser: {
      sendActivationEmail: settings.DJOSER_SEND_ACTIVATION_EMAIL,
      sendConfirmationEmail: settings.DJOSER_SEND_CONFIRMATION_EMAIL,
      passwordChangedEmailConfirmation: settings.DJOSER_PASSWORD_CHANGED_EMAIL_CONFIRMATION,
      usernameChangedEmailConfirmation: settings.DJOSER_USERNAME_CHANGED_EMAIL_CONFIRMATION,
      userCreatePasswordRetype: settings.DJOSER_USER_CREATE_PASSWORD_RETYPE,
      setPasswordRetype: settings.DJOSER_SET_PASSWORD_RETYPE,
      passwordResetConfirmRetype: settings.DJOSER_PASSWORD_RESET_CONFIRM_RETYPE,
      setUsernameRetype: settings.DJOSER_SET_USERNAME_RETYPE,
      usernameResetConfirmRetype: settings.DJOSER_USERNAME_RESET_CONFIRM_RETYPE,
      logoutOnPasswordChange: settings.DJOSER_LOGOUT_ON_PASSWORD_CHANGE,
      passwordResetShowEmailNotFound: settings.DJOSER_PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND,
      usernameResetShowEmailNotFound: settings.DJOSER_USERNAME_RESET_SHOW_EMAIL_NOT_FOUND,
      activationUrl: settings.DJOSER_ACTIVATION_URL,
      passwordResetConfirmUrl: settings.DJOSER_PASSWORD_RESET_CONFIRM_URL,
      usernameResetConfirmUrl: settings.DJOSER_USERNAME_RESET_CONFIRM_URL,
    },
    mail: {
      smtpUrl: settings.SMTP_URL,
      from: settings.MAIL_FROM,
      templatesDir: settings.MAIL_TEMPLATES_DIR && resolve(settings.MAIL_TEMPLATES_DIR),
      retryDelay: settings.MAIL_RETRY_DELAY,
      maxAttempts: settings.MAIL_MAX_ATTEMPTS,
    },
    frontendUrl: settings.FRONTEND_URL.replace(/\/+$/, ''),
    emailVerification: settings.EMAIL_VERIFICATION,
    emailConfirmationLifetime: settings.EMAIL_CONFIRMATION_LIFETIME,
    passwordResetTimeout: settings.PASSWORD_RESET_TIMEOUT,
    resendEmailInterval: settings.RESEND_EMAIL_INTERVAL,
    jwtCookies: {
      access: settings.JWT_AUTH_COOKIE,
      refresh: settings.JWT_AUTH_REFRESH_COOKIE,
      secure: settings.JWT_AUTH_SECURE,
      sameSite: settings.JWT_AUTH_SAMESITE,
    },
    fastapiUsers: {
      requireVerifiedLogin: settings.REQUIRE_VERIFIED_LOGIN,
      tokenLifetime: settings.FASTAPI_USERS_TOKEN_LIFETIME,
      resetPasswordTokenLifetime: settings.FASTAPI_USERS_RESET_PASSWORD_TOKEN_LIFETIME,
      verificationTokenLifetime: settings.FASTAPI_USERS_VERIFICATION_TOKEN_LIFETIME,
    },
    legacy: {
      django: settings.LEGACY_DJANGO_DATABASE_URL
        ? { url: settings.LEGACY_DJANGO_DATABASE_URL, table: settings.LEGACY_DJANGO_USER_TABLE }
        : undefined,
      fastapiUsers: settings.LEGACY_FASTAPI_USERS_DATABASE_URL
        ? {
            url: settings.LEGACY_FASTAPI_USERS_DATABASE_URL,
            table: settings.LEGACY_FASTAPI_USERS_USER_TABLE,
          }
        : undefined,
      userIdStart: settings.USER_ID_START,
    },
    logLevel: settings.LOG_LEVEL,
    logFormat: settings.LOG_FORMAT,
    // The document maps every door of the service: public in production only on request.
    docsEnabled: settings.DOCS_ENABLED ?? settings.NODE_ENV !== 'production',
    bodyLimit: settings.BODY_LIMIT,
    dataUploadMaxNumberFields: settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
    trustProxy: parseTrustProxy(settings.TRUST_PROXY) ?? false,
    throttleRates: parseThrottleRates(settings.DEFAULT_THROTTLE_RATES),
    redisUrl: settings.REDIS_URL,
    corsAllowedOrigins: splitList(settings.CORS_ALLOWED_ORIGINS),
    csrfTrustedOrigins: splitList(settings.CSRF_TRUSTED_ORIGINS),
    allowedHosts: settings.ALLOWED_HOSTS.split(',').map((host) => host.trim().toLowerCase()),
    publicUrl: (settings.PUBLIC_URL ?? `http://localhost:${settings.PORT}`).replace(/\/+$/, ''),
    mailLogInProduction: settings.MAIL_LOG_IN_PRODUCTION,
    auditRetentionDays: settings.AUDIT_RETENTION_DAYS,
    shutdownTimeout: settings.SHUTDOWN_TIMEOUT,
    metricsToken: settings.METRICS_TOKEN,
    mfa: {
      encryptionKey: settings.MFA_ENCRYPTION_KEY
        ? parseMfaKey(settings.MFA_ENCRYPTION_KEY)
        : undefined,
      issuer: settings.MFA_ISSUER,
    },
    redisPrefix: settings.REDIS_PREFIX,
    argon2: {
      memoryCost: settings.ARGON2_MEMORY_COST,
      timeCost: settings.ARGON2_TIME_COST,
      parallelism: settings.ARGON2_PARALLELISM,
    },
    userCache: { size: settings.USER_CACHE_SIZE, ttlSeconds: settings.USER_CACHE_TTL },
    sessions: {
      reuseGraceSeconds: settings.REFRESH_REUSE_GRACE,
      revocationCheck: settings.SESSION_REVOCATION_CHECK,
    },
  });
}

/** `a, b,` → `['a', 'b']`. */
function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

const SECONDS_BY_PERIOD: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `login=10/minute,mail=5/hour` → per-scope rates (DRF reads only the period's first letter). */
export function parseThrottleRates(text: string): Record<string, ThrottleRate> {
  const rates: Record<string, ThrottleRate> = {};
  for (const pair of text.split(',')) {
    const match = /^\s*([a-z_]+)\s*=\s*(\d+)\s*\/\s*([smhd])[a-z]*\s*$/.exec(pair);
    if (match) rates[match[1]] = { limit: Number(match[2]), seconds: SECONDS_BY_PERIOD[match[3]] };
  }
  return rates;
}

function describe(errors: ValidationError[], raw: Record<string, string>): string {
  return errors
    .map((error) => {
      const message = Object.values(error.constraints ?? {})[0] ?? `${error.property} is invalid`;
      const shown = SECRET_VARIABLES.has(error.property)
        ? ''
        : ` (got ${JSON.stringify(raw[error.property])})`;
      return `${message}${shown}`;
    })
    .join('; ');
}

function databaseSettings(settings: Environment, dataDir: string): DatabaseSettings {
  const url = settings.DATABASE_URL;
  const logging = settings.DATABASE_LOGGING;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    return {
      type: 'postgres',
      url,
      logging,
      connectTimeout: settings.DATABASE_CONNECT_TIMEOUT,
      queryTimeout: settings.DATABASE_QUERY_TIMEOUT,
      poolSize: settings.DATABASE_POOL_SIZE,
    };
  }
  const location = url ? url.slice('sqlite:'.length) : join(dataDir, 'gatehouse.sqlite');
  const synchronous = settings.SQLITE_SYNCHRONOUS;
  if (location === ':memory:') return { type: 'sqlite', path: location, logging, synchronous };
  const path = isAbsolute(location) ? location : resolve(location);
  return { type: 'sqlite', path, logging, synchronous };
}

function readKeyFile(path: string | undefined, variable: string): string | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    throw new ConfigError(`${variable} must name readable key files (cannot read ${path})`);
  }
}

/** MFA_ENCRYPTION_KEY's 32 bytes, from hex or base64 (the pattern already checked the length). */
function parseMfaKey(text: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
}

/** Development only: one random secret, made on first boot and kept under DATA_DIR. */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, DEV_SECRET_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secret;
}
