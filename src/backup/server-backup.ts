import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { type BackupResult, sanity } from './embedded-backup';

const run = promisify(execFile);

/**
 * Backs up a PostgreSQL server database with pg_dump (custom format: compressed, consistent online through one
 * MVCC snapshot, restorable selectively). The app may keep running. Written beside its destination and renamed,
 * so a failed dump never leaves half a file. `pg_dump` must be on PATH and of the server's major version or newer
 * (Debian: `apt-get install postgresql-client-15`).
 */
export async function backupServer(databaseUrl: string, outFile: string): Promise<BackupResult> {
  fs.mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
  const partial = `${outFile}.partial`;
  try {
    await run(
      'pg_dump',
      ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`, databaseUrl],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw new Error(`pg_dump failed: ${commandError(err)}`);
  }
  fs.renameSync(partial, outFile);
  return { file: outFile, bytes: fs.statSync(outFile).size, ...(await figuresOf(databaseUrl)) };
}

/**
 * Restores a pg_dump file into a server database, in one transaction (all of it or nothing). A database that
 * already holds Kakehashi's tables is refused unless `force`, which drops and recreates what the dump holds.
 * The role needs to be able to create the `vector` extension (or it must exist already): see docs/operations.md.
 */
export async function restoreServer(
  inFile: string,
  databaseUrl: string,
  options: { force?: boolean } = {},
): Promise<BackupResult> {
  if (!fs.existsSync(inFile)) throw new Error(`No backup file at ${inFile}.`);
  const before = await figuresOf(databaseUrl);
  if (before.migrations > 0 && !options.force)
    throw new Error(
      'The database already holds Kakehashi data. Add --force to replace it (stop the app first), or restore into ' +
        'a new database and point DATABASE_URL at it.',
    );
  const clean = before.migrations > 0 ? ['--clean', '--if-exists'] : [];
  try {
    await run(
      'pg_restore',
      [
        '--no-owner',
        '--no-privileges',
        '--single-transaction',
        '--exit-on-error',
        ...clean,
        `--dbname=${databaseUrl}`,
        inFile,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (err) {
    throw new Error(`pg_restore failed (nothing was changed): ${commandError(err)}`);
  }
  return { file: inFile, bytes: fs.statSync(inFile).size, ...(await figuresOf(databaseUrl)) };
}

async function figuresOf(databaseUrl: string): Promise<{ migrations: number; companies: number }> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    return await sanity(pool);
  } finally {
    await pool.end();
  }
}

/** What a failed pg_dump/pg_restore said, without the URL (it may hold a password). */
function commandError(err: unknown): string {
  const e = err as { code?: string; stderr?: string; message?: string };
  if (e.code === 'ENOENT') return 'the command is not installed (Debian: apt-get install postgresql-client)';
  return (e.stderr || e.message || String(err))
    .replace(/postgres(?:ql)?:\/\/[^\s'"]+/g, '<DATABASE_URL>')
    .trim();
}
