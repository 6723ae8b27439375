import * as fs from 'node:fs';
import * as path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Pool } from 'pg';
import { prepareStatementsOn } from './statement-cache';

/**
 * The only place that knows about PGlite. It yields a plain `pg` Pool, so every repository, migration and
 * script runs the same SQL on the embedded database and on a real PostgreSQL server.
 *
 * PGlite is a single connection: its pool has exactly one client. Keep transactions short and never hold one
 * across a network call (LLM, LINE), or every other query waits.
 */
export interface EmbeddedDatabase {
  pool: Pool;
  close(): Promise<void>;
  /** Serves this database over the PostgreSQL wire protocol on loopback (tests, multi-instance demos). */
  serveOverWire(port?: number): Promise<{ url: string; stop(): Promise<void> }>;
  /** A consistent gzipped tarball of the whole data folder (backups: src/backup). */
  dumpDataDir(): Promise<Blob>;
}

export interface EmbeddedOptions {
  /** Start from this tarball (a `dumpDataDir()` backup) instead of an empty or existing folder. */
  loadDataDir?: Blob;
}

/** `dataDir` undefined = in memory (tests); otherwise persisted in that folder. */
export async function openEmbeddedDatabase(
  dataDir?: string,
  options: EmbeddedOptions = {},
): Promise<EmbeddedDatabase> {
  const releaseLock = dataDir ? lockDataDir(dataDir) : () => undefined;
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({ dataDir, extensions: { vector }, loadDataDir: options.loadDataDir });
  } catch (err) {
    releaseLock();
    throw err;
  }
  // Statements are prepared once (statement-cache.ts) but still planned for each call's values: after five
  // runs PostgreSQL may otherwise switch a prepared statement to a generic plan, blind to the values. Measured
  // here: the LINE inbox's claim query turned slow that way and a 2,000-event backlog took 362 s to drain
  // instead of 40 s (`npm run bench:webhook`).
  await pglite.exec('SET plan_cache_mode = force_custom_plan');
  const pool = new Pool(createPgConfig(pglite));
  // One session, whatever client the pool hands out: what was prepared stays prepared (statement-cache.ts).
  const prepared = new Map<string, string>();
  pool.on('connect', (client) => prepareStatementsOn(client, prepared));
  const servers: PGLiteSocketServer[] = [];
  let closed = false;
  return {
    pool,
    async serveOverWire(port = 0) {
      const server = new PGLiteSocketServer({
        db: oneStatementAtATime(pglite),
        host: '127.0.0.1',
        port,
        maxConnections: 64,
      });
      await server.start();
      servers.push(server);
      // getServerConn() answers "host:port"; port 0 means the OS picked one.
      const conn = server.getServerConn();
      return {
        url: `postgres://postgres:postgres@${conn}/postgres?sslmode=disable`,
        stop: () => server.stop(),
      };
    },
    // PGlite runs one statement at a time in this process, so the dump sees no half-applied write.
    dumpDataDir: () => pglite.dumpDataDir('gzip'),
    async close() {
      // Idempotent: a test or a shutdown path may close twice.
      if (closed) return;
      closed = true;
      for (const s of servers) await s.stop().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await pglite.close();
      releaseLock();
    },
  };
}

/**
 * Two processes writing one PGlite folder would corrupt it (it is not a server). A lock file with the owner's
 * pid stops a second process (e.g. `npm run seed` while the app runs) with a clear message instead.
 */
function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'kakehashi.lock');
  try {
    const owner = Number(fs.readFileSync(lockPath, 'utf8'));
    if (owner && owner !== process.pid && isAlive(owner)) {
      throw new Error(
        `The embedded database in ${dataDir} is in use by process ${owner}. Stop it first (PGlite allows one process), or use DATABASE_URL with a PostgreSQL server.`,
      );
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.writeFileSync(lockPath, String(process.pid));
  return () => {
    try {
      if (Number(fs.readFileSync(lockPath, 'utf8')) === process.pid) fs.unlinkSync(lockPath);
    } catch {
      // already gone
    }
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * pglite-socket runs every connection on PGlite's one backend and queues protocol messages one by one: with
 * several connections, one's Parse/Bind/Execute could land between another's, whose unnamed portal then "does
 * not exist". It already keeps one connection exclusive while a transaction is open; this view of the database
 * makes it keep a connection exclusive until its extended-protocol batch ends too (Sync, a simple Query, or
 * Terminate), so concurrent clients (several app instances in tests) never interleave inside a statement.
 */
function oneStatementAtATime(pglite: PGlite): PGlite {
  let batchOpen = false;
  const ENDS_BATCH = new Set([0x53 /* Sync */, 0x51 /* Query */, 0x58 /* Terminate */, 0x00 /* startup */]);
  return new Proxy(pglite, {
    get(target, prop) {
      if (prop === 'isInTransaction') return () => target.isInTransaction() || batchOpen;
      if (prop === 'execProtocolRawStream') {
        return async (message: Uint8Array, options: Parameters<PGlite['execProtocolRawStream']>[1]) => {
          batchOpen = !ENDS_BATCH.has(message[0]);
          return target.execProtocolRawStream(message, options);
        };
      }
      if (prop === 'exec') {
        // Only called to roll back a disconnected client's transaction: its batch is over too.
        return (query: string) => {
          batchOpen = false;
          return target.exec(query);
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
