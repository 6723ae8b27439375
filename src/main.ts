import 'reflect-metadata';
import { startApp } from './bootstrap/start-app';
import { ConfigError, loadConfig } from './config/app-config';
import { loadDotEnv } from './config/env-file';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const started = Date.now();
  const running = await startApp(config);
  process.stdout.write(
    JSON.stringify({
      time: new Date().toISOString(),
      level: 'info',
      msg: 'Kakehashi is listening',
      url: running.url,
      database: running.database.kind,
      startupMs: Date.now() - started,
    }) + '\n',
  );
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`Kakehashi failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
