import 'reflect-metadata';
import { Client } from 'pg';
import { type RunningApp, startApp } from '../../src/bootstrap/start-app';
import { type AppConfig, loadConfig } from '../../src/config/app-config';
import { openTestDatabase } from './test-database';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/** The app's configuration for tests (random loopback port, quiet logs, a known admin token), with `env` over it. */
export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    ADMIN_API_TOKEN: TEST_ADMIN_TOKEN,
    // The model's background reading of profiles and requests adds calls a fake LLM would have to answer: the
    // specs of those features turn them on.
    LLM_ENRICH_PROFILES: 'false',
    LLM_CLASSIFY_REQUESTS: 'false',
    // Every test visitor opens its session from loopback, and a suite opens more than one office would in a
    // minute: the security drill (test/resilience) runs with the product's own limit.
    WEB_CHAT_SESSION_BURST: '1000',
    ...env,
  });
}

/**
 * Boots the real app on a random loopback port with an in-memory embedded database, the way `npm start` does,
 * with test-friendly configuration that each test may override.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { seed?: boolean } = {},
): Promise<RunningApp> {
  const config = testConfig(env);
  const database = await openTestDatabase();
  const running = await startApp(config, { database, seed: options.seed ?? false });
  return { ...running, close: () => closeWatched(running, database.url) };
}

/**
 * running.close(), reporting what it waits on when it takes long: a stop that hangs otherwise shows only as a
 * hook timeout. Prints the process's open resources, the pool's clients and, on a server, what each database
 * connection is doing.
 */
async function closeWatched(running: RunningApp, url: string | undefined): Promise<void> {
  const started = Date.now();
  const timer = setTimeout(() => void reportSlowClose(running, url, started), 20_000);
  try {
    await running.close();
  } finally {
    clearTimeout(timer);
  }
}

async function reportSlowClose(running: RunningApp, url: string | undefined, started: number): Promise<void> {
  const pool = running.database.pool as { totalCount?: number; idleCount?: number; waitingCount?: number };
  const lines = [
    `app.close() still running after ${Date.now() - started} ms`,
    `open resources: ${process.getActiveResourcesInfo().join(', ')}`,
    `pool: total ${pool.totalCount}, idle ${pool.idleCount}, waiting ${pool.waitingCount}`,
  ];
  if (url) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      const { rows } = await client.query<Record<string, unknown>>(
        `SELECT pid, state, wait_event_type, wait_event, now() - query_start AS running_for, left(query, 200) AS query
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      lines.push(...rows.map((r) => `db: ${JSON.stringify(r)}`));
    } catch (err) {
      lines.push(`db: unreachable (${(err as Error).message})`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  process.stderr.write(`${lines.join('\n')}\n`);
}

export const adminAuth = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
