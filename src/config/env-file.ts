import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Loads `.env` from the working directory into the environment when it exists (variables already set win),
 * so `npm start` honours the same file docker compose reads. Uses Node's own parser (process.loadEnvFile).
 */
export function loadDotEnv(file = path.resolve('.env')): boolean {
  if (!fs.existsSync(file)) return false;
  const before = { ...process.env };
  process.loadEnvFile(file);
  // loadEnvFile overrides existing variables; the real environment must keep precedence.
  Object.assign(process.env, before);
  return true;
}
