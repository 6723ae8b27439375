import 'reflect-metadata';
import { type RunningApp, startApp } from '../../src/bootstrap/start-app';
import type { CompanyProfileInput } from '../../src/companies/company-profile.schema';
import { loadConfig } from '../../src/config/app-config';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { MatchService } from '../../src/matching/match.service';
import { japaneseProfile, thaiProfile } from '../fixtures/profiles';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../support/fake-openai-server';
import { openTestDatabase } from '../support/test-database';
import { TEST_ADMIN_TOKEN, adminAuth, startTestApp } from '../support/test-app';

type Json = Record<string, any>;

async function importProfiles(running: RunningApp, profiles: CompanyProfileInput[]) {
  const res = await fetch(`${running.url}/api/companies/import`, {
    method: 'POST',
    headers: { ...adminAuth, 'content-type': 'application/json' },
    body: JSON.stringify(profiles),
  });
  expect(res.status).toBe(200);
  await running.app.get(SearchIndexerService).waitUntilIdle();
}

async function match(running: RunningApp, body: Json, headers: Record<string, string> = adminAuth) {
  const res = await fetch(`${running.url}/api/match`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

describe('matching over the seed profiles', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp({}, { seed: true });
    await running.app.get(SearchIndexerService).waitUntilIdle();
  });
  afterAll(() => running.close());

  it('finds Thai auto-parts makers for a Japanese request, explained in Japanese', async () => {
    const { status, body } = await match(running, {
      text: 'タイで自動車部品を製造している会社を探しています',
    });
    expect(status).toBe(200);
    expect(body.query).toMatchObject({ lang: 'ja', targetCountry: 'TH' });
    expect(body.results.length).toBeGreaterThan(2);
    expect(body.results.every((r: Json) => r.country === 'TH')).toBe(true);
    const top = body.results[0];
    expect(top.matchedConcepts.length).toBeGreaterThan(0);
    expect(top.explanation).toMatch(/該当します/);
    expect(top.explanation).not.toMatch(/[\u0E00-\u0E7F]/); // no Thai in a Japanese explanation
    expect(JSON.stringify(body)).not.toMatch(/@[a-z0-9-]+\.example/); // no contact e-mail ever
  });

  it('finds Japanese partners for a Thai request, explained in Thai', async () => {
    const { body } = await match(running, { text: 'อยากหาผู้นำเข้าทุเรียนแช่แข็งในญี่ปุ่น' });
    expect(body.query).toMatchObject({ lang: 'th', targetCountry: 'JP' });
    expect(body.results.length).toBeGreaterThan(0);
    expect(body.results.every((r: Json) => r.country === 'JP')).toBe(true);
    expect(body.results[0].explanation).toMatch(/ตรงกับ/);
  });

  it('returns deterministic results: the same request gives the same order', async () => {
    const a = await match(running, { text: 'Thai food manufacturers', seekerCountry: 'JP', limit: 20 });
    const b = await match(running, { text: 'Thai food manufacturers', seekerCountry: 'JP', limit: 20 });
    expect(b.body.results.map((r: Json) => r.externalId)).toEqual(
      a.body.results.map((r: Json) => r.externalId),
    );
  });

  it('pages with offset and leaves out excluded companies', async () => {
    const first = await match(running, { text: 'タイの食品メーカー', limit: 3 });
    const second = await match(running, { text: 'タイの食品メーカー', limit: 3, offset: 3 });
    const ids1 = first.body.results.map((r: Json) => r.externalId);
    const ids2 = second.body.results.map((r: Json) => r.externalId);
    expect(ids1.filter((id: string) => ids2.includes(id))).toEqual([]);
    const excluded = await match(running, { text: 'タイの食品メーカー', limit: 3 });
    const without = await match(running, { text: 'タイの食品メーカー', limit: 3, exclude: [ids1[0]] });
    expect(without.body.results.map((r: Json) => r.externalId)).not.toContain(
      excluded.body.results[0].externalId,
    );
  });

  it('serves index progress to staff', async () => {
    const res = await fetch(`${running.url}/api/index/status`, { headers: adminAuth });
    const status = (await res.json()) as Json;
    expect(status.searchDocuments.pending).toBe(0);
    expect(status.embeddings).toMatchObject({ model: 'local-hash-v1-d256', pending: 0 });
    expect(status.embeddings.indexed).toBe(status.total);
    expect(status.lexicon.concepts).toBeGreaterThanOrEqual(400);
  });

  describe('/api/match errors', () => {
    it.each([
      ['an empty query', { text: '   ' }, 'text'],
      ['a query over 2,000 characters', { text: 'あ'.repeat(2001) }, 'text'],
      ['a query in no supported language', { text: '12345 !!! 😀' }, 'text'],
      ['an unknown field', { text: 'タイの会社', colour: 'red' }, '(root)'],
      [
        'an unknown industry filter',
        { text: 'タイの会社', filters: { industry: 'zzzz' } },
        'filters.industry',
      ],
      [
        'a bad partnership type',
        { text: 'タイの会社', filters: { partnershipType: 'friend' } },
        'filters.partnershipType',
      ],
    ])('answers 400 problem+json for %s', async (_name, body, path) => {
      const { status, body: problem } = await match(running, body);
      expect(status).toBe(400);
      expect(problem.errors.map((e: Json) => e.path)).toContain(path);
    });

    it('needs a token', async () => {
      const res = await match(running, { text: 'タイの会社' }, {});
      expect(res.status).toBe(401);
    });
  });
});

