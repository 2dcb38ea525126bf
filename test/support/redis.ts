import { Socket } from 'node:net';

/** The Redis the several-instance specs share counters through. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether Redis answers at REDIS_URL: a missing one skips loudly, and fails with CI=true. */
export async function detectRedis(): Promise<boolean> {
  const url = new URL(REDIS_URL);
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = new Socket();
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.write('PING\r\n');
    });
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.connect(Number(url.port || 6379), url.hostname);
  });
  if (!reachable) {
    if (process.env.CI === 'true') {
      throw new Error(`Redis is required in CI and does not answer at ${REDIS_URL}`);
    }
    process.stderr.write(
      `\n[gatehouse e2e] !!! Redis does not answer at ${REDIS_URL}: several-instance specs are SKIPPED.\n`,
    );
  }
  return reachable;
}
