import * as fs from 'node:fs';
import type { RunningApp } from '../../src/bootstrap/start-app';
import { hasShared, sharedPath } from '../support/shared-data';
import { adminAuth, startTestApp } from '../support/test-app';

/** The 4,486 real listed companies of the matching benchmark import with no rejected row. */
const describeIfData = hasShared('eval', 'dev.json') ? describe : describe.skip;

describeIfData('import of the real listed-company profiles (shared/eval/dev.json)', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(() => running.close());

  it('imports every profile with no rejected row', async () => {
    const dataset = JSON.parse(fs.readFileSync(sharedPath('eval', 'dev.json'), 'utf8')) as {
      profiles: unknown[];
    };
    const res = await fetch(`${running.url}/api/companies/import`, {
      method: 'POST',
      headers: { ...adminAuth, 'content-type': 'application/json' },
      body: JSON.stringify(dataset.profiles),
    });
    const report = (await res.json()) as { created: number; rejected: unknown[] };
    expect(res.status).toBe(200);
    expect(report.rejected).toEqual([]);
    expect(report.created).toBe(dataset.profiles.length);
    const list = (await (
      await fetch(`${running.url}/api/companies?country=TH&pageSize=1`, { headers: adminAuth })
    ).json()) as { total: number };
    expect(list.total).toBe(700);
  });
});
