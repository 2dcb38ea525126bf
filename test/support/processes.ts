import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = process.cwd();

/** A built entry point; `npm test` builds first (its `pretest`). */
export function builtEntry(relative: string): string {
  const file = join(ROOT, 'dist', relative);
  if (!existsSync(file))
    throw new Error(`${file} is missing: run "npm run build" (npm test does it first)`);
  return file;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run cli -- <args>` the way a user does, minus the rebuild. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  cwd = ROOT,
  entry = 'src/cli/main.js',
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [builtEntry(entry), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the package's bin (`npx gatehouse <args>`, dist/src/cli/bin.js) from `cwd`. */
export function runBin(
  args: string[],
  env: Record<string, string>,
  cwd = ROOT,
): Promise<CliResult> {
  return runCli(args, env, cwd, 'src/cli/bin.js');
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface ServerProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/** Starts the built service (`node dist/src/main.js`) as `npm start` does after its build. */
export function startServer(env: Record<string, string>, cwd = ROOT): ServerProcess {
  const child = spawn(process.execPath, [builtEntry('src/main.js')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close', not 'exit': by then the output has been read to its last line.
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  return {
    child,
    output: () => output,
    exited,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Polls `url` until it answers (any status) or the process dies or time runs out. */
export async function waitForHttp(
  url: string,
  server: ServerProcess,
  timeoutMs = 30_000,
): Promise<Response> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`server exited early:\n${server.output()}`);
    try {
      // Each attempt is bounded too: something that accepts and never answers (another
      // process on the port) must not hold the wait past its deadline.
      return await fetch(url, { signal: AbortSignal.timeout(2000) });
    } catch {
      if (Date.now() > deadline) {
        throw new Error(
          `no answer from ${url} after ${Date.now() - started} ms (pid ${server.child.pid} ` +
            `still running); its output:\n${server.output() || '(none)'}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Starts the built service on a free loopback port and waits for its /health.
 * A free port is only free until someone binds it: when another process (a spec
 * running beside this one) took it first, the server exits with EADDRINUSE and
 * is started again on another port.
 */
export async function startServerOnFreePort(
  env: Record<string, string>,
  timeoutMs = 60_000,
  cwd = ROOT,
): Promise<{ server: ServerProcess; baseUrl: string }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const server = startServer({ ...env, HOST: '127.0.0.1', PORT: String(port) }, cwd);
    const baseUrl = `http://127.0.0.1:${port}`;
    try {
      await waitForHttp(`${baseUrl}/health`, server, timeoutMs);
      return { server, baseUrl };
    } catch (error) {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
      if (attempt >= 3 || !server.output().includes('EADDRINUSE')) throw error;
    }
  }
}

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/**
 * Runs `npm run cli -- <args>` on a pseudo-terminal (through Python's pty, see
 * tty-driver.py) and types `answers` at its password prompts, as a person would.
 * The output is everything the terminal showed, stdout and stderr together.
 */
export function runCliOnTerminal(
  args: string[],
  answers: string[],
  env: Record<string, string>,
  entry = 'src/cli/main.js',
): Promise<{ code: number; output: string }> {
  const driver = join(ROOT, 'test/support/tty-driver.py');
  const command = [process.execPath, builtEntry(entry), ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [driver, JSON.stringify(command), JSON.stringify(answers)], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(stdout) as { code: number; output: string });
      } catch {
        reject(new Error(`the terminal driver failed: ${stdout}`));
      }
    });
  });
}
