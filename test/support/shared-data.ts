import * as fs from 'node:fs';
import * as path from 'node:path';

/** ../shared beside the repository: real external data that is never copied into the repository. */
export const SHARED_DIR = path.resolve(__dirname, '..', '..', '..', 'shared');

export function sharedPath(...parts: string[]): string {
  return path.join(SHARED_DIR, ...parts);
}

/** Whether a shared file exists; when not, logs how to get it so a skipped test says why. */
export function hasShared(...parts: string[]): boolean {
  const p = sharedPath(...parts);
  if (fs.existsSync(p)) return true;
  console.warn(
    `SKIPPED: ${p} is absent. Place the project's shared/ folder beside the repository to run this test.`,
  );
  return false;
}
