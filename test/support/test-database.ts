import { Pool } from 'pg';
import { openEmbeddedDatabase } from '../../src/database/embedded-postgres';
import { migrate } from '../../src/database/migrator';
import type { Database } from '../../src/database/open-database';
import { startPostgresServer } from './postgres-server';

type TestDatabaseMode = 'in-process' | 'wire' | 'server';

/**
 * A fresh, migrated database for one test file: in-process PGlite; (KAKEHASHI_TEST_DB=wire) the same PGlite
 * served over the PostgreSQL wire protocol and reached with a postgres:// URL; or (KAKEHASHI_TEST_DB=server, the
 * server tier) a throwaway PostgreSQL server with pgvector, reached through a pool of several connections as a
 * deployment's is.
 */
export async function openTestDatabase(): Promise<Database & { mode: TestDatabaseMode; url?: string }> {
  const mode = process.env.KAKEHASHI_TEST_DB;
  if (mode === 'wire' || mode === 'server') {
    const served = mode === 'server' ? await serveTestDatabaseOnServer() : await serveTestDatabaseOverWire();
    const pool = new Pool({ connectionString: served.url, max: mode === 'server' ? 8 : 4 });
    return {
      pool,
      kind: 'server',
      mode,
      url: served.url,
      async close() {
        await pool.end();
        await served.close();
      },
    };
  }
  const embedded = await openEmbeddedDatabase();
  await migrate(embedded.pool);
  return { pool: embedded.pool, kind: 'embedded', mode: 'in-process', close: () => embedded.close() };
}

/**
 * A fresh, migrated in-memory PGlite served over the PostgreSQL wire protocol: whoever connects to `url` (any
 * number of pools, in this process) sees one database, as clients of a real PostgreSQL server do. `close()` stops
 * serving and drops the database.
 */
export async function serveTestDatabaseOverWire(): Promise<{ url: string; close(): Promise<void> }> {
  const embedded = await openEmbeddedDatabase();
  try {
    const wire = await embedded.serveOverWire();
    await migrateAt(wire.url);
    return {
      url: wire.url,
      async close() {
        await wire.stop();
        await embedded.close();
      },
    };
  } catch (err) {
    await embedded.close();
    throw err;
  }
}

/**
 * A fresh, migrated database on a throwaway PostgreSQL server (Debian's, with pgvector built in: the server tier,
 * which jest.config.js runs only where serverTier() in jest.config.js finds both).
 */
export async function serveTestDatabaseOnServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = await startPostgresServer();
  if (!server) throw new Error('the server tier needs PostgreSQL: see serverTier() in jest.config.js');
  try {
    await migrateAt(server.url);
    return { url: server.url, close: () => server.stop() };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** The database several instances share: a real server in the server tier, else PGlite over the wire. */
export function serveSharedTestDatabase(): Promise<{ url: string; close(): Promise<void> }> {
  return process.env.KAKEHASHI_TEST_DB === 'server'
    ? serveTestDatabaseOnServer()
    : serveTestDatabaseOverWire();
}

/** Applies the migrations through a connection of its own, as a deployment's first instance does. */
async function migrateAt(url: string): Promise<void> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
}
