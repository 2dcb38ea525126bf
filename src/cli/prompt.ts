import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { CommandError } from './command';

/** Whether a person can answer prompts: both ends are a terminal. */
export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/**
 * Asks for a secret on the terminal without echoing it, as Python's getpass
 * does. The question goes to stderr, so stdout keeps only the command's result.
 */
export function promptHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve, reject) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
    rl.on('SIGINT', () => {
      rl.close();
      process.stderr.write('\n');
      reject(new CommandError('cancelled'));
    });
  });
}
