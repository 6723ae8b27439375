import { restoreEmbedded } from '../src/backup/embedded-backup';
import { restoreServer } from '../src/backup/server-backup';
import { loadConfig } from '../src/config/app-config';
import { loadDotEnv } from '../src/config/env-file';
import { fail, parseArgs } from './cli-args';

/**
 * `npm run db:restore -- --in backups/kakehashi.tar.gz [--force]`: restores an embedded-database backup into
 * DATA_DIR (the app must be stopped). `--force` replaces an existing database, keeping it aside. With
 * DATABASE_URL, a pg_dump file (db:backup's) restored into that server database in one transaction.
 */
async function main() {
  loadDotEnv();
  const args = parseArgs();
  const config = loadConfig();
  if (typeof args.in !== 'string') fail('Usage: npm run db:restore -- --in <backup file> [--force]');
  if (config.database.url) {
    const result = await restoreServer(args.in, config.database.url, { force: args.force === true });
    process.stdout.write(
      `Restored ${result.file} into the PostgreSQL database (${result.migrations} migrations, ` +
        `${result.companies} company profiles). Start the app: pending migrations are applied at start.\n`,
    );
    return;
  }
  const result = await restoreEmbedded(args.in, config.database.dataDir, { force: args.force === true });
  process.stdout.write(
    `Restored ${result.file} into ${config.database.dataDir} (${result.migrations} migrations, ` +
      `${result.companies} company profiles).` +
      (result.keptAside ? ` The previous database is kept at ${result.keptAside}.` : '') +
      ' Start the app: pending migrations are applied at start.\n',
  );
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
