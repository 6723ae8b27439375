import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { type RunningApp, startApp } from '../../src/bootstrap/start-app';
import { thaiProfile } from '../fixtures/profiles';
import { type PostgresServer, startPostgresServer } from '../support/postgres-server';
import { adminAuth, testConfig } from '../support/test-app';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');

/**
 * `npm run db:backup` / `db:restore` against a PostgreSQL server, as an operator runs them (the built scripts,
 * DATABASE_URL in the environment): data made through the API, dumped while the app runs, restored into a new
 * database, served from there with its vectors and index; a second restore over it refused without --force.
 */
describe('operations: server database backup and restore', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kakehashi-server-backup-'));
  const file = path.join(dir, 'kakehashi.dump');
  let server: PostgresServer;
  let running: RunningApp | undefined;

  const script = (name: string, args: string[], databaseUrl: string) =>
    run(process.execPath, [path.join(root, 'dist/scripts', `${name}.js`), ...args], {
      cwd: dir,
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' },
    });
  const boot = (databaseUrl: string) =>
    startApp(testConfig({ DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '8' }), { seed: false });

  beforeAll(async () => {
    server = (await startPostgresServer())!;
  });
  afterAll(async () => {
    await running?.close();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('dumps a running database and restores it into a new one that serves the same data', async () => {
    running = await boot(server.url);
    const created = await fetch(`${running.url}/api/companies`, {
      method: 'POST',
      headers: { ...adminAuth, 'content-type': 'application/json' },
      body: JSON.stringify(thaiProfile('server-backup:1')),
    });
    expect(created.status).toBe(201);

    // Online: the app keeps running while pg_dump reads one snapshot.
    const backup = await script('db-backup', ['--out', file], server.url);
    expect(backup.stdout).toMatch(
      /Backed up the PostgreSQL database to .*kakehashi\.dump \(\d+ bytes; \d+ migrations, 1 company profiles\)/,
    );
    expect(fs.existsSync(`${file}.partial`)).toBe(false);
    await running.close();
    running = undefined;

    const admin = new Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('CREATE DATABASE restored');
    await admin.end();
    const restoredUrl = server.url.replace(/\/postgres$/, '/restored');
    const restored = await script('db-restore', ['--in', file], restoredUrl);
    expect(restored.stdout).toMatch(
      /Restored .* into the PostgreSQL database \(\d+ migrations, 1 company profiles\)/,
    );

    // Over a database that holds data, only with --force.
    const again = await script('db-restore', ['--in', file], restoredUrl).catch(
      (err: { code: number; stderr: string }) => err,
    );
    expect((again as { code: number }).code).toBe(1);
    expect((again as { stderr: string }).stderr).toMatch(/--force/);
    const forced = await script('db-restore', ['--in', file, '--force'], restoredUrl);
    expect(forced.stdout).toMatch(/1 company profiles/);

    running = await boot(restoredUrl);
    const got = await fetch(`${running.url}/api/companies/server-backup:1`, { headers: adminAuth });
    expect(got.status).toBe(200);
    expect(((await got.json()) as { contact: { email: string } }).contact.email).toBe(
      'somchai@siam-brake.example',
    );
    const match = await fetch(`${running.url}/api/match`, {
      method: 'POST',
      headers: { ...adminAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'brake pads', seekerCountry: 'JP' }),
    });
    expect(((await match.json()) as { results: Array<{ externalId: string }> }).results[0]?.externalId).toBe(
      'server-backup:1',
    );
  }, 180_000);
});
