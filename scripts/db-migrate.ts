import { loadConfig } from '../src/config/app-config';
import { loadDotEnv } from '../src/config/env-file';
import { migrate } from '../src/database/migrator';
import { openDatabase } from '../src/database/open-database';

/** `npm run db:migrate`: applies pending migrations and exits (the app also does this at start). */
async function main() {
  loadDotEnv();
  const config = loadConfig();
  const db = await openDatabase(config.database);
  try {
    const result = await migrate(db.pool);
    process.stdout.write(
      result.applied.length > 0
        ? `Applied ${result.applied.length} migration(s): ${result.applied.join(', ')}\n`
        : `Database is up to date (${result.alreadyApplied} migrations applied earlier).\n`,
    );
  } finally {
    await db.close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
