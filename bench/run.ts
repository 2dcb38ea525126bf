/**
 * `npm run bench`: Gatehouse's authentication hot path against this stack's
 * ceiling, measured in the same run on the same machine.
 *
 * Seeds 10,000 users, 1,000 access tokens and 1,000 Token keys (SQLite), starts
 * Gatehouse and the reference (bench/reference-server.ts: Nest + Fastify +
 * passport-jwt, users in memory) each pinned to one core with taskset, and drives
 * them with autocannon (50 connections, each request another user's credential).
 * The reference also runs with the stack's required packages loaded and idle
 * (bench/reference-with-stack.ts): what the stack costs before Gatehouse's code.
 * Login runs on every core against the argon2id ceiling of those cores.
 * Prints req/s, p50/p99 latency, CPU µs per request, peak RSS and the ratios.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { DataSource } from 'typeorm';
import {
  createApp,
  JwtTokenService,
  loadConfig,
  PasswordHasherService,
  TokenKeyService,
  User,
} from '../src/index';

const USERS = 10_000;
const CREDENTIALS = 1_000;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
/** Reference, floor and Gatehouse alternate this many times; each row shows its median round. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/**
 * BENCH_ROWS: the Gatehouse rows to measure (`jwt,bearer,token,unchecked,login`, all
 * by default), for a quicker comparison while working on one path; the reference
 * and the floor always run.
 */
const ROWS = new Set((process.env.BENCH_ROWS ?? 'jwt,bearer,token,unchecked,login').split(','));
/**
 * BENCH_COMPARE: another build's `dist/src/main.js` (a worktree of another commit,
 * built); each Gatehouse who-am-I row is then measured for it too, right after,
 * as a `(compared)` row — a change's effect in the same minutes, not across runs.
 */
const COMPARE = process.env.BENCH_COMPARE;
const PASSWORD = 'bench-password-123';
const SECRET = 'bench-secret-that-is-long-enough-0123456789abcdef';
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
const root = join(__dirname, '..', '..');

interface Measure {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
  cpuUsPerRequest: number;
  /** The event loop's own share (argon2 runs on other threads). */
  mainThreadUsPerRequest: number;
  peakRssMb: number;
}

async function seed(dir: string) {
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: `sqlite:${join(dir, 'bench.sqlite')}`,
    DATA_DIR: dir,
    JWT_SECRET: SECRET,
    LOG_LEVEL: 'silent',
  };
  const app = await createApp(loadConfig(env));
  const hash = await app.get(PasswordHasherService).hash(PASSWORD);
  const users = app.get(DataSource).getRepository(User);
  const now = new Date();
  for (let start = 1; start <= USERS; start += 500) {
    await users.insert(
      Array.from({ length: Math.min(500, USERS - start + 1) }, (_, i) => {
        const n = start + i;
        return users.create({
          uuid: crypto.randomUUID(),
          email: `user${n}@bench.example`,
          username: `user${n}`,
          firstName: '',
          lastName: '',
          password: hash,
          isActive: true,
          isVerified: true,
          isStaff: false,
          isSuperuser: false,
          isBlocked: false,
          dateJoined: now,
          lastLogin: null,
          referralCode: `B${n.toString(36).padStart(5, '0')}`,
          accountProviderId: 1,
          subscribe: false,
        });
      }),
    );
  }
  // 1,000 different users, spread over the 10,000.
  const chosen = await users.find({ order: { id: 'ASC' } });
  const holders = chosen.filter((_, i) => i % (USERS / CREDENTIALS) === 0);
  const tokens = app.get(JwtTokenService);
  const keys = app.get(TokenKeyService);
  const access: string[] = [];
  const tokenKeys: string[] = [];
  for (const user of holders) {
    access.push(await tokens.issueAccess(user, { surface: 'bench' }, 3600));
    tokenKeys.push((await keys.mint(user)).key);
  }
  const reference = chosen.map((u) => ({
    id: u.id,
    email: u.email,
    country_code: u.countryCode,
    kyc_status: u.kycStatus,
  }));
  writeFileSync(join(dir, 'users.json'), JSON.stringify(reference));
  await app.close();
  return { env, access, tokenKeys, emails: holders.map((u) => u.email), hash };
}

