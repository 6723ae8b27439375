import { Pool } from 'pg';
import { openEmbeddedDatabase } from '../../src/database/embedded-postgres';
import { migrate } from '../../src/database/migrator';
import type { Database } from '../../src/database/open-database';

/**
 * A fresh, migrated database for one test file: in-process PGlite, or (KAKEHASHI_TEST_DB=wire) the same PGlite
 * served over the PostgreSQL wire protocol and reached with a postgres:// URL, as a real server would be.
 */
export async function openTestDatabase(): Promise<Database & { mode: 'in-process' | 'wire'; url?: string }> {
  const embedded = await openEmbeddedDatabase();
  if (process.env.KAKEHASHI_TEST_DB === 'wire') {
    const wire = await embedded.serveOverWire();
    const pool = new Pool({ connectionString: wire.url, max: 4 });
    await migrate(pool);
    return {
      pool,
      kind: 'server',
      mode: 'wire',
      url: wire.url,
      async close() {
        await pool.end();
        await wire.stop();
        await embedded.close();
      },
    };
  }
  await migrate(embedded.pool);
  return { pool: embedded.pool, kind: 'embedded', mode: 'in-process', close: () => embedded.close() };
}
