import * as fs from 'node:fs';
import * as path from 'node:path';
import { openEmbeddedDatabase } from '../database/embedded-postgres';

export interface BackupResult {
  file: string;
  bytes: number;
  /** Applied migrations and company profiles in the backup: a quick sanity figure for the operator. */
  migrations: number;
  companies: number;
}

/**
 * Backs up the embedded database: a consistent gzipped tarball of the PGlite data folder (`dumpDataDir`).
 * PGlite is one process's database, so the folder must not be open elsewhere: the data-dir lock stops this
 * with a clear message while the app runs (stop it, or use PostgreSQL and pg_dump for online backups).
 * The file is written beside its destination and renamed, so a failed backup never leaves half a file.
 */
export async function backupEmbedded(dataDir: string, outFile: string): Promise<BackupResult> {
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION')))
    throw new Error(`No embedded database in ${dataDir} (DATA_DIR).`);
  const db = await openEmbeddedDatabase(dataDir);
  try {
    const figures = await sanity(db.pool);
    const blob = await db.dumpDataDir();
    const bytes = Buffer.from(await blob.arrayBuffer());
    fs.mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
    const partial = `${outFile}.partial`;
    fs.writeFileSync(partial, bytes);
    fs.renameSync(partial, outFile);
    return { file: outFile, bytes: bytes.length, ...figures };
  } finally {
    await db.close();
  }
}

/**
 * Restores a backup into `dataDir`. The app must be stopped (the data-dir lock is checked). An existing database
 * there is kept aside as `<dataDir>.before-restore-<time>` (only with `force`; without it, restoring over data is
 * refused), so a wrong restore can be undone by hand.
 */
export async function restoreEmbedded(
  inFile: string,
  dataDir: string,
  options: { force?: boolean } = {},
): Promise<BackupResult & { keptAside?: string }> {
  const bytes = fs.readFileSync(inFile);
  let keptAside: string | undefined;
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    if (!options.force)
      throw new Error(`${dataDir} already holds a database. Add --force to replace it (it is kept aside).`);
    // Opening takes the lock: a running app makes this fail before anything is moved.
    const running = await openEmbeddedDatabase(dataDir);
    await running.close();
    keptAside = `${dataDir.replace(/\/+$/, '')}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(dataDir, keptAside);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const db = await openEmbeddedDatabase(dataDir, { loadDataDir: new Blob([bytes]) });
  try {
    return { file: inFile, bytes: bytes.length, ...(await sanity(db.pool)), keptAside };
  } finally {
    await db.close();
  }
}

/** Applied migrations and company profiles of a database: the operator's sanity figures after a backup or restore. */
export async function sanity(pool: {
  query: <R>(sql: string) => Promise<{ rows: R[] }>;
}): Promise<{ migrations: number; companies: number }> {
  const count = async (table: string) => {
    const { rows } = await pool.query<{ n: number; t: string | null }>(
      `SELECT to_regclass('${table}')::text AS t`,
    );
    if (!rows[0]?.t) return 0;
    const r = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    return r.rows[0].n;
  };
  return { migrations: await count('schema_migrations'), companies: await count('companies') };
}
