import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backupEmbedded, restoreEmbedded } from '../../src/backup/embedded-backup';
import { type RunningApp, startApp } from '../../src/bootstrap/start-app';
import { thaiProfile } from '../fixtures/profiles';
import { adminAuth, testConfig } from '../support/test-app';

/** Backup and restore of the embedded database on disk: data made, backed up, restored elsewhere, there. */
describe('operations: embedded database backup and restore', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kakehashi-backup-'));
  const original = path.join(root, 'data');
  const restored = path.join(root, 'restored');
  const file = path.join(root, 'backups', 'kakehashi.tar.gz');
  let running: RunningApp | undefined;

  const boot = (dataDir: string) =>
    startApp(testConfig({ DATA_DIR: dataDir, LLM_AUTO_TRANSLATE_PROFILES: 'false' }), { seed: false });

  afterAll(async () => {
    await running?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('backs up a stopped database, refuses while another process holds it, and restores into a fresh folder', async () => {
    running = await boot(original);
    const created = await fetch(`${running.url}/api/companies`, {
      method: 'POST',
      headers: { ...adminAuth, 'content-type': 'application/json' },
      body: JSON.stringify(thaiProfile('backup:1')),
    });
    expect(created.status).toBe(201);
    await running.close();
    running = undefined;

    // Another live process holding the folder (the app) stops the backup with a clear message.
    const lock = path.join(original, 'kakehashi.lock');
    fs.writeFileSync(lock, String(process.ppid));
    await expect(backupEmbedded(original, file)).rejects.toThrow(/in use by process/);
    fs.unlinkSync(lock);

    const backup = await backupEmbedded(original, file);
    expect(backup.bytes).toBeGreaterThan(1000);
    expect(backup.companies).toBe(1);
    expect(fs.existsSync(`${file}.partial`)).toBe(false);

    const result = await restoreEmbedded(file, restored);
    expect(result).toMatchObject({ companies: 1, keptAside: undefined });
    expect(result.migrations).toBe(backup.migrations);
    // Over an existing database only with force, which keeps the old one aside.
    await expect(restoreEmbedded(file, restored)).rejects.toThrow(/--force/);
    const forced = await restoreEmbedded(file, restored, { force: true });
    expect(forced.keptAside).toMatch(/restored\.before-restore-/);
    expect(fs.existsSync(path.join(forced.keptAside!, 'PG_VERSION'))).toBe(true);

    // The restored database serves the data, index and vectors included.
    running = await boot(restored);
    const got = await fetch(`${running.url}/api/companies/backup:1`, { headers: adminAuth });
    expect(got.status).toBe(200);
    expect(((await got.json()) as { contact: { email: string } }).contact.email).toBe(
      'somchai@siam-brake.example',
    );
    const { rows } = await running.database.pool.query(
      `SELECT count(*)::int AS n FROM company_embeddings e JOIN companies c ON c.id = e.company_id
       WHERE c.external_id = 'backup:1'`,
    );
    expect(rows[0].n).toBe(1);
    const match = await fetch(`${running.url}/api/match`, {
      method: 'POST',
      headers: { ...adminAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'brake pads', seekerCountry: 'JP' }),
    });
    expect(((await match.json()) as { results: Array<{ externalId: string }> }).results[0]?.externalId).toBe(
      'backup:1',
    );
    // Two boots of an on-disk database, a backup and two restores: 9 s alone, 30 s beside four busy processes,
    // over 60 s once in the full suite with Chromium running.
  }, 180_000);
});
