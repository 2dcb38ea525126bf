import type { Writable } from 'node:stream';
import type { FactoryProvider, ModuleMetadata, Type } from '@nestjs/common';
import type { AccountsModuleOptions } from '../accounts/accounts.module';
import type { PassportAuthScheme } from '../access/passport-schemes.module';
import type { GatehouseConfig } from '../config/gatehouse-config';
import type { DatabaseModuleOptions } from '../database/database.module';
import type { JwtClaimsProvider } from '../jwt-auth/jwt-claims.provider';
import type { MailModuleOptions } from '../mail/mail.module';
import type { PasswordModuleOptions } from '../password/password.module';

/**
 * The surfaces, one per mirrored library (`src/surfaces/<name>/`):
 * `djoser` — djoser + SimpleJWT (DSTOQ: JWT create/refresh/verify, account and trading info);
 * `fastapi-users` — fastapi-users (the KYC API);
 * `rest-auth` — dj-rest-auth, Token and JWT flavours (with allauth's flows and the dashboard);
 * `simplejwt` — SimpleJWT's own token views;
 * `admin` — staff user and account-provider management (`/api/users/`, `/api/account-providers/`);
 * `jwks` — `/.well-known/jwks.json`; `health` — `/health`.
 */
export const SURFACES = [
  'djoser',
  'fastapi-users',
  'rest-auth',
  'simplejwt',
  'admin',
  'jwks',
  'health',
] as const;
export type SurfaceName = (typeof SURFACES)[number];

/** `true`: at the seed's own paths; `{ prefix: 'v2' }`: under `/v2/…`. */
export type SurfaceMount = true | { prefix: string };

/** What a consumer decides when the module graph is built (classes, surfaces, tables). */
export interface GatehouseStaticOptions
  extends AccountsModuleOptions, PasswordModuleOptions, DatabaseModuleOptions {
  /**
   * The surfaces to mount, and where. Absent: every surface at its seed's paths.
   * Given: only those listed (e.g. `{ simplejwt: { prefix: 'v2' } }`).
   */
  surfaces?: Partial<Record<SurfaceName, SurfaceMount>>;
  /** Replaces the JWT custom-claims hook (a JwtClaimsProvider subclass). */
  jwtClaimsProvider?: Type<JwtClaimsProvider>;
  /**
   * Your own passport strategies, each for a further `Authorization` scheme
   * (e.g. `Basic` with passport-http): every protected route accepts them.
   */
  authSchemes?: PassportAuthScheme[];
  /** Replaces SMTP/log mail delivery. */
  mailTransport?: MailModuleOptions['transport'];
  /**
   * On Express: where Gatehouse writes its JSON request lines (stdout when absent).
   * On Fastify, the app's logger writes them (createGatehouseApp's `logStream`).
   */
  logStream?: Writable;
}

export interface GatehouseModuleOptions extends GatehouseStaticOptions {
  /** The validated settings, e.g. `loadConfig(process.env)`. */
  config: GatehouseConfig;
}

export interface GatehouseModuleAsyncOptions extends GatehouseStaticOptions {
  imports?: ModuleMetadata['imports'];
  inject?: FactoryProvider['inject'];
  /** Builds the settings at boot (from the consumer's own config service, say). */
  useFactory: (...args: never[]) => GatehouseConfig | Promise<GatehouseConfig>;
}
