import type { GatehouseConfig } from './config/gatehouse-config';
import { SURFACES, type SurfaceName } from './gatehouse/gatehouse-options';

/** Each surface by the library whose API it mirrors. */
export const SURFACE_LIBRARIES: Record<SurfaceName, string> = {
  admin: 'admin (users, account providers)',
  djoser: 'djoser + SimpleJWT',
  'fastapi-users': 'fastapi-users',
  'rest-auth': 'dj-rest-auth (Token and JWT)',
  simplejwt: 'SimpleJWT views',
  jwks: 'JWKS',
  health: 'health',
};

/** The database as a log line may show it: a file path, or a server without its password. */
export function describeDatabase(database: GatehouseConfig['database']): string {
  if (database.type === 'sqlite') return `SQLite ${database.path}`;
  const url = new URL(database.url);
  return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
}

/** The one line `npm start` logs once it listens: where, on what, what it serves, where its docs are. */
export function startupSummary(
  config: GatehouseConfig,
  surfaces: readonly SurfaceName[] = SURFACES,
): string {
  const shownHost = ['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host;
  const base = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${config.port}`;
  const docs = config.docsEnabled === false ? 'docs off' : `docs ${base}/docs`;
  return [
    `Gatehouse listening on ${base}`,
    describeDatabase(config.database),
    `surfaces: ${surfaces.map((name) => SURFACE_LIBRARIES[name]).join(', ')}`,
    docs,
  ].join(' · ');
}
