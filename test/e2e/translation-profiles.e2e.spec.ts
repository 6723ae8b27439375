import type { RunningApp } from '../../src/bootstrap/start-app';
import { startApp } from '../../src/bootstrap/start-app';
import { loadConfig } from '../../src/config/app-config';
import { type FakeOpenAiServer, fakeTranslation, startFakeOpenAiServer } from '../support/fake-openai-server';
import { TEST_ADMIN_TOKEN, adminAuth, startTestApp } from '../support/test-app';
import { openTestDatabase } from '../support/test-database';

const profile = (externalId: string) => ({
  externalId,
  country: 'JP',
  status: 'published',
  names: { ja: '株式会社サクラ精工' },
  summary: { ja: '自動車部品の精密加工を行っています。従業員120名。' },
  offerings: { ja: ['精密加工', '金型製作'] },
  location: { ja: '愛知県豊田市' },
  partnershipTypes: ['oem'],
  contact: { person: '山田太郎', email: 'yamada@sakura.example', phone: '+81 565 00 0000' },
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Profile auto-translation: a saved profile missing languages gets them filled in the background. */
describe('profile auto-translation', () => {
  let fake: FakeOpenAiServer;
  let running: RunningApp;
  const get = async (id: string) => {
    const res = await fetch(`${running.url}/api/companies/${id}`, { headers: adminAuth });
    const body: any = await res.json();
    return body;
  };

  beforeAll(async () => {
    fake = await startFakeOpenAiServer();
    fake.onChat(fakeTranslation);
    running = await startTestApp({ LLM_BASE_URL: fake.url + '/v1', LLM_MODEL: 'fake-model' });
  });
  afterAll(async () => {
    await running.close();
    await fake.close();
  });

  it('fills every missing language, marks it machine-translated, bumps the version and audits it', async () => {
    const res = await fetch(`${running.url}/api/companies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...adminAuth },
      body: JSON.stringify(profile('auto:1')),
    });
    expect(res.status).toBe(201);
    const done = await until('auto-translation', async () => {
      const p = await get('auto:1');
      return p.machineTranslated.length === 8 ? p : undefined;
    });
    expect(done.machineTranslated).toEqual([
      'location.en',
      'location.th',
      'names.en',
      'names.th',
      'offerings.en',
      'offerings.th',
      'summary.en',
      'summary.th',
    ]);
    expect(done.names).toEqual({ ja: '株式会社サクラ精工', en: 'translated text', th: 'ข้อความแปลภาษาไทย' });
    expect(done.summary.en).toBe('translated text 120');
    expect(done.offerings.th).toEqual(['ข้อความแปลภาษาไทย 1', 'ข้อความแปลภาษาไทย 2']);
    expect(done.version).toBe(2);
    // Human text is untouched; contacts are untouched.
    expect(done.summary.ja).toBe('自動車部品の精密加工を行っています。従業員120名。');
    expect(done.contact).toEqual(profile('x').contact);

    const history = (await (
      await fetch(`${running.url}/api/companies/auto:1/history`, { headers: adminAuth })
    ).json()) as {
      items: Array<{ action: string; actor: string; changedFields: string[] }>;
    };
    expect(history.items[0]).toMatchObject({
      action: 'auto-translate',
      actor: 'system:auto-translate',
      changedFields: ['names', 'summary', 'offerings', 'location'],
    });
    const pending = (await (
      await fetch(`${running.url}/api/companies?pendingReview=true`, { headers: adminAuth })
    ).json()) as {
      items: Array<{ externalId: string }>;
    };
    expect(pending.items.map((i) => i.externalId)).toContain('auto:1');

    // Lists go in one call each, names as names; Thai goes to the model for Thai output.
    const tasks = fake.chatRequests().map((r) => r.headers['x-kakehashi-task']);
    expect(tasks.filter((t) => t === 'translate-list')).toHaveLength(2);
    const { rows } = await running.database.pool.query<{ status: string; filled: string[] }>(
      'SELECT status, filled FROM profile_translation_jobs',
    );
    expect(rows).toEqual([{ status: 'done', filled: expect.arrayContaining(['names.en', 'offerings.th']) }]);
  });

  it('a staff edit of a machine-translated field makes it human text; nothing is re-translated', async () => {
    const before = fake.chatRequests().length;
    const res = await fetch(`${running.url}/api/companies/auto:1`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json', ...adminAuth },
      body: JSON.stringify({ names: { en: 'Sakura Seiko Co., Ltd.' } }),
    });
    expect(res.status).toBe(200);
    const p = await get('auto:1');
    expect(p.machineTranslated).not.toContain('names.en');
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.chatRequests().length).toBe(before);
  });
});

describe('profile auto-translation resumes after a restart', () => {
  it('a job interrupted by shutdown, or left running by a crashed worker, is done by the next start', async () => {
    const fake = await startFakeOpenAiServer();
    const database = await openTestDatabase();
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      ADMIN_API_TOKEN: TEST_ADMIN_TOKEN,
      LLM_BASE_URL: fake.url + '/v1',
      LLM_MODEL: 'fake-model',
      LLM_MAX_RETRIES: '0',
    });
    try {
      // First run: the model hangs, so the job is still running when the app stops.
      fake.onChat(() => ({ delayMs: 20_000 }));
      // Both app instances share one database; closing an app must not close it (the test does, at the end).
      const shared = { ...database, close: async () => undefined };
      const first = await startApp(config, { database: shared, seed: false });
      await fetch(`${first.url}/api/companies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...adminAuth },
        body: JSON.stringify(profile('resume:1')),
      });
      await until('the job to start', async () => (fake.chatRequests().length > 0 ? true : undefined));
      await first.app.close();
      const { rows } = await database.pool.query<{ status: string }>(
        'SELECT status FROM profile_translation_jobs',
      );
      expect(rows).toEqual([{ status: 'pending' }]);

      // A crashed worker leaves 'running' with a lock that expires.
      await database.pool.query(
        `UPDATE profile_translation_jobs SET status = 'running', locked_until = now() - interval '1 second'`,
      );

      fake.reset();
      fake.onChat(fakeTranslation);
      const second = await startApp(config, { database: shared, seed: false });
      try {
        await until('the job to finish', async () => {
          const r = await database.pool.query<{ status: string }>(
            'SELECT status FROM profile_translation_jobs',
          );
          return r.rows[0]?.status === 'done' ? true : undefined;
        });
        const p = (await (
          await fetch(`${second.url}/api/companies/resume:1`, { headers: adminAuth })
        ).json()) as {
          machineTranslated: string[];
        };
        expect(p.machineTranslated).toHaveLength(8);
      } finally {
        await second.app.close();
      }
    } finally {
      await database.close();
      await fake.close();
    }
  });
});

describe('profile auto-translation with provider none', () => {
  it('does nothing: no jobs, no marks', async () => {
    const running = await startTestApp();
    try {
      await fetch(`${running.url}/api/companies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...adminAuth },
        body: JSON.stringify(profile('none:1')),
      });
      await new Promise((r) => setTimeout(r, 500));
      const { rows } = await running.database.pool.query('SELECT * FROM profile_translation_jobs');
      expect(rows).toEqual([]);
      const p = (await (
        await fetch(`${running.url}/api/companies/none:1`, { headers: adminAuth })
      ).json()) as {
        machineTranslated: string[];
      };
      expect(p.machineTranslated).toEqual([]);
    } finally {
      await running.close();
    }
  });
});
