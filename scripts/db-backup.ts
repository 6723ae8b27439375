import * as path from 'node:path';
import { backupEmbedded } from '../src/backup/embedded-backup';
import { backupServer } from '../src/backup/server-backup';
import { loadConfig } from '../src/config/app-config';
import { loadDotEnv } from '../src/config/env-file';
import { parseArgs } from './cli-args';

/**
 * `npm run db:backup -- --out backups/kakehashi.tar.gz`: a consistent copy of the embedded database (stop the
 * app first). With DATABASE_URL (a PostgreSQL server), a pg_dump custom-format file, taken online.
 */
async function main() {
  loadDotEnv();
  const args = parseArgs();
  const config = loadConfig();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const server = config.database.url;
  const out =
    typeof args.out === 'string'
      ? args.out
      : path.join('backups', `kakehashi-${stamp}.${server ? 'dump' : 'tar.gz'}`);
  if (server) {
    const result = await backupServer(server, out);
    process.stdout.write(
      `Backed up the PostgreSQL database to ${result.file} (${result.bytes} bytes; ` +
        `${result.migrations} migrations, ${result.companies} company profiles).\n`,
    );
    return;
  }
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