describe('retrieval arms and filters', () => {
  let running: RunningApp;
  // 120 Bangkok auto-parts firms crowd the nearest neighbours; one Chonburi firm is the only filter match.
  const crowd = Array.from({ length: 120 }, (_, i) =>
    thaiProfile(`crowd:${i}`, {
      names: { en: `Bangkok Brake Works ${i}` },
      summary: { en: 'Brake pads and brake discs for cars, made in Bangkok.' },
      location: { en: 'Bangkok', th: 'กรุงเทพมหานคร' },
      contact: undefined,
    }),
  );
  const lone = thaiProfile('lone:chonburi', {
    names: { en: 'Eastern Gear Co.' },
    summary: { en: 'Gears and shafts for automotive transmissions.' },
    offerings: { en: ['transmission gears'] },
    location: { en: 'Chonburi', th: 'ชลบุรี' },
    partnershipTypes: ['joint_venture'],
    contact: undefined,
  });

  beforeAll(async () => {
    running = await startTestApp();
    await importProfiles(running, [...crowd, lone, japaneseProfile('jp:mold')]);
  });
  afterAll(() => running.close());

  const ids = (body: Json) => body.results.map((r: Json) => r.externalId);

  it.each(['hybrid', 'dense', 'lexical', 'concept'])(
    'the %s arm keeps finding the only match when a filter rejects its nearest neighbours',
    async (system) => {
      const matcher = running.app.get(MatchService);
      const res = await matcher.findPartners({
        text: 'brake pads and automotive gears',
        seekerCountry: 'JP',
        system: system as 'hybrid',
        filters: { region: 'Chonburi' },
      });
      expect(res.results.map((r) => r.externalId)).toEqual(['lone:chonburi']);
    },
  );

  it('filters by partnership type and company size inside the arms', async () => {
    const { body } = await match(running, {
      text: 'automotive parts',
      seekerCountry: 'JP',
      filters: { partnershipType: 'joint_venture' },
    });
    expect(ids(body)).toEqual(['lone:chonburi']);
    const none = await match(running, {
      text: 'automotive parts',
      seekerCountry: 'JP',
      filters: { employeesMax: 10 },
    });
    expect(none.body.results).toEqual([]);
  });

  it('each arm contributes: keyword finds a word only one profile has, concepts bridge languages', async () => {
    const matcher = running.app.get(MatchService);
    const lexical = await matcher.findPartners({
      text: 'transmission',
      seekerCountry: 'JP',
      system: 'lexical',
    });
    expect(lexical.results.map((r) => r.externalId)).toEqual(['lone:chonburi']);
    const concept = await matcher.findPartners({
      text: '自動車部品',
      seekerCountry: 'JP',
      system: 'concept',
      limit: 50,
    });
    expect(concept.results).toHaveLength(50);
    expect(concept.hasMore).toBe(true);
    expect(concept.results.every((r) => r.matchedConcepts.length > 0)).toBe(true);
    const dense = await matcher.findPartners({
      text: 'Brake pads and brake discs for cars',
      seekerCountry: 'JP',
      system: 'dense',
    });
    expect(dense.results[0].externalId).toMatch(/^crowd:/);
    expect(dense.results[0].arms.dense).toBe(1);
  });

  it('searches both countries, each through its own indexes, when nothing says which side is wanted', async () => {
    const matcher = running.app.get(MatchService);
    // English, no seeker country, no country named: the target is open.
    const lexical = await matcher.findPartners({
      text: 'press dies or transmission gears',
      system: 'lexical',
    });
    expect(lexical.query.targetCountry).toBeUndefined();
    expect(lexical.results.map((r) => r.externalId).sort()).toEqual(['jp:mold', 'lone:chonburi']);
    // Each country's vector graph answers: the one Japanese profile, and the Thai crowd.
    const japanese = await matcher.findPartners({
      text: 'Precision press dies for automotive.',
      system: 'dense',
    });
    expect(japanese.results[0].externalId).toBe('jp:mold');
    const thai = await matcher.findPartners({
      text: 'Brake pads and brake discs for cars.',
      system: 'dense',
    });
    expect(thai.results[0].externalId).toMatch(/^crowd:/);
  });

  it('leaves archived and draft profiles out of every arm', async () => {
    await fetch(`${running.url}/api/companies/lone:chonburi`, { method: 'DELETE', headers: adminAuth });
    await running.app.get(SearchIndexerService).waitUntilIdle();
    const { body } = await match(running, {
      text: 'transmission gears',
      seekerCountry: 'JP',
      filters: { region: 'Chonburi' },
    });
    expect(body.results).toEqual([]);
  });
});

