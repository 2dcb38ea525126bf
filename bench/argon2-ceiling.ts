/**
 * The login ceiling: how many argon2id verifications per second this machine's
 * cores do, with the parameters Gatehouse hashes with, nothing else around
 * them. Prints one number (verifications per second) for bench/run.ts.
 */
import { verify } from '@node-rs/argon2';

async function main(): Promise<void> {
  const [hash, password, seconds] = [process.argv[2], process.argv[3], Number(process.argv[4])];
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  // Enough verifications in flight to keep every thread of the pool busy.
  const worker = async () => {
    while (Date.now() < deadline) {
      if (!(await verify(hash, password))) throw new Error('the ceiling hash does not verify');
      done++;
    }
  };
  const start = Date.now();
  await Promise.all(Array.from({ length: 16 }, worker));
  process.stdout.write(String(done / ((Date.now() - start) / 1000)));
}

void main();
