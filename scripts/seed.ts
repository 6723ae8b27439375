import 'reflect-metadata';
import { startApp } from '../src/bootstrap/start-app';
import { loadConfig } from '../src/config/app-config';
import { loadDotEnv } from '../src/config/env-file';
import { SeedService } from '../src/seeding/seed.service';

/** `npm run seed`: (re)loads the fictional seed profiles through the normal import path. */
async function main() {
  loadDotEnv();
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  const running = await startApp(config, { seed: false, listen: false });
  try {
    const report = await running.app.get(SeedService).seed();
    process.stdout.write(
      `Seed profiles: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected.length} rejected.\n`,
    );
    if (report.rejected.length > 0) process.stdout.write(JSON.stringify(report.rejected, null, 2) + '\n');
  } finally {
    await running.close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