describe('embedding model change', () => {
  let fake: FakeOpenAiServer;
  beforeAll(async () => {
    fake = await startFakeOpenAiServer();
  });
  afterAll(() => fake.close());

  it('re-embeds every profile with the new model, reports progress, and never mixes models', async () => {
    const db = await openTestDatabase();
    const keepOpen = { ...db, close: async () => undefined };
    const env = {
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      ADMIN_API_TOKEN: TEST_ADMIN_TOKEN,
    };
    const first = await startApp(loadConfig(env), { database: keepOpen, seed: false });
    await importProfiles(first, [thaiProfile('m:1'), thaiProfile('m:2'), japaneseProfile('m:3')]);
    await first.close();

    const second = await startApp(
      loadConfig({
        ...env,
        EMBEDDINGS_PROVIDER: 'openai',
        EMBEDDINGS_BASE_URL: `${fake.url}/v1`,
        EMBEDDINGS_MODEL: 'bge-m3',
        EMBEDDINGS_DIMENSIONS: '8',
      }),
      { database: keepOpen, seed: false },
    );
    try {
      const indexer = second.app.get(SearchIndexerService);
      await indexer.waitUntilIdle();
      const status = (await (
        await fetch(`${second.url}/api/index/status`, { headers: adminAuth })
      ).json()) as Json;
      expect(status.embeddings).toMatchObject({
        model: 'openai:bge-m3:d8',
        indexed: 3,
        pending: 0,
        otherModels: 0,
      });
      expect(fake.embeddingRequests().length).toBeGreaterThan(0);
      const { rows } = await db.pool.query('SELECT DISTINCT model FROM company_embeddings');
      expect(rows).toEqual([{ model: 'openai:bge-m3:d8' }]);
      // Contacts never reach the embedding server.
      expect(JSON.stringify(fake.embeddingRequests().map((r) => r.body))).not.toContain('somchai');

      const res = await second.app
        .get(MatchService)
        .findPartners({ text: 'brake', seekerCountry: 'JP', system: 'dense' });
      expect(res.results.every((r) => r.country === 'TH')).toBe(true);
    } finally {
      await second.close();
      await db.close();
    }
  });
});
