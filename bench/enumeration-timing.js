#!/usr/bin/env node
/* eslint-disable */
// Equal time for existing and unknown accounts on the endpoints that must not
// enumerate them: boots the built app (npm run build) on a scratch SQLite
// database with mail going nowhere, then alternates requests for an existing and
// an unknown address and compares the medians. Not a jest test: timings belong
// to a quiet machine. Exits 1 when a ratio leaves 0.9–1.1.
//
//   npm run bench:enumeration            (ROUNDS=300 by default)
//   ONLY=/auth/registration/,/auth/register npm run bench:enumeration   (those endpoints only)
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');
const { fork } = require('node:child_process');

const ROUNDS = Number(process.env.ROUNDS ?? 300);
const ONLY = process.env.ONLY ? process.env.ONLY.split(',') : undefined;
const dist = join(__dirname, '..', 'dist', 'src');
const { createApp } = require(join(dist, 'app.factory.js'));
const { loadConfig } = require(join(dist, 'config', 'load-config.js'));
const { UsersService } = require(join(dist, 'accounts', 'users.service.js'));

/** Accounts that exist, taken in turn (so no per-account cap answers 429). */
const EXISTING = 64;
const PASSWORD = 'Bench-Pass-123';

// [method, path, body for an address, statuses expected]. The login link takes no address
// (it is authenticated), so it has nothing to tell apart.
const ENDPOINTS = [
  ['POST', '/auth/password/reset/', (email) => ({ email })],
  ['POST', '/auth/registration/resend-email/', (email) => ({ email })],
  ['POST', '/auth/forgot-password', (email) => ({ email })],
  ['POST', '/auth/request-verify-token', (email) => ({ email })],
  ['POST', '/accounts/auth/users/reset_password/', (email) => ({ email }), [204]],
  ['POST', '/accounts/auth/users/reset_email/', (email) => ({ email }), [204]],
  // Sign-up with a taken address against a fresh one: the answers differ (the libraries say
  // "already in use"), the time must not tell more than the answer does.
  [
    'POST',
    '/auth/registration/',
    (email) => ({ email, password1: PASSWORD, password2: PASSWORD }),
    [201, 400],
  ],
  ['POST', '/auth/register', (email) => ({ email, password: PASSWORD }), [201, 400]],
  [
    'POST',
    '/accounts/auth/users/',
    (email) => ({ email, username: email.split('@')[0], password: PASSWORD }),
    [201, 400],
  ],
];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The server, in a process of its own: its background work must not stall the measuring client. */
async function serve() {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const rates = ['login', 'mail', 'confirm']
    .flatMap((s) => [`${s}=1000000/minute`, `${s}_address=1000000/minute`])
    .concat('mail_account=1000000/minute')
    .join(',');
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dir,
    DATABASE_URL: `sqlite:${join(dir, 'bench.sqlite')}`,
    JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256-0123456789',
    LOG_LEVEL: 'silent',
    DEFAULT_THROTTLE_RATES: rates,
    RESEND_EMAIL_INTERVAL: '0',
  });
  // Mail goes nowhere: delivery is not what is measured.
  class NullTransport {
    async send() {}
  }
  const app = await createApp(config, { mailTransport: NullTransport });
  await app.listen(0, '127.0.0.1');
  const users = app.get(UsersService);
  for (let i = 0; i < EXISTING; i++) {
    await users.create({ email: `exists${i}@example.com`, password: PASSWORD });
  }
  process.send({ port: app.getHttpServer().address().port });
  process.on('message', async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
}

async function main() {
  const server = fork(__filename, ['serve']);
  const { port } = await new Promise((resolve) => server.once('message', resolve));
  const base = `http://127.0.0.1:${port}`;
  // Longer than the mail service's preparation tick (PREPARATION_TICK_MS, 20 ms) plus
  // its work: a mail prepared after an answer would otherwise run during the next
  // measured request, charging one branch's background work to the other.
  const pause = () => new Promise((resolve) => setTimeout(resolve, 35));

  let worst = 1;
  console.log(
    `endpoint                              existing  unknown   ratio   (medians of ${ROUNDS}, ms)`,
  );
  let fresh = 0;
  for (const [method, path, body, statuses = [200, 202]] of ENDPOINTS) {
    if (ONLY && !ONLY.includes(path)) continue;
    const times = { exists: [], unknown: [] };
    for (let i = 0; i < ROUNDS + 20; i++) {
      for (const who of i % 2 ? ['exists', 'unknown'] : ['unknown', 'exists']) {
        const email =
          who === 'exists' ? `exists${i % EXISTING}@example.com` : `nobody${fresh++}@example.com`;
        const started = performance.now();
        const res = await fetch(base + path, {
          method,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body(email)),
        });
        await res.arrayBuffer();
        const elapsed = performance.now() - started;
        if (!statuses.includes(res.status)) throw new Error(`${path}: ${res.status}`);
        if (i >= 20) times[who].push(elapsed); // the first rounds warm up
        await pause(); // let the background work of this request end before the next
      }
    }
    const exists = median(times.exists);
    const unknown = median(times.unknown);
    const ratio = exists / unknown;
    worst = Math.abs(ratio - 1) > Math.abs(worst - 1) ? ratio : worst;
    console.log(
      `${path.padEnd(38)}${exists.toFixed(3).padStart(8)}${unknown.toFixed(3).padStart(9)}${ratio.toFixed(3).padStart(8)}`,
    );
  }
  server.send('stop');
  if (Math.abs(worst - 1) > 0.1) {
    console.error(`worst ratio ${worst.toFixed(3)} is outside 0.9–1.1: existence leaks by timing`);
    process.exitCode = 1;
  }
}

(process.argv[2] === 'serve' ? serve() : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
