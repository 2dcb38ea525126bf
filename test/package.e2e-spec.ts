import { execFile } from 'node:child_process';
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
        'dist/src/main.js',
        'dist/src/cli/main.js',
        'dist/src/database/migrations/index.js',
        'docs/openapi.json',
        'docs/extending.md',
      ]),
    );
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
