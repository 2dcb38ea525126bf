import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { detectPython, PYTHON } from './python';
import { postgresUrl } from './test-database';

const SCRIPT = join(process.cwd(), 'test/fixtures/legacy/make_legacy_db.py');
/** Debian's packages the fixture script needs (the PostgreSQL source also needs psycopg2). */
const MODULES = [
  'django',
  'rest_framework',
  'rest_framework_simplejwt',
  'allauth',
  'argon2',
  'bcrypt',
  'psycopg2',
];
const PACKAGES =
  'python3-django python3-djangorestframework python3-djangorestframework-simplejwt ' +
  'python3-django-allauth python3-argon2 python3-bcrypt python3-psycopg2';

/** Whether the real Python libraries can build legacy databases here (required in CI). */
export const hasLegacyPython = detectPython(MODULES, PACKAGES, 'The migration specs');

/** The PostgreSQL server legacy databases are made on: the test server, or the local default. */
const LEGACY_POSTGRES = postgresUrl() ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether a PostgreSQL server answers for a legacy source (always required in CI). */
function postgresReady(): boolean {
  if (!hasLegacyPython) return false;
  try {
    execFileSync(
      PYTHON,
      [
        '-c',
        'import sys, psycopg2; psycopg2.connect(sys.argv[1], connect_timeout=3)',
        LEGACY_POSTGRES,
      ],
      {
        stdio: 'ignore',
      },
    );
    return true;
  } catch {
    if (process.env.CI === 'true')
      throw new Error(`PostgreSQL is required in CI at ${LEGACY_POSTGRES}`);
    process.stderr.write(
      `\n[gatehouse e2e] !!! no PostgreSQL at ${LEGACY_POSTGRES}: imports from a PostgreSQL source are SKIPPED.\n`,
    );
    return false;
  }
}

/** The engines legacy databases can be made on here: SQLite, and PostgreSQL when it answers. */
export const legacyEngines: ('sqlite' | 'postgres')[] = postgresReady()
  ? ['sqlite', 'postgres']
  : ['sqlite'];

export interface LegacyDatabaseFixture<T> {
  url: string;
  /** What the script recorded that each client holds. */
  clients: T;
  drop(): Promise<void>;
}

/** A legacy database made by the real Python libraries (test/fixtures/legacy/make_legacy_db.py). */
export async function makeLegacyDatabase<T>(
  kind: 'django' | 'fastapi-users',
  engine: 'sqlite' | 'postgres',
): Promise<LegacyDatabaseFixture<T>> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-legacy-'));
  let url = `sqlite:${join(dir, `${kind}.sqlite3`)}`;
  let dropDatabase = (): Promise<void> => Promise.resolve();
  if (engine === 'postgres') {
    const name = `legacy_${kind.replace('-', '_')}_${process.pid}_${randomBytes(4).toString('hex')}`;
    await adminQuery(`CREATE DATABASE "${name}"`);
    const target = new URL(LEGACY_POSTGRES);
    target.pathname = `/${name}`;
    url = target.toString();
    dropDatabase = () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
  const out = join(dir, 'clients.json');
  await promisify(execFile)(PYTHON, [SCRIPT, kind, url, out], { timeout: 120_000 });
  return {
    url,
    clients: JSON.parse(readFileSync(out, 'utf8')) as T,
    async drop() {
      await dropDatabase();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: LEGACY_POSTGRES });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** What make_legacy_db.py records for a Django database. */
export interface DjangoClients {
  secret_key: string;
  users: {
    id: number;
    username: string;
    email: string;
    password: string | null;
    hash_prefix: string;
    is_active: boolean;
    is_staff: boolean;
    is_superuser: boolean;
    verified: boolean;
    token_key?: string;
    access?: string;
    refresh?: string;
    /** SimpleJWT 5.5's form of the same tokens: `"user_id": "<pk>"`, a string. */
    access_str_user_id?: string;
    refresh_str_user_id?: string;
    blacklisted_refresh?: string;
    reset_uid?: string;
    reset_token?: string;
    /** djoser's reset link (uid in URL-safe base64), made by Django's generator. */
    djoser_reset_uid?: string;
    djoser_reset_token?: string;
  }[];
  skipped: { id: number; username: string }[];
}

/** What make_legacy_db.py records for a fastapi-users database. */
export interface FastapiUsersClients {
  secret: string;
  users: {
    id: string;
    email: string;
    password: string;
    scheme: string;
    is_active: boolean;
    is_superuser: boolean;
    is_verified: boolean;
    token: string;
  }[];
  skipped: { id: string }[];
}

const DJANGO_SIDE = join(process.cwd(), 'test/fixtures/legacy/django_side.py');

/** Runs test/fixtures/legacy/django_side.py: Debian's Django on a database, its answer as JSON. */
export async function djangoSide<T>(command: string, url: string, ...args: string[]): Promise<T> {
  const { stdout } = await promisify(execFile)(PYTHON, [DJANGO_SIDE, command, url, ...args], {
    timeout: 120_000,
  });
  return JSON.parse(stdout) as T;
}

/** An empty database, SQLite or PostgreSQL, with Django's migrations run on it (an export's target). */
export async function makeEmptyDjangoDatabase(
  engine: 'sqlite' | 'postgres',
): Promise<{ url: string; drop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-django-'));
  let url = `sqlite:${join(dir, 'django.sqlite3')}`;
  let dropDatabase = (): Promise<void> => Promise.resolve();
  if (engine === 'postgres') {
    const name = `django_target_${process.pid}_${randomBytes(4).toString('hex')}`;
    await adminQuery(`CREATE DATABASE "${name}"`);
    const target = new URL(LEGACY_POSTGRES);
    target.pathname = `/${name}`;
    url = target.toString();
    dropDatabase = () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
  await djangoSide('migrate', url);
  return {
    url,
    async drop() {
      await dropDatabase();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
