import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './processes';

/**
 * Whether `redis-server` can be started here, for specs that stop and restart
 * their own Redis: missing → skipped with a loud note locally, a failure with CI=true.
 */
export function redisServerBinary(): boolean {
  const found = spawnSync('redis-server', ['--version']).status === 0;
  if (!found) {
    if (process.env.CI === 'true') {
      throw new Error('redis-server is required in CI and is not on PATH');
    }
    process.stderr.write(
      '\n[gatehouse e2e] !!! redis-server is not on PATH: the Redis outage specs are SKIPPED. ' +
        'Install it (apt-get install -y redis-server) to run them.\n',
    );
  }
  return found;
}

/** Whether something answers PING on the port (once). */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/**
 * A private, throwaway redis-server child on a free loopback port (no
 * persistence): a spec can kill it and start it again on the same port without
 * touching the machine's Redis.
 */
export class RedisProcess {
  private child?: ChildProcess;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RedisProcess> {
    const redis = new RedisProcess(await freePort());
    await redis.restart();
    return redis;
  }

  /** Starts redis-server on this port and waits for its PONG. */
  async restart(): Promise<void> {
    if (this.child) throw new Error('redis-server is already running');
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.child = child;
    const deadline = Date.now() + 10_000;
    while (!(await pong(this.port))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${this.port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Kills the child (SIGKILL: an outage, not a shutdown) and waits for it to be gone. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
