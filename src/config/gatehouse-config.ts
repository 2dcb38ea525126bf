import type { JwtAlgorithm, SameSite } from './environment';
import type { TrustProxy } from './proxy-and-hosts';

/** A DRF throttle rate: `limit` requests per `seconds`. */
export interface ThrottleRate {
  readonly limit: number;
  readonly seconds: number;
}

export type DatabaseSettings =
  | {
      type: 'sqlite';
      path: string;
      logging: boolean;
      /**
       * SQLite's `synchronous` pragma under WAL: `normal` syncs at checkpoints (a
       * power cut may lose the last commits, never corrupts); `full` syncs every commit.
       */
      synchronous?: 'normal' | 'full';
    }
  | {
      type: 'postgres';
      url: string;
      logging: boolean;
      /** Milliseconds to wait for a connection, and for a query, before answering 503. */
      connectTimeout: number;
      queryTimeout: number;
      poolSize: number;
    };

/**
 * The validated, resolved settings the app runs with. Built once by `loadConfig`
 * from the environment (or by a consumer app directly) and injected by class.
 */
export class GatehouseConfig {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly database: DatabaseSettings;
  readonly jwt: {
    readonly algorithm: JwtAlgorithm;
    /** HS256 secret; generated once under DATA_DIR in development when not set. */
    readonly secret?: string;
    readonly privateKey?: string;
    /** Previous keys (PEM, or secrets for HS256), accepted for verification only. */
    readonly previousKeys: readonly string[];
    /** JWT_PREVIOUS_SECRETS: HS secrets of earlier services, for verification only. */
    readonly previousSecrets: readonly string[];
    readonly accessTokenLifetime: number;
    readonly refreshTokenLifetime: number;
    readonly rotateRefreshTokens: boolean;
    readonly blacklistAfterRotation: boolean;
    readonly updateLastLogin: boolean;
    /** Extra claims preset: `dstoq` adds seed 000's `scopes`, `is_staff`, `is_superuser`. */
    readonly claims: 'none' | 'dstoq';
    /** Seconds between removals of expired refresh-token rows; 0 turns it off. */
    readonly flushInterval: number;
  };
  /** Accepted `Authorization` schemes, in order; the first names the DRF challenge. */
  readonly authHeaderTypes: readonly string[];
  /** Base of referral links for users of providers that set none (seed 000). */
  readonly referralBaseUrl: string;
  /** What dj-rest-auth's login and registration return: a Token key, the JWT trio, or both. */
  readonly restAuthToken: 'both' | 'key' | 'jwt';
  /** Seed 002's trader dashboard: where auto-login lands, how long its sessions and link tickets live. */
  readonly dashboard: {
    readonly url: string;
    readonly sessionLifetime: number;
    readonly loginLinkLifetime: number;
  };
  /** A password change or reset blacklists the user's refresh tokens and revokes their Token keys. */
  readonly logoutOnPasswordChange: boolean;
  /** djoser's settings (DJOSER_*), with djoser 2.1's defaults. */
  readonly djoser: DjoserSettings;
  /** Outgoing mail: SMTP (or the log when unset), sender, template folder, retry policy. */
  readonly mail: {
    readonly smtpUrl?: string;
    readonly from: string;
    readonly templatesDir?: string;
    /** Seconds before the first retry; doubles after each failure. */
    readonly retryDelay: number;
    readonly maxAttempts: number;
  };
  /** Base of the links mails carry (e-mail confirmation, password reset). */
  readonly frontendUrl: string;
  /** allauth's ACCOUNT_EMAIL_VERIFICATION: mandatory refuses login until confirmed. */
  readonly emailVerification: 'none' | 'optional' | 'mandatory';
  /** Seconds an e-mail confirmation key stays valid. */
  readonly emailConfirmationLifetime: number;
  /** Django's PASSWORD_RESET_TIMEOUT, in seconds. */
  readonly passwordResetTimeout: number;
  /** Minimum seconds between two confirmation mails to one address. */
  readonly resendEmailInterval: number;
  /** dj-rest-auth's cookie mode: cookie names (unset = off), the Secure flag and SameSite (`Lax` when absent). */
  readonly jwtCookies: {
    readonly access?: string;
    readonly refresh?: string;
    readonly secure: boolean;
    readonly sameSite?: SameSite;
  };
  /** fastapi-users: refuse login of unverified users; lifetimes of its login, reset and verify tokens. */
  readonly fastapiUsers: {
    readonly requireVerifiedLogin: boolean;
    readonly tokenLifetime: number;
    readonly resetPasswordTokenLifetime: number;
    readonly verificationTokenLifetime: number;
  };
  /** Trickle mode: legacy databases consulted when a lookup misses (src/migration). */
  readonly legacy: {
    readonly django?: { readonly url: string; readonly table: string };
    readonly fastapiUsers?: { readonly url: string; readonly table: string };
    /**
     * USER_ID_START: the first id Gatehouse assigns to a user it creates; the legacy
     * service keeps the ids below (docs/migrating.md). Absent: imports move Gatehouse's
     * ids a million above the highest id they wrote.
     */
    readonly userIdStart?: number;
  };
  readonly logLevel: string;
  /** `pretty`: pino-pretty lines; `json`: JSON lines; `auto`: pretty on a terminal outside production. */
  readonly logFormat?: 'auto' | 'json' | 'pretty';
  /** Swagger UI (`/docs`) and the document (`/docs-json`, `/docs-yaml`, `/openapi.json`); on when absent. */
  readonly docsEnabled?: boolean;
  readonly bodyLimit: number;
  /**
   * Most fields a request body may hold (JSON members and items at any depth,
   * form fields), as Django's setting of the name; more is a 400 before validation.
   */
  readonly dataUploadMaxNumberFields: number;
  /**
   * Which peers' `X-Forwarded-*` headers are believed (Fastify's trustProxy): the
   * client is then the right-most untrusted address of `X-Forwarded-For`.
   */
  readonly trustProxy: TrustProxy;
  /** DRF's DEFAULT_THROTTLE_RATES: requests allowed per window, by scope (see src/throttling). */
  readonly throttleRates?: Readonly<Record<string, ThrottleRate>>;
  /** Shared state across instances (throttle counters, user-cache invalidation); unset: per instance. */
  readonly redisUrl?: string;
  /** Origins a browser app may call from (CORS); none by default. */
  readonly corsAllowedOrigins?: readonly string[];
  /** Django's CSRF_TRUSTED_ORIGINS: origins (`https://*.example.com` wildcards) an unsafe cookie-authenticated request may come from. */
  readonly csrfTrustedOrigins?: readonly string[];
  /** Where clients reach Gatehouse (links it hands out); never taken from a request's Host. */
  readonly publicUrl?: string;
  /** Django's ALLOWED_HOSTS: the `Host` values answered (lowercased; `*` any); absent: any. */
  readonly allowedHosts?: readonly string[];
  /** Allows the log fallback for mail (no SMTP_URL) when NODE_ENV=production. */
  readonly mailLogInProduction?: boolean;
  /** Days authentication events are kept; 0 keeps them forever. */
  readonly auditRetentionDays?: number;
  /** Seconds a SIGTERM/SIGINT may take to drain requests and mail before the process exits anyway. */
  readonly shutdownTimeout: number;
  /** Namespace of Gatehouse's Redis keys (one per deployment sharing a Redis). */
  readonly redisPrefix: string;
  /** When set, `/metrics` wants `Authorization: Bearer <token>`; unset in production, it is a 404. */
  readonly metricsToken?: string;
  readonly argon2: {
    readonly memoryCost: number;
    readonly timeCost: number;
    readonly parallelism: number;
  };

