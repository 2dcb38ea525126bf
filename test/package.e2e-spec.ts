import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What `npm pack` would put in the tarball (the build is there: `npm test` builds first). */
async function packedFiles(): Promise<string[]> {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: process.cwd(),
    maxBuffer: 16 * 1024 * 1024,
  });
  const [pack] = JSON.parse(stdout) as { files: { path: string }[] }[];
  return pack.files.map((file) => file.path);
}

describe('the npm package', () => {
  let files: string[];
  beforeAll(async () => {
    files = await packedFiles();
  });

  it('ships the built library, its types, the service, the CLI and the docs', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'dist/src/index.js',
        'dist/src/index.d.ts',
        'dist/src/runtime.js',
        'dist/src/main.js',
        'dist/src/cli/main.js',
        'dist/src/database/migrations/index.js',
        'docs/openapi.json',
        'docs/extending.md',
      ]),
    );
  });

  it("exports 'gatehouse/runtime', which sizes the hashing thread pool to the cores unless it is set", async () => {
    const poolSize = async (env: Record<string, string>) =>
      (
        await run(
          process.execPath,
          ['-p', "require('gatehouse/runtime'); process.env.UV_THREADPOOL_SIZE"],
          { cwd: process.cwd(), env: { PATH: process.env.PATH ?? '', ...env } },
        )
      ).stdout.trim();
    expect(await poolSize({})).toBe(String(Math.max(2, availableParallelism())));
    expect(await poolSize({ UV_THREADPOOL_SIZE: '7' })).toBe('7');
  });

  it('ships no sources, specs, tests, examples or local state', () => {
    const stray = files.filter((path) =>
      /(^|\/)(test|examples|data|node_modules)\/|\.spec\.|\.ts$(?<!\.d\.ts)|\.tsbuildinfo$|^\.env/.test(
        path,
      ),
    );
    expect(stray).toEqual([]);
  });
});
