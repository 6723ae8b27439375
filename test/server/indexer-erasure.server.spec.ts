import type { RunningApp } from '../../src/bootstrap/start-app';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { thaiProfile } from '../fixtures/profiles';
import { adminAuth, startTestApp } from '../support/test-app';

/**
 * A profile erased while the indexer is writing its batch. On a server the erasure runs on another connection: the
 * indexer read the profile before the erasure committed, and its write met the erasure half-way. The whole batch
 * failed on the foreign key ("indexing pass failed; will retry", seen in CI), so the other profiles of the batch
 * waited for the next pass. Now the erased one is left out and the rest are indexed.
 */
describe('search indexer and an erasure in progress (server)', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(() => running.close());

  it('indexes the batch without the profile being erased, and fails nothing', async () => {
    const indexer = running.app.get(SearchIndexerService);
    await indexer.waitUntilIdle();
    for (const id of ['erasing:1', 'erasing:2', 'erasing:3']) {
      const res = await fetch(`${running.url}/api/companies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...adminAuth },
        body: JSON.stringify(thaiProfile(id)),
      });
      expect(res.status).toBe(201);
    }
    await indexer.waitUntilIdle();
    const pool = running.database.pool;
    // Every profile stale again (a new version), then one erased on a connection of its own, not yet committed.
    await pool.query(`UPDATE companies SET version = version + 1 WHERE external_id LIKE 'erasing:%'`);
    const eraser = await pool.connect();
    try {
      await eraser.query('BEGIN');
      await eraser.query(`DELETE FROM companies WHERE external_id = 'erasing:2'`);
      const pass = indexer.drain();
      // The indexer reads all three (the erasure is not visible yet) and waits on the erased row to write.
      await new Promise((r) => setTimeout(r, 500));
      await eraser.query('COMMIT');
      await pass; // threw the foreign-key error before
    } finally {
      eraser.release();
    }
    const { rows } = await pool.query<{ external_id: string; current: boolean }>(
      `SELECT c.external_id, s.indexed_version = c.version AS current
       FROM companies c JOIN company_search s ON s.company_id = c.id
       WHERE c.external_id LIKE 'erasing:%' ORDER BY 1`,
    );
    expect(rows).toEqual([
      { external_id: 'erasing:1', current: true },
      { external_id: 'erasing:3', current: true },
    ]);
  });
});