  /** The per-instance cache of users and Token keys (`ttl` 0: off). */
  readonly userCache: { readonly size: number; readonly ttlSeconds: number };

  /**
   * Multi-factor login (docs/mfa.md): MFA_ENCRYPTION_KEY's 32 bytes (absent: derived
   * from the JWT key outside production, refused in production) and MFA_ISSUER.
   */
  readonly mfa?: { readonly encryptionKey?: Buffer; readonly issuer?: string };

  /** Sessions (docs/sessions.md): the refresh-reuse grace window, the revocation check. */
  readonly sessions: { readonly reuseGraceSeconds: number; readonly revocationCheck: boolean };

  constructor(values: Omit<GatehouseConfig, 'isProduction' | 'publicBaseUrl'>) {
    Object.assign(this, values);
  }

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }

  /** The base of every absolute link Gatehouse writes: PUBLIC_URL, else this instance on localhost. */
  get publicBaseUrl(): string {
    return this.publicUrl ?? `http://localhost:${this.port}`;
  }
}

/** djoser's DJOSER settings that change its wire, named as djoser names them (camel-cased). */
export interface DjoserSettings {
  readonly sendActivationEmail: boolean;
  readonly sendConfirmationEmail: boolean;
  readonly passwordChangedEmailConfirmation: boolean;
  readonly usernameChangedEmailConfirmation: boolean;
  readonly userCreatePasswordRetype: boolean;
  readonly setPasswordRetype: boolean;
  readonly passwordResetConfirmRetype: boolean;
  readonly setUsernameRetype: boolean;
  readonly usernameResetConfirmRetype: boolean;
  readonly logoutOnPasswordChange: boolean;
  readonly passwordResetShowEmailNotFound: boolean;
  readonly usernameResetShowEmailNotFound: boolean;
  /** `{uid}`/`{token}` templates of the mailed links (djoser has no default). */
  readonly activationUrl: string;
  readonly passwordResetConfirmUrl: string;
  readonly usernameResetConfirmUrl: string;
}
