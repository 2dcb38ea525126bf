import { execFileSync, spawn } from 'node:child_process';
import { freePort, startServer, waitForHttp, type ServerProcess } from './support/processes';
import { createTestDatabase } from './support/test-database';
import { testEnvironment } from './support/test-app';

const PASSWORD = 'Zebra-Quartz-71';

describe('graceful shutdown', () => {
  it('answers the request in flight on SIGTERM, then exits within SHUTDOWN_TIMEOUT', async () => {
    const database = await createTestDatabase();
    const port = String(await freePort());
    const base = `http://127.0.0.1:${port}`;
    const server = startServer(
      testEnvironment(database.url, {
        HOST: '127.0.0.1',
        PORT: port,
        LOG_LEVEL: 'info',
        SHUTDOWN_TIMEOUT: '20',
        // A slow hash keeps the login in flight while the signal arrives.
        ARGON2_MEMORY_COST: '131072',
        ARGON2_TIME_COST: '6',
      }),
    );
    try {
      await waitForHttp(`${base}/health/live`, server, 60_000);
      const json = { 'content-type': 'application/json' };
      const registered = await fetch(`${base}/auth/registration/`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          email: 'drain@example.com',
          password1: PASSWORD,
          password2: PASSWORD,
        }),
      });
      expect(registered.status).toBe(201);

      const login = fetch(`${base}/auth/login/`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email: 'drain@example.com', password: PASSWORD }),
      });
      await new Promise((resolve) => setTimeout(resolve, 150));
      server.child.kill('SIGTERM');

      const answer = await login;
      expect(answer.status).toBe(200);
      expect((await answer.json()).key).toMatch(/^[0-9a-f]{40}$/);
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain('SIGTERM received: draining');
      expect(server.output()).toContain('stopped');
      expect(server.output()).not.toContain('shutdown took longer');
      // Stopped accepting: nothing answers on the port any more.
      await expect(fetch(`${base}/health/live`)).rejects.toThrow();
    } finally {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
      }
      await database.drop();
    }
  }, 120_000);

  it('stops cleanly when `npm start` gets the SIGTERM (a process manager, docker stop)', async () => {
    const database = await createTestDatabase();
    const port = String(await freePort());
    const npm = spawn('npm', ['start', '--silent'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        ...testEnvironment(database.url, { HOST: '127.0.0.1', PORT: port, LOG_LEVEL: 'info' }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
    // The output is complete once every process holding it (node too) has ended.
    const outputClosed = new Promise<void>((resolve) => npm.on('close', () => resolve()));
    const asServer: ServerProcess = {
      child: npm,
      output: () => output,
      exited,
      stop: () => exited,
    };
    let nodePids: number[] = [];
    try {
      await waitForHttp(`http://127.0.0.1:${port}/health/live`, asServer, 60_000);
      nodePids = servingProcesses(npm.pid as number);
      expect(nodePids.length).toBeGreaterThan(0);
      npm.kill('SIGTERM');
      expect(await exited).toBe(0);
      await waitUntilGone(nodePids);
      await outputClosed;
      expect(output).toContain('SIGTERM received: draining');
      expect(output).toContain('stopped');
    } finally {
      for (const pid of [...nodePids, npm.pid as number]) {
        if (isRunning(pid)) process.kill(pid, 'SIGKILL');
      }
      await database.drop();
    }
  }, 120_000);

  it('stops within SHUTDOWN_TIMEOUT with Redis unreachable, and exits 0', async () => {
    const database = await createTestDatabase();
    const port = String(await freePort());
    const server = startServer(
      testEnvironment(database.url, {
        HOST: '127.0.0.1',
        PORT: port,
        LOG_LEVEL: 'info',
        // Nothing listens there: Redis is unreachable from the start.
        REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
        SHUTDOWN_TIMEOUT: '2',
      }),
    );
    try {
      await waitForHttp(`http://127.0.0.1:${port}/health/live`, server, 60_000);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output()).not.toContain('shutdown took longer');
      expect(server.output()).toContain('stopped');
    } finally {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
      }
      await database.drop();
    }
  }, 120_000);
});

/** The process tree under `pid` (npm's shell and node), children first. */
function servingProcesses(pid: number): number[] {
  let listed = '';
  try {
    listed = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  } catch {
    // ps exits 1 when there is none.
  }
  const children = listed
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((child) => child > 0);
  return children.flatMap((child) => [...servingProcesses(child), child]);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pids: number[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isRunning)) {
    if (Date.now() > deadline)
      throw new Error(`still running: ${pids.filter(isRunning).join(' ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
