import { spawnSync } from 'node:child_process';

/** The Redis the several-instance specs share state through (CI starts it; see .ci/run). */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Answers whether Redis says PONG, in a child process: specs decide at load time. */
const PING = `
const { hostname, port } = new URL(process.argv[1]);
const socket = require('node:net').connect({ host: hostname, port: Number(port || 6379) });
const done = (ok) => { socket.destroy(); process.exit(ok ? 0 : 1); };
socket.setTimeout(1000, () => done(false));
socket.once('error', () => done(false));
socket.once('connect', () => socket.write('PING\\r\\n'));
socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
`;

/** Whether Redis answers at REDIS_URL; with CI=true a missing Redis is a failure. */
export function detectRedis(): boolean {
  const available = spawnSync(process.execPath, ['-e', PING, REDIS_URL]).status === 0;
  if (!available) {
    if (process.env.CI === 'true') {
      throw new Error(`Redis is required in CI and does not answer at ${REDIS_URL}`);
    }
    process.stderr.write(
      `\n[gatehouse e2e] !!! Redis not answering at ${REDIS_URL}: Redis specs are SKIPPED. ` +
        'Start one (apt-get install -y redis-server) to run them.\n',
    );
  }
  return available;
}
