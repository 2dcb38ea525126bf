import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The layout promise: from a line of a seed document to its handler in one grep.
 * Every documented path is written literally, in one route decorator, in exactly
 * one file under src/surfaces/ (src/health/ for the health checks); no controller
 * lives anywhere else.
 */
// Jest runs from the project root (rootDir).
const ROOT = process.cwd();
const SURFACES = join(ROOT, 'src', 'surfaces');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const document = JSON.parse(readFileSync(join(ROOT, 'docs', 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, unknown>>;
};
const sources = [...files(SURFACES), ...files(join(ROOT, 'src', 'health'))]
  .filter((file) => file.endsWith('.ts'))
  .map((file) => ({ file: relative(ROOT, file), text: readFileSync(file, 'utf8') }));

describe('the surfaces layout', () => {
  it.each(Object.keys(document.paths))('writes %s literally on one handler', (path) => {
    const literal = path.replace(/^\//, '').replace(/\{(\w+)\}/g, ':$1');
    const decorator = new RegExp(
      `@(Get|Post|Put|Patch|Delete)\\('${literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'\\)`,
    );
    const holders = sources.filter(({ text }) => decorator.test(text)).map(({ file }) => file);
    expect(holders).toHaveLength(1);
    expect(holders[0]).toMatch(
      /^src\/(surfaces\/[\w-]+\/(dashboard\/)?|health\/)[\w-]+\.controller\.ts$/,
    );
  });

  it('keeps every controller under src/surfaces/ (health aside)', () => {
    const controllers = files(join(ROOT, 'src'))
      .map((file) => relative(ROOT, file))
      .filter((file) => file.endsWith('.controller.ts'));
    expect(controllers.length).toBeGreaterThan(10);
    expect(controllers.filter((file) => !/^src\/(surfaces|health)\//.test(file))).toEqual([]);
  });

  it('keeps HTTP dialects out of the feature modules', () => {
    const features = [
      'accounts',
      'jwt-auth',
      'token-key',
      'registration',
      'password',
      'mail',
      'audit',
      'migration',
    ];
    const offenders = features
      .flatMap((name) => files(join(ROOT, 'src', name)))
      .filter((file) => /DrfException|FastApiException/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });
});
