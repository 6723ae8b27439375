import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ZodType } from 'zod';
import { toFieldErrors } from './zod-validation';

/**
 * Reads every `*.json` array in a seed folder (in file-name order) and checks each item against a schema.
 * Problems are collected as `file[index].path: message` instead of thrown one at a time, so a curator who
 * edited several files sees everything wrong in one start-up error.
 */
export function readSeedItems<T>(dir: string, schema: ZodType<T>): { items: T[]; problems: string[] } {
  const items: T[] = [];
  const problems: string[] = [];
  if (!fs.existsSync(dir)) return { items, problems };
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const raw = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as unknown[];
    raw.forEach((item, i) => {
      const parsed = schema.safeParse(item);
      if (parsed.success) items.push(parsed.data);
      else
        for (const e of toFieldErrors(parsed.error)) problems.push(`${file}[${i}].${e.path}: ${e.message}`);
    });
  }
  return { items, problems };
}
