import { Pool } from 'pg';
import type { AppConfig } from '../config/app-config';
import { openEmbeddedDatabase } from './embedded-postgres';

export interface Database {
  pool: Pool;
  kind: 'embedded' | 'server';
  close(): Promise<void>;
}

/** A real server when DATABASE_URL is set, otherwise the embedded PGlite under DATA_DIR. */
export async function openDatabase(config: AppConfig['database']): Promise<Database> {
  if (config.url) {
    const pool = new Pool({
      connectionString: config.url,
      max: config.poolSize,
      // Sent as a startup parameter: one runaway query cannot hold a connection (and its locks) for ever. A
      // transaction-mode pooler must pass it through (PgBouncer: not in ignore_startup_parameters).
      ...(config.statementTimeoutMs > 0 ? { statement_timeout: config.statementTimeoutMs } : {}),
    });
    // An idle client losing its server must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
    // Nor may one that is checked out between two queries (inside a transaction): without a listener its
    // 'error' event would end the process; the query that uses it next fails instead.
    pool.on('connect', (client) => client.on('error', () => undefined));
    return { pool, kind: 'server', close: () => pool.end() };
  }
  const embedded = await openEmbeddedDatabase(config.dataDir);
  return { pool: embedded.pool, kind: 'embedded', close: () => embedded.close() };
}
