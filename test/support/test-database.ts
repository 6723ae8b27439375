import { Pool } from 'pg';
import { openEmbeddedDatabase } from '../../src/database/embedded-postgres';
import { migrate } from '../../src/database/migrator';
import type { Database } from '../../src/database/open-database';

/**
 * A fresh, migrated database for one test file: in-process PGlite, or (KAKEHASHI_TEST_DB=wire) the same PGlite
 * served over the PostgreSQL wire protocol and reached with a postgres:// URL, as a real server would be.
 */
export async function openTestDatabase(): Promise<Database & { mode: 'in-process' | 'wire'; url?: string }> {
  if (process.env.KAKEHASHI_TEST_DB === 'wire') {
    const wire = await serveTestDatabaseOverWire();
    const pool = new Pool({ connectionString: wire.url, max: 4 });
    return {
      pool,
      kind: 'server',
      mode: 'wire',
      url: wire.url,
      async close() {
        await pool.end();
        await wire.close();
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
    const pool = new Pool({ connectionString: wire.url, max: 1 });
    try {
      await migrate(pool);
    } finally {
      await pool.end();
    }
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
