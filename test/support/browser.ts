import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium; never a browser a tool downloads. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);

if (!hasChromium) {
  if (process.env.CI === 'true') {
    throw new Error(
      `Chromium is required in CI and is missing at ${CHROMIUM_PATH} (apt-get install -y chromium)`,
    );
  }
  process.stderr.write(
    `\n[gatehouse e2e] !!! Chromium not found at ${CHROMIUM_PATH}: browser specs are SKIPPED. ` +
      'Install it with `apt-get install -y chromium` to run them.\n',
  );
}

/** Headless Chromium as this machine can run it (closed network, root). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where screenshots go (kept as CI artifacts). */
export function artifactPath(name: string): string {
  const dir = join(process.cwd(), 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
