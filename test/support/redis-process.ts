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

/** Whether the redis-server of process `pid` answers on the port (once): not another's. */
function answersAs(port: number, pid: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('INFO server\r\n'));
    socket.on('data', (data) => {
      reply += data.toString();
      const match = /process_id:(\d+)/.exec(reply);
      if (match) done(Number(match[1]) === pid);
    });
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

  /**
   * On a free port; when another process (a spec running beside this one) bound
   * that port first, redis-server exits and is started again on another.
   */
  static async start(): Promise<RedisProcess> {
    for (let attempt = 1; ; attempt++) {
      const redis = new RedisProcess(await freePort());
      try {
        await redis.restart();
        return redis;
      } catch (error) {
        await redis.kill();
        if (attempt >= 3) throw error;
      }
    }
  }

  /** Starts redis-server on this port and waits until it answers there. */
  async restart(): Promise<void> {
    if (this.child) throw new Error('redis-server is already running');
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.child = child;
    const deadline = Date.now() + 10_000;
    while (!(await answersAs(this.port, child.pid!))) {
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
