import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  builtEntry,
  freePort,
  startServer,
  waitForHttp,
  type ServerProcess,
} from './support/processes';
import { TEST_JWT_SECRET } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** The README's address, replaced by the started service's. */
const README_BASE = 'localhost:8000';

interface Step {
  command: string;
  /** The `# {…}` / `# […]` lines under the command; `…` stands for anything. */
  expected?: string;
}

/** The commands of every ```sh example block, in order, each with its expected output. */
function readmeSteps(markdown: string): Step[] {
  const blocks = [...markdown.matchAll(/^```sh example\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  const steps: Step[] = [];
  for (const block of blocks) {
    let current: string[] = [];
    for (const line of block.split('\n')) {
      const output = /^# ([{["].*)$/.exec(line);
      if (output) {
        steps[steps.length - 1].expected = output[1];
      } else if (line.trim() && !line.startsWith('#')) {
        current.push(line);
        if (!line.endsWith('\\')) {
          steps.push({ command: current.join('\n') });
          current = [];
        }
      }
    }
  }
  return steps;
}

const pattern = (expected: string) =>
  new RegExp(
    `^${expected
      .split('…')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[\\s\\S]*?')}$`,
  );

/**
 * Every shell example of the README, run as written (one shell, in order) against
 * a fresh `npm start`: the CLI as `npm run cli` in a directory of its own, the
 * service on a free port instead of :8000.
 */
describe('the README', () => {
  let database: TestDatabase;
  let server: ServerProcess;
  let base: string;
  let cwd: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    cwd = mkdtempSync(join(tmpdir(), 'gatehouse-readme-'));
    // `npm run cli` where the examples run, as in a checkout (minus the repository).
    writeFileSync(
      join(cwd, 'package.json'),
      JSON.stringify({
        name: 'gatehouse-readme',
        private: true,
        scripts: { cli: `node ${JSON.stringify(builtEntry('src/cli/main.js'))}` },
      }),
    );
    const port = String(await freePort());
    base = `127.0.0.1:${port}`;
    env = {
      HOME: process.env.HOME ?? cwd,
      DATABASE_URL: database.url,
      JWT_SECRET: TEST_JWT_SECRET,
      HOST: '127.0.0.1',
      PORT: port,
      // Links the service hands out (the login link) name where clients reach it.
      PUBLIC_URL: `http://${base}`,
      LOG_LEVEL: 'warn',
    };
    server = startServer(env, cwd);
    await waitForHttp(`http://${base}/health`, server);
  });
  afterAll(async () => {
    await server?.stop();
    await database.drop();
  });

  it('has shell examples to run', () => {
    expect(readmeSteps(readFileSync('README.md', 'utf8')).length).toBeGreaterThan(10);
  });

  it('runs every shell example as written, with the output it shows', async () => {
    const steps = readmeSteps(readFileSync('README.md', 'utf8'));
    // One script: variables set by one example (KEY, ACCESS…) are there for the next.
    const script = [
      'set -eo pipefail',
      ...steps.flatMap((step, index) => [
        `printf '\\n@@step ${index}\\n'`,
        step.command.replaceAll(README_BASE, base),
      ]),
    ].join('\n');
    const { code, stdout, stderr } = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((resolve, reject) => {
      const child = spawn('bash', ['-c', script], {
        cwd,
        env: { PATH: process.env.PATH ?? '', ...env },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', reject);
      child.on('close', (exit) => resolve({ code: exit, stdout: out, stderr: err }));
    });
    const outputs = new Map(
      stdout
        .split('\n@@step ')
        .slice(1)
        .map((chunk) => {
          const newline = chunk.indexOf('\n');
          return [Number(chunk.slice(0, newline)), chunk.slice(newline + 1).trim()] as const;
        }),
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    for (const [index, step] of steps.entries()) {
      const output = outputs.get(index);
      expect({ command: step.command, ran: output !== undefined }).toEqual({
        command: step.command,
        ran: true,
      });
      if (step.expected !== undefined) {
        expect({ command: step.command, output }).toEqual({
          command: step.command,
          output: expect.stringMatching(pattern(step.expected.replaceAll(README_BASE, base))),
        });
      }
    }
    // A dozen CLI processes and curls, one after the other.
  }, 240_000);
});
