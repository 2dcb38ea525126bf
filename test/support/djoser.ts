import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { detectPython, PYTHON } from './python';

const SCRIPT = join(process.cwd(), 'test/fixtures/djoser/serve.py');
/** What test/fixtures/djoser/serve.py imports (templated_mail is the fixture's own stand-in). */
const MODULES = ['django', 'rest_framework', 'rest_framework_simplejwt', 'djoser', 'argon2'];
const PACKAGES =
  'python3-django python3-djangorestframework python3-djangorestframework-simplejwt ' +
  'python3-djoser python3-argon2';

/** Whether the real djoser can be served here (required in CI). */
export const hasDjoserPython = detectPython(MODULES, PACKAGES, 'The djoser differential specs');

export interface DjoserServerOptions {
  /** Django's SECRET_KEY and SimpleJWT's SIGNING_KEY: Gatehouse's JWT_SECRET, so tokens cross. */
  secret: string;
  smtpPort: number;
  fromEmail: string;
  /** settings.DOMAIN and SITE_NAME, which templated_mail puts in the mails. */
  domain: string;
  siteName: string;
  /** A staff user made before serving. */
  staff: { email: string; username: string; password: string };
  /** DJOSER settings on top of the fixture's (HIDE_USERS, DSTOQ's current_user serializer). */
  djoser: Record<string, unknown>;
}

export interface DjoserServer {
  baseUrl: string;
  /** Its SQLite database, as a Gatehouse DATABASE_URL (`sqlite:<path>`), e.g. for import:django. */
  databaseUrl: string;
  stop(): Promise<void>;
}

/** Starts the real djoser (test/fixtures/djoser/serve.py) on loopback, on a fresh SQLite file. */
export async function startDjoser(options: DjoserServerOptions): Promise<DjoserServer> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-djoser-'));
  const config = {
    secret: options.secret,
    db: join(dir, 'djoser.sqlite3'),
    smtp_port: options.smtpPort,
    from_email: options.fromEmail,
    domain: options.domain,
    site_name: options.siteName,
    staff: options.staff,
    djoser: options.djoser,
  };
  const child: ChildProcess = spawn(PYTHON, [SCRIPT, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve.py exited with ${String(code)}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(Number(line)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    databaseUrl: `sqlite:${config.db}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
