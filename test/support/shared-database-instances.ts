import { type RunningApp, startApp } from '../../src/bootstrap/start-app';
import { testConfig } from './test-app';
import { serveSharedTestDatabase } from './test-database';

/**
 * Several app instances on one database, the way production instances share one PostgreSQL server: a fresh PGlite
 * served over the wire protocol (a real PostgreSQL server in the server tier), and every instance given its URL
 * as DATABASE_URL, so that each opens its own pg
 * Pool to it as in production. For the specs of what must hold across instances (work queues, shared limits, web
 * chat between instances).
 */
export interface SharedDatabaseInstances {
  /** The running instances, in the order they started. */
  apps: RunningApp[];
  /** The shared database's postgres:// URL. */
  databaseUrl: string;
  /** Closes every instance, then the database. */
  close(): Promise<void>;
}

/**
 * Starts `count` instances on a fresh shared database, with `env` over the test configuration. With `seedFirst`,
 * the first instance loads the seed profiles (as the first start of a new deployment does), the others do not.
 */
export async function startInstances(
  count: number,
  env: Record<string, string> = {},
  options: { seedFirst?: boolean } = {},
): Promise<SharedDatabaseInstances> {
  const database = await serveSharedTestDatabase();
  const apps: RunningApp[] = [];
  const close = async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    await database.close();
  };
  try {
    // One after the other: PGlite's advisory lock does not exclude two wire connections (one backend); on a
    // server the first instance migrates and the others find the schema current.
    for (let i = 0; i < count; i++) {
      const config = testConfig({ DATABASE_URL: database.url, DATABASE_POOL_SIZE: '4', ...env });
      apps.push(await startApp(config, { seed: i === 0 && options.seedFirst === true }));
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { apps, databaseUrl: database.url, close };
}
