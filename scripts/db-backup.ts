import * as path from 'node:path';
import { backupEmbedded } from '../src/backup/embedded-backup';
import { loadConfig } from '../src/config/app-config';
import { loadDotEnv } from '../src/config/env-file';
import { fail, parseArgs } from './cli-args';

/**
 * `npm run db:backup -- --out backups/kakehashi.tar.gz`: a consistent copy of the embedded database (stop the
 * app first). With DATABASE_URL (a PostgreSQL server) use pg_dump instead: see docs/operations.md.
 */
async function main() {
  loadDotEnv();
  const args = parseArgs();
  const config = loadConfig();
  if (config.database.url)
    fail(
      'DATABASE_URL is set: back up the PostgreSQL server with pg_dump, e.g.\n' +
        '  pg_dump --format=custom --file=kakehashi.dump "$DATABASE_URL"\n(see docs/operations.md).',
    );
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = typeof args.out === 'string' ? args.out : path.join('backups', `kakehashi-${stamp}.tar.gz`);
  const result = await backupEmbedded(config.database.dataDir, out);
  process.stdout.write(
    `Backed up ${config.database.dataDir} to ${result.file} (${result.bytes} bytes; ` +
      `${result.migrations} migrations, ${result.companies} company profiles).\n`,
  );
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
