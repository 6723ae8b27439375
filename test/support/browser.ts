import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/**
 * Browser specs drive Debian's Chromium through playwright-core (no browser download, ever). Without it they
 * skip with instructions, unless KAKEHASHI_REQUIRE_BROWSER=1 (set by .ci/run), where a missing browser fails.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.resolve(__dirname, '..', 'artifacts');

export function browserAvailable(): boolean {
  if (fs.existsSync(CHROMIUM_PATH)) return true;
  const message = `${CHROMIUM_PATH} is missing: install it with \`apt-get install chromium\` to run the browser specs.`;
  if (process.env.KAKEHASHI_REQUIRE_BROWSER === '1')
    throw new Error(`KAKEHASHI_REQUIRE_BROWSER=1 but ${message}`);
  console.warn(`SKIPPED: ${message}`);
  return false;
}

/** `describe` when a browser exists, `describe.skip` otherwise (see browserAvailable). */
export const describeInBrowser = (name: string, fn: () => void): void =>
  (browserAvailable() ? describe : describe.skip)(name, fn);

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Bundles the front-end apps (esbuild, well under a second) so the specs test the current sources. */
export function buildWebApps(): void {
  execFileSync(
    process.execPath,
    [path.resolve(__dirname, '..', '..', 'scripts', 'build-web.mjs'), '--no-typecheck', '--quiet'],
    {
      stdio: 'inherit',
    },
  );
}

export function artifactPath(name: string): string {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return path.join(ARTIFACTS_DIR, name);
}
