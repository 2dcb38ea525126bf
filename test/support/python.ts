import { execFileSync } from 'node:child_process';

/** Debian's Python, which carries the real libraries the oracle specs run. */
export const PYTHON = '/usr/bin/python3';

/**
 * Whether Debian's Python can import `modules` here. Missing in CI (`CI=true`) is a
 * failure; missing locally, the specs that need them are skipped with a loud message.
 * @param needs what the specs need them for, for the messages
 * @param packages the Debian packages that bring them
 */
export function detectPython(modules: string[], packages: string, needs: string): boolean {
  try {
    execFileSync(PYTHON, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI === 'true') {
      throw new Error(`${needs} need Debian's ${packages} in CI (apt-get install -y …)`);
    }
    process.stderr.write(
      `\n[gatehouse e2e] !!! ${PYTHON} cannot import ${modules.join(', ')}: ${needs} are ` +
        `SKIPPED. Install them with \`apt-get install -y ${packages}\`.\n`,
    );
    return false;
  }
}
