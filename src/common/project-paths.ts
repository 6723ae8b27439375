import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The repository root (the folder holding package.json). Code runs both from `src/` (tests, ts-jest) and from
 * `dist/src/` (npm start), so data folders such as `migrations/`, `prompts/` and `seeds/` are found from here
 * rather than relative to `__dirname`.
 */
function findProjectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'migrations')))
      return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the project root above ${__dirname}`);
    dir = parent;
  }
}

export const PROJECT_ROOT = findProjectRoot();
export const projectPath = (...parts: string[]): string => path.join(PROJECT_ROOT, ...parts);
