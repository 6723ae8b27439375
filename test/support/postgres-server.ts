import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

/**
 * A throwaway PostgreSQL server for the specs that need what PGlite cannot give (LISTEN/NOTIFY across
 * connections: socket.io's PostgreSQL adapter). It uses the PostgreSQL installed on the machine (Debian:
 * `apt-get install postgresql`; binaries on PATH or under /usr/lib/postgresql/<version>/bin): initdb into a
 * temporary folder, one postmaster on 127.0.0.1 and a free port, trust authentication on loopback, fsync off.
 * Nothing listens beyond loopback and `stop()` removes everything.
 *
 * Without PostgreSQL, `startPostgresServer()` answers null and the spec skips that part with a message, unless
 * KAKEHASHI_REQUIRE_POSTGRES=1 (set by .ci/run), where a missing PostgreSQL fails.
 */
export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust auth, no password). */
  url: string;
  /** e.g. "PostgreSQL 15.13 (Debian 15.13-0+deb12u1)" */
  version: string;
  /** Stops the server (fast shutdown, then harder) and removes its folder. Idempotent. */
  stop(): Promise<void>;
}

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  dir: string;
}

/** PostgreSQL's initdb and postgres: next to a `pg_ctl`/`initdb` on PATH, else the newest /usr/lib/postgresql/<v>/bin. */
export function findPostgresBinaries(): PostgresBinaries | null {
  const candidates: string[] = [];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of ['pg_ctl', 'initdb']) {
      const file = path.join(dir, name);
      // Debian links them from /usr/lib/postgresql/<v>/bin; their siblings are there, not on PATH.
      if (isExecutable(file)) candidates.push(path.dirname(fs.realpathSync(file)));
    }
  }
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    const versions = fs
      .readdirSync(debian)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(debian, v, 'bin')));
  }
  for (const dir of candidates) {
    const initdb = path.join(dir, 'initdb');
    const postgres = path.join(dir, 'postgres');
    if (isExecutable(initdb) && isExecutable(postgres)) return { initdb, postgres, dir };
  }
  return null;
}

/**
 * True when PostgreSQL is installed. Otherwise prints why the caller skips, or throws under
 * KAKEHASHI_REQUIRE_POSTGRES=1.
 */
export function postgresAvailable(): boolean {
  if (findPostgresBinaries()) return true;
  const message =
    'PostgreSQL is not installed (no initdb/postgres on PATH or under /usr/lib/postgresql/*/bin): ' +
    'install it with `apt-get install postgresql` to test against a real server';
  if (process.env.KAKEHASHI_REQUIRE_POSTGRES === '1')
    throw new Error(`KAKEHASHI_REQUIRE_POSTGRES=1 but ${message}.`);
  console.warn(`SKIPPED (real PostgreSQL): ${message} (KAKEHASHI_REQUIRE_POSTGRES=1 makes this an error).`);
  return false;
}

/**
 * initdb + start a server; resolves once it accepts connections. Null when PostgreSQL is not installed (see
 * postgresAvailable); a server that is installed but does not start is an error.
 */
export async function startPostgresServer(): Promise<PostgresServer | null> {
  if (!postgresAvailable()) return null;
  const bin = findPostgresBinaries()!;
  // postgres refuses to run as root: as root, run it as the `postgres` user (Debian's package creates it).
  const runAs = process.getuid?.() === 0 ? systemUser('postgres') : undefined;
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'kakehashi-pg-'));
  const dataDir = path.join(base, 'data');
  if (runAs) fs.chownSync(base, runAs.uid, runAs.gid);
  const asUser = { cwd: base, ...(runAs ?? {}) };

  let child: ChildProcess | undefined;
  const removeDir = () => fs.rmSync(base, { recursive: true, force: true });
  const killNow = () => {
    if (child?.exitCode === null && child.pid) process.kill(child.pid, 'SIGQUIT');
    removeDir();
  };
  // If the test process ends without stop() (a crash, --forceExit), do not leave a server behind.
  process.once('exit', killNow);
  try {
    execFileSync(
      bin.initdb,
      ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      { ...asUser, stdio: 'pipe' },
    );
    let lastError: Error | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const log: string[] = [];
      child = spawn(
        bin.postgres,
        [
          '-D',
          dataDir,
          '-p',
          String(port),
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          `unix_socket_directories=${base}`,
          '-c',
          'fsync=off',
          '-c',
          'synchronous_commit=off',
          '-c',
          'full_page_writes=off',
        ],
        { ...asUser, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      // Keep the tail of the server's log for error messages (and drain the pipes so it never blocks).
      const keep = (chunk: Buffer) => {
        log.push(chunk.toString());
        if (log.length > 50) log.shift();
      };
      child.stdout!.on('data', keep);
      child.stderr!.on('data', keep);
      const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
      try {
        const version = await waitUntilReady(url, child, () => log.join(''));
        const running = child;
        let stopped: Promise<void> | undefined;
        return {
          url,
          version,
          stop: () =>
            (stopped ??= (async () => {
              await shutdown(running);
              process.off('exit', killNow);
              removeDir();
            })()),
        };
      } catch (err) {
        lastError = err as Error;
        await shutdown(child);
        // Another process took the port between freePort() and the bind: try another one.
        if (!/could not bind|Address already in use/i.test(log.join(''))) break;
      }
    }
    throw lastError ?? new Error('PostgreSQL did not start');
  } catch (err) {
    killNow();
    process.off('exit', killNow);
    const e = err as Error & { stderr?: Buffer };
    throw new Error(
      `PostgreSQL (${bin.dir}) could not be started: ${e.message}${e.stderr ? `\n${e.stderr.toString()}` : ''}`,
    );
  }
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function systemUser(name: string): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      `running as root, and there is no \`${name}\` user to run PostgreSQL as (postgres refuses root)`,
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, child: ChildProcess, log: () => string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}):\n${log()}`);
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const { rows } = await client.query<{ v: string }>(`SELECT version() AS v`);
      return rows[0].v.replace(/ on .*$/, '');
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`not accepting connections after 30 s (${String(err)}):\n${log()}`);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** Fast shutdown (SIGINT: disconnects clients, no waiting for them), then immediate, then SIGKILL. */
async function shutdown(child: ChildProcess): Promise<void> {
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  if (exited()) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Smart shutdown first: a pool that was just ended may still be closing its sockets, and a fast shutdown would
  // send those a FATAL 57P01 that their (already detached) clients raise as an unhandled error.
  for (const [signal, waitMs] of [
    ['SIGTERM', 2_000],
    ['SIGINT', 10_000],
    ['SIGQUIT', 5_000],
    ['SIGKILL', 5_000],
  ] as const) {
    if (exited()) break;
    child.kill(signal);
    await Promise.race([done, new Promise((r) => setTimeout(r, waitMs).unref())]);
  }
}
