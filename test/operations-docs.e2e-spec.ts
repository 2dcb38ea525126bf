import { readFileSync } from 'node:fs';
import semver from 'semver';

// Issue 26's operations items that live in files, not in a running service: what an
// operator reads before deploying, and what `npm install` says on the declared Node.
describe('what an operator reads and installs', () => {
  const readme = readFileSync('README.md', 'utf8');
  const deploying = readFileSync('docs/deploying.md', 'utf8');
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };

  it("lists each setting once in the README's settings table (no contradicting twin rows)", () => {
    const named = readme
      .split('\n')
      .filter((line) => /^\| `[A-Z][A-Z0-9_]+`/.test(line))
      .flatMap((line) => [...line.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((name, i) => named.indexOf(name) !== i)).toEqual([]);
  });

  it('says that production needs SMTP_URL (or MAIL_LOG_IN_PRODUCTION=true), and which command to run', () => {
    expect(deploying).toMatch(/SMTP_URL/);
    expect(deploying).toMatch(/MAIL_LOG_IN_PRODUCTION=true/);
    expect(deploying).toMatch(/node dist\/src\/main\.js/);
  });

  it('installs without EBADENGINE on the oldest Node that `engines` declares', () => {
    const oldest = semver.minVersion(pkg.engines.node)!.version;
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { engines?: { node?: string } | string[] }>;
    };
    const refusing = Object.entries(lock.packages)
      .map(([path, entry]) => [
        path,
        Array.isArray(entry.engines) ? undefined : entry.engines?.node,
      ])
      .filter(([, range]) => range !== undefined && !semver.satisfies(oldest, range));
    expect(refusing).toEqual([]);
  });
});
