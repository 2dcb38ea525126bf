import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = process.cwd();
const depcruise = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const config = join(root, '.dependency-cruiser.cjs');

/** depcruise with the project's rules on `dir`: its exit code and report. */
async function cruise(dir: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [depcruise, ...args, '--config', config, '--output-type', 'err'],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('the architecture (dependency-cruiser, as `npm run lint` runs it)', () => {
  it('holds on this tree', async () => {
    const { code, output } = await cruise(root, [
      'src',
      'test',
      'bench',
      'examples/passport-basic',
      'ormconfig.ts',
    ]);
    expect(output).toContain('no dependency violations found');
    expect(code).toBe(0);
  });

  describe('on a tree that breaks it', () => {
    let fixture: string;
    const write = (path: string, text: string): void => {
      mkdirSync(dirname(join(fixture, path)), { recursive: true });
      writeFileSync(join(fixture, path), text);
    };

    beforeAll(() => {
      fixture = mkdtempSync(join(tmpdir(), 'gatehouse-architecture-'));
      write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'nodenext' } }));
      write('src/surfaces/djoser/djoser.controller.ts', 'export class DjoserController {}\n');
      // A feature that reaches up into a surface...
      write(
        'src/accounts/users.service.ts',
        "import { DjoserController } from '../surfaces/djoser/djoser.controller';\nexport const controller = DjoserController;\n",
      );
      // ...the access floor importing a feature's entity...
      write('src/accounts/user.entity.ts', 'export class User {}\n');
      write(
        'src/access/auth-scheme.ts',
        "import type { User } from '../accounts/user.entity';\nexport type Principal = { user: User };\n",
      );
      // ...two http/ modules that import each other...
      write('src/http/a.ts', "import { b } from './b';\nexport const a = () => b;\n");
      write('src/http/b.ts', "import { a } from './a';\nexport const b = () => a;\n");
      // ...config/ (the bottom) importing a layer above it, and src/ importing test/.
      write('src/config/config.ts', "import { a } from '../http/a';\nexport const c = a;\n");
      write(
        'src/infra/x.ts',
        "import { helper } from '../../test/support/helper';\nexport const x = helper;\n",
      );
      write('test/support/helper.ts', 'export const helper = 1;\n');
    });

    afterAll(() => rmSync(fixture, { recursive: true, force: true }));

    it('fails, naming each broken rule', async () => {
      const { code, output } = await cruise(fixture, ['src', 'test']);
      expect(code).not.toBe(0);
      expect(output).toMatch(
        /no-feature-to-surface: src\/accounts\/users\.service\.ts → src\/surfaces/,
      );
      expect(output).toMatch(
        /no-upward-from-features: src\/accounts\/users\.service\.ts → src\/surfaces/,
      );
      expect(output).toMatch(
        /no-upward-from-access: src\/access\/auth-scheme\.ts → src\/accounts\/user\.entity\.ts/,
      );
      expect(output).toMatch(/no-circular: src\/http\/(a|b)\.ts/);
      expect(output).toMatch(/no-upward-from-config: src\/config\/config\.ts → src\/http\/a\.ts/);
      expect(output).toMatch(/src-not-to-test: src\/infra\/x\.ts → test\/support\/helper\.ts/);
    });
  });
});
