import { spawnSync } from 'node:child_process';
import { postgresUrl } from './test-database';

/** The local PostgreSQL server the multi-instance specs use when DATABASE_URL names none. */
export const LOCAL_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
/** The local Redis of the multi-instance specs (REDIS_URL overrides it). */
export const LOCAL_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether something accepts TCP connections at host:port (checked synchronously, for describe()). */
function reachable(url: string, defaultPort: number): boolean {
  const { hostname, port } = new URL(url);
  const probe = `require('net').connect(${Number(port) || defaultPort}, ${JSON.stringify(hostname)})
    .on('connect', () => process.exit(0)).on('error', () => process.exit(1));
    setTimeout(() => process.exit(1), 3000);`;
  return spawnSync(process.execPath, ['-e', probe]).status === 0;
}

/**
 * A service a spec needs: present → its URL; missing → a loud note and the
 * spec is skipped locally, a failure with CI=true.
 */
function required(name: string, url: string, defaultPort: number, how: string): string | undefined {
  if (reachable(url, defaultPort)) return url;
  if (process.env.CI === 'true') {
    throw new Error(`${name} is required in CI and does not answer at ${url} (${how})`);
  }
  process.stderr.write(
    `\n[gatehouse e2e] !!! ${name} does not answer at ${url}: its several-instance specs are SKIPPED (${how}).\n`,
  );
  return undefined;
}

/** The PostgreSQL server for specs that need one whatever DATABASE_URL says. */
export function postgresServer(): string | undefined {
  return required(
    'PostgreSQL',
    postgresUrl() ?? LOCAL_POSTGRES_URL,
    5432,
    'start it, or set DATABASE_URL=postgres://…',
  );
}

/** The Redis server for specs that need one. */
export function redisServer(): string | undefined {
  return required(
    'Redis',
    LOCAL_REDIS_URL,
    6379,
    'redis-server --daemonize yes --bind 127.0.0.1 --port 6379',
  );
}