function start(cores: string, script: string, env: Record<string, string>, port: number) {
  // BENCH_PROFILE_DIR: each server writes a V8 CPU profile there (open it in Chrome's DevTools).
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  const child = spawn('taskset', ['-c', cores, process.execPath, ...profile, script], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function ready(port: number, path: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}${path}`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`nothing answers on port ${port}`);
}

/** CPU ticks of a process, or of one of its threads (the main thread's id is the pid). */
function cpuTicks(pid: number, thread?: number): number {
  const stat = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
  const fields = readFileSync(stat, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
  return line ? Number(line[1]) / 1024 : NaN;
}

async function load(
  name: string,
  server: ChildProcess,
  url: string,
  request: (i: number) => { method?: string; headers: Record<string, string>; body?: string },
  duration = DURATION,
): Promise<Measure> {
  let i = 0;
  const options = {
    url,
    connections: CONNECTIONS,
    duration,
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => ({ ...req, ...request(i++) }),
      },
    ],
  } as unknown as autocannon.Options;
  // Warm up (JIT, caches), then measure.
  await autocannon({ ...options, duration: 2 });
  const before = cpuTicks(server.pid!);
  const mainBefore = cpuTicks(server.pid!, server.pid);
  const result = await autocannon(options);
  const cpu = ((cpuTicks(server.pid!) - before) / CLK_TCK) * 1e6;
  const mainCpu = ((cpuTicks(server.pid!, server.pid) - mainBefore) / CLK_TCK) * 1e6;
  const requests = result.requests.total;
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    requests,
    cpuUsPerRequest: requests > 0 ? cpu / requests : NaN,
    mainThreadUsPerRequest: requests > 0 ? mainCpu / requests : NaN,
    peakRssMb: peakRssMb(server.pid!),
  };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The round whose req/s is the median (its latency, CPU and RSS come with it). */
function median(measures: Measure[]): Measure {
  return [...measures].sort((a, b) => a.rps - b.rps)[Math.floor(measures.length / 2)];
}

const pct = (a: number, b: number) => `${Math.round((a / b) * 100)} %`;
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

/** Login on every core, and the argon2id ceiling of those cores. */
async function measureLogin(
  seeded: Awaited<ReturnType<typeof seed>>,
  env: Record<string, string>,
  gatehouseMain: string,
): Promise<{ login: Measure; ceiling: number; cores: string }> {
  // Login on every core, against the argon2id ceiling of those cores.
  const cores = `0-${availableParallelism() - 1}`;
  const ceiling = Number(
    execFileSync(
      'taskset',
      [
        '-c',
        cores,
        process.execPath,
        join(root, 'dist', 'bench', 'argon2-ceiling.js'),
        seeded.hash,
        PASSWORD,
        String(DURATION),
      ],
      {
        env: { ...process.env, UV_THREADPOOL_SIZE: String(availableParallelism()) },
      },
    ).toString(),
  );
  const loginServer = start(cores, gatehouseMain, env, 18103);
  await ready(18103, '/health');
  const login = await load(
    'Gatehouse login (`POST /api/token/`)',
    loginServer,
    'http://127.0.0.1:18103/api/token/',
    (i) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: seeded.emails[i % seeded.emails.length], password: PASSWORD }),
    }),
  );
  await stop(loginServer);

  return { login, ceiling, cores };
}

async function main(): Promise<void> {
  const loadBefore = loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  process.stdout.write(`Seeding ${USERS} users, ${CREDENTIALS} access tokens and Token keys…\n`);
  const seeded = await seed(dir);
  const env = {
    ...seeded.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    // The bench sends no mail; production refuses to start with mail going to the log otherwise.
    MAIL_LOG_IN_PRODUCTION: 'true',
    // One load driver on one address logs in 1,000 users: measure the path, not the throttle's 429s.
    DEFAULT_THROTTLE_RATES: 'login=1000000/second,login_address=1000000/second',
  };
  const gatehouseMain = join(root, 'dist', 'src', 'main.js');
  const referenceMain = join(root, 'dist', 'bench', 'reference-server.js');
  const floorMain = join(root, 'dist', 'bench', 'reference-with-stack.js');
  const me = '/accounts/auth/users/me/';
  const auth = (scheme: string, values: string[]) => (i: number) => ({
    headers: { authorization: `${scheme} ${values[i % values.length]}` },
  });

  // The reference's users, in the file the seed wrote.
  const usersFile = join(dir, 'users.json');
  /** A reference server on core 0, loaded once like every Gatehouse row. */
  const measureReference = async (name: string, script: string, port: number) => {
    const server = start('0', script, { ...env, BENCH_USERS_FILE: usersFile }, port);
    await ready(port, '/me');
    const measure = await load(
      name,
      server,
      `http://127.0.0.1:${port}/me`,
      auth('Bearer', seeded.access),
    );
    await stop(server);
    return measure;
  };

  const rounds: (Measure | undefined)[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const ref = await measureReference(
      'reference (passport-jwt, in-memory user)',
      referenceMain,
      18101,
    );
    // The same reference with the stack's required packages loaded and idle: the floor.
    const stackFloor = await measureReference(
      "reference + the stack's packages, loaded and idle",
      floorMain,
      18104,
    );

    // Gatehouse, on core 0: a fresh process per scheme, so each row's peak RSS
    // comes from one load of the same length as the reference's.
    // `Bearer` as the KYC clients send it: seed 001's resource, on fastapi-users' dialect
    // (its audience checked); `JWT` and `Token` on djoser's users/me/. The last row is the
    // first without the session revocation check: what the check costs.
    const schemes = [
      ['jwt', 'JWT', seeded.access, me, {}, ''],
      ['bearer', 'Bearer', seeded.access, '/api/v1/resource', {}, ''],
      ['token', 'Token', seeded.tokenKeys, me, {}, ''],
      [
        'unchecked',
        'JWT',
        seeded.access,
        me,
        { SESSION_REVOCATION_CHECK: 'false' },
        ', revocation check off',
      ],
    ] as const;
    const measures: (Measure | undefined)[] = [ref, stackFloor];
    for (const [key, scheme, credentials, path, extraEnv, note] of schemes) {
      if (!ROWS.has(key)) {
        measures.push(...(COMPARE ? [undefined, undefined] : [undefined]));
        continue;
      }
      for (const [build, label] of [
        [gatehouseMain, ''],
        ...(COMPARE ? [[COMPARE, ' (compared)']] : []),
      ]) {
        const gatehouse = start('0', build, { ...env, ...extraEnv }, 18102);
        await ready(18102, '/health');
        measures.push(
          await load(
            `Gatehouse \`${scheme}\` who-am-I (\`${path}\`)${note}${label}`,
            gatehouse,
            `http://127.0.0.1:18102${path}`,
            auth(scheme, [...credentials]),
          ),
        );
        await stop(gatehouse);
      }
    }
    rounds.push(measures);
  }
  const columns = rounds[0].map((measure, column) =>
    measure ? median(rounds.map((r) => r[column]!)) : undefined,
  );
  // With BENCH_COMPARE, every Gatehouse row is followed by its compared one.
  const gatehouseRows = COMPARE ? columns.slice(2).filter((_, i) => i % 2 === 0) : columns.slice(2);
  const [ref, stackFloor] = columns;
  const [jwt, , , jwtUnchecked] = gatehouseRows;
  const login = ROWS.has('login') ? await measureLogin(seeded, env, gatehouseMain) : undefined;
  rmSync(dir, { recursive: true, force: true });
  const floor = stackFloor!;
  const reference = ref!;

  const lines = [
    `${CONNECTIONS} connections, ${DURATION} s per row after a 2 s warm-up, median of ${ROUNDS} alternating rounds; ` +
      `who-am-I: one core each (taskset -c 0); login: ${login?.cores ?? 'not measured'}; load average before: ${loadBefore}.`,
    '',
    row([
      '',
      'req/s',
      'p50 ms',
      'p99 ms',
      'errors',
      'CPU µs/req',
      'peak RSS MB',
      'req/s vs reference',
      'RSS vs floor',
    ]),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...columns
      .filter((m) => m !== undefined)
      .map((m) =>
        row([
          m.name,
          Math.round(m.rps),
          m.p50,
          m.p99,
          m.errors,
          Math.round(m.cpuUsPerRequest),
          Math.round(m.peakRssMb),
          pct(m.rps, reference.rps),
          (m.peakRssMb / floor.peakRssMb).toFixed(2) + ' ×',
        ]),
      ),
  ];
  if (login) {
    lines.push(
      row([
        login.login.name,
        Math.round(login.login.rps),
        login.login.p50,
        login.login.p99,
        login.login.errors,
        Math.round(login.login.cpuUsPerRequest),
        Math.round(login.login.peakRssMb),
        `${pct(login.login.rps, login.ceiling)} of ${Math.round(login.ceiling)} argon2id verifications/s`,
        '',
      ]),
      '',
      `Login's event loop (everything but the hashing, which runs in the thread pool): ` +
        `${Math.round(login.login.mainThreadUsPerRequest)} µs of CPU per request.`,
    );
  }
  if (jwt && jwtUnchecked) {
    lines.push(
      `The session revocation check: \`JWT\` who-am-I at ${pct(jwt.rps, jwtUnchecked.rps)} of its ` +
        `req/s without it (SESSION_REVOCATION_CHECK=false; the budget is 97 %).`,
    );
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
