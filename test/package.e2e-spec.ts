import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { satisfies } from 'semver';

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

describe('npm run test:e2e / test:unit', () => {
  /** The spec files Jest would run for `npm run test:e2e -- <args>`: the script's flags, then <args>. */
  async function listedFor(args: string[]): Promise<string[]> {
    const scripts = (
      JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    const flags = scripts['test:e2e'].replace(/^npm test -- /, '').split(' ');
    const { stdout } = await run(
      process.execPath,
      [
        '--experimental-vm-modules',
        '--no-warnings=ExperimentalWarning',
        'node_modules/jest/bin/jest.js',
        ...flags,
        ...args,
        '--listTests',
      ],
      { cwd: process.cwd() },
    );
    return stdout.split('\n').filter((line) => line.endsWith('.ts'));
  }

  it('run only the file named after --, not every spec', async () => {
    expect(await listedFor(['test/health.e2e-spec.ts'])).toEqual([
      expect.stringMatching(/test\/health\.e2e-spec\.ts$/),
    ]);
  });

  it('take -t NAME as a test-name filter, not as file patterns', async () => {
    // Were `-t` and NAME file patterns, no spec file would match them.
    expect((await listedFor(['-t', 'trailing slash'])).length).toBeGreaterThan(10);
  });
});

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
        'CHANGELOG.md',
        'LICENSE',
      ]),
    );
  });

  it('is publishable: a scoped name, an OSI licence, the host-owned packages as peers', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
      name: string;
      license: string;
      private?: boolean;
      dependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
    };
    expect(manifest.name).toMatch(/^@[a-z0-9-]+\/[a-z0-9-]+$/);
    expect(manifest.private).toBeUndefined();
    expect(['MIT', 'Apache-2.0']).toContain(manifest.license);
    // One instance of each, the host app's: a second copy of Nest cannot share its container.
    for (const shared of [
      '@nestjs/common',
      '@nestjs/core',
      '@nestjs/passport',
      '@nestjs/typeorm',
      'typeorm',
      'reflect-metadata',
      'rxjs',
    ]) {
      expect([shared, manifest.peerDependencies[shared]]).toEqual([shared, expect.any(String)]);
      expect([shared, manifest.dependencies[shared]]).toEqual([shared, undefined]);
    }
    const changelog = readFileSync('CHANGELOG.md', 'utf8');
    expect(changelog).toMatch(/Keep a Changelog/);
    expect(changelog).toMatch(/^## \[(Unreleased|\d+\.\d+\.\d+)\]/m);
  });

  it('takes Nest 11 and 12 and TypeORM 0.3 and 1.x from the host, as @nestjs/passport 12 and @nestjs/typeorm 12 do', () => {
    const { peerDependencies: peers, dependencies } = JSON.parse(
      readFileSync('package.json', 'utf8'),
    ) as { peerDependencies: Record<string, string>; dependencies: Record<string, string> };
    // [package, a version of the older major, one of the newer] (.ci/examples.sh runs the oldest
    // the ranges admit; the repository's own setup runs Nest 12 and TypeORM 1.x).
    const majors: [string, string, string][] = [
      ['@nestjs/common', '11.2.12', '12.6.3'],
      ['@nestjs/core', '11.2.12', '12.6.3'],
      ['@nestjs/platform-fastify', '11.2.8', '12.6.3'],
      ['@nestjs/passport', '11.0.5', '12.0.0'],
      ['@nestjs/typeorm', '11.0.3', '12.0.2'],
      ['@nestjs/event-emitter', '3.1.0', '12.0.1'],
      ['@nestjs/swagger', '11.4.8', '12.1.2'],
      ['typeorm', '0.3.31', '1.1.3'],
    ];
    for (const [name, older, newer] of majors) {
      expect([name, satisfies(older, peers[name]), satisfies(newer, peers[name])]).toEqual([
        name,
        true,
        true,
      ]);
    }
    expect(satisfies('10.4.15', peers['@nestjs/core'])).toBe(false);
    // Gatehouse's own Nest-versioned dependencies take the host's Nest (their peer ranges
    // cover 11 and 12), so npm installs one @nestjs/core and one @nestjs/common for both.
    for (const name of ['@nestjs/jwt', '@nestjs/schedule', '@nestjs/terminus']) {
      const installed = JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as {
        peerDependencies: Record<string, string>;
        dependencies?: Record<string, string>;
      };
      expect([name, installed.dependencies?.['@nestjs/common']]).toEqual([name, undefined]);
      for (const nest of ['11.2.0', '12.5.1']) {
        expect([name, nest, satisfies(nest, installed.peerDependencies['@nestjs/common'])]).toEqual(
          [name, nest, true],
        );
      }
      expect([name, dependencies[name]]).toEqual([name, expect.any(String)]);
    }
  });

  it('ships its CHANGELOG, with an Unreleased or versioned section', () => {
    expect(files).toContain('CHANGELOG.md');
    expect(readFileSync('CHANGELOG.md', 'utf8')).toMatch(/^## \[(Unreleased|\d+\.\d+\.\d+)\]/m);
  });

  it('ships source maps whose sources all resolve inside the package directory', () => {
    const maps = files.filter((path) => path.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(0);
    const escaping = maps.flatMap((path) => {
      const map = JSON.parse(readFileSync(path, 'utf8')) as {
        sourceRoot?: string;
        sources: string[];
      };
      return map.sources
        .map((source) => normalize(join(dirname(path), map.sourceRoot ?? '', source)))
        .filter((resolved) => isAbsolute(resolved) || resolved.startsWith('..'))
        .map((resolved) => `${path} -> ${resolved}`);
    });
    expect(escaping).toEqual([]);
  });

  it('ships source maps that carry their sources, pointing nowhere outside the package', () => {
    const maps = files.filter((path) => path.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(0);
    const missing = maps.filter((path) => {
      const map = JSON.parse(readFileSync(path, 'utf8')) as {
        sources: string[];
        sourcesContent?: (string | null)[];
      };
      const outside = map.sources.some(
        (source) => !files.includes(join(dirname(path), source).replace(/\\/g, '/')),
      );
      const carried =
        map.sourcesContent?.length === map.sources.length &&
        map.sourcesContent.every((text) => typeof text === 'string');
      return outside && !carried;
    });
    expect(missing).toEqual([]);
  });

  it("exports '@gatehouse-auth/nestjs/runtime', which sizes the hashing thread pool to the cores unless it is set", async () => {
    const poolSize = async (env: Record<string, string>) =>
      (
        await run(
          process.execPath,
          ['-p', "require('@gatehouse-auth/nestjs/runtime'); process.env.UV_THREADPOOL_SIZE"],
          { cwd: process.cwd(), env: { PATH: process.env.PATH ?? '', ...env } },
        )
      ).stdout.trim();
    expect(await poolSize({})).toBe(String(Math.max(2, availableParallelism())));
    expect(await poolSize({ UV_THREADPOOL_SIZE: '7' })).toBe('7');
  });

  it('exports the DRF and FastAPI field decorators at /drf and /fastapi, and @Throttled at its root', async () => {
    const exported = async (subpath: string, names: string[]) =>
      (
        await run(
          process.execPath,
          [
            '-p',
            `const m = require('@gatehouse-auth/nestjs${subpath}'); ${JSON.stringify(names)}.map((n) => typeof m[n]).join()`,
          ],
          { cwd: process.cwd() },
        )
      ).stdout.trim();
    expect(await exported('/drf', ['DrfCharField', 'DrfEmailField', 'DrfException'])).toBe(
      'function,function,function',
    );
    expect(
      await exported('/fastapi', [
        'PydanticBody',
        'PydanticStr',
        'FastApiBody',
        'FastApiException',
      ]),
    ).toBe('function,function,function,function');
    expect(await exported('', ['Throttled', 'SurfaceDialect', 'FieldErrors'])).toBe(
      'function,function,function',
    );
  });

  it("exports the test kit at '@gatehouse-auth/nestjs/testing', its SMTP catcher's packages optional peers", async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '-p',
        "const m = require('@gatehouse-auth/nestjs/testing'); ['startApp', 'createUser', 'mailbox', 'Mailbox', 'parseLink'].map((n) => typeof m[n]).join()",
      ],
      { cwd: process.cwd() },
    );
    expect(stdout.trim()).toBe('function,function,function,function,function');
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
      dependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    // Consumers that catch no mail install neither: mailbox() loads them when it starts.
    for (const name of ['smtp-server', 'mailparser']) {
      expect([name, manifest.dependencies[name]]).toEqual([name, undefined]);
      expect([name, manifest.peerDependenciesMeta[name]?.optional]).toEqual([name, true]);
    }
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
