import 'reflect-metadata';
import type { RunningApp } from '../../src/bootstrap/start-app';
import { ProfileEnrichmentWorker } from '../../src/matching/enrichment/profile-enrichment.worker';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { thaiProfile } from '../fixtures/profiles';
import {
  type FakeOpenAiServer,
  type RecordedRequest,
  allMessageText,
  startFakeOpenAiServer,
} from '../support/fake-openai-server';
import { adminAuth, startTestApp } from '../support/test-app';

type Json = Record<string, any>;

const CANARY_EMAIL = 'enrich-canary@example.org';
const CANARY_PHONE = '+66 2 555 0199';
const CANARY_PERSON = 'Khun Canary';

/**
 * The model's part in matching, over a local OpenAI-compatible server that answers the product's real prompts
 * (the plumbing only: what a real model would classify is not what this tests): profiles read into kinds of
 * business and keywords in the background, never with their contacts; staff correcting the reading; a request
 * the rules cannot read classified by the model.
 */
describe('matching with the model: enrichment and request classification', () => {
  let fake: FakeOpenAiServer;
  let running: RunningApp;

  const isTask = (req: RecordedRequest, words: string) => allMessageText(req).includes(words);
  const api = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${running.url}${path}`, {
      ...init,
      headers: { ...adminAuth, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Json };
  };
  const settle = async () => {
    await running.app.get(ProfileEnrichmentWorker).drain();
    await running.app.get(SearchIndexerService).waitUntilIdle();
  };

  beforeAll(async () => {
    fake = await startFakeOpenAiServer();
    fake.onChat((req) => {
      if (isTask(req, 'You classify companies'))
        return {
          content: JSON.stringify({
            businesses: [
              { code: '2930', confidence: 0.9 },
              { code: '9999', confidence: 0.5 }, // not a code of the taxonomy: dropped
            ],
            keywords: { ja: ['自動車部品'], th: ['ชิ้นส่วนยานยนต์'], en: ['auto parts'] },
          }),
        };
      if (isTask(req, 'You read partner-search requests'))
        return { content: JSON.stringify({ businesses: [{ code: '5510', confidence: 0.8 }] }) };
      return { content: 'OK' };
    });
    running = await startTestApp({
      LLM_BASE_URL: `${fake.url}/v1`,
      LLM_MODEL: 'fake-model',
      LLM_AUTO_TRANSLATE_PROFILES: 'false',
      LLM_ENRICH_PROFILES: 'true',
      LLM_CLASSIFY_REQUESTS: 'true',
    });
    const res = await api('/api/companies/import', {
      method: 'POST',
      body: JSON.stringify([
        // Its own words name no kind of business the rules know; its contacts are canaries.
        thaiProfile('enrich:vague', {
          names: { th: 'บริษัท สยามคุณภาพ จำกัด', en: 'Siam Quality Co., Ltd.' },
          summary: { th: 'เรามุ่งมั่นสร้างคุณค่าให้ลูกค้าด้วยคุณภาพระดับสากล' },
          description: undefined,
          industries: [],
          offerings: undefined,
          seeking: undefined,
          partnershipTypes: [],
          certifications: [],
          contact: { person: CANARY_PERSON, email: CANARY_EMAIL, phone: CANARY_PHONE },
        }),
        thaiProfile('enrich:hotel', {
          names: { th: 'บริษัท ภูเก็ต เบย์ จำกัด', en: 'Phuket Bay Co., Ltd.' },
          summary: { th: 'ประกอบกิจการโรงแรม' },
          description: undefined,
          industries: [],
          offerings: undefined,
          seeking: undefined,
        }),
      ]),
    });
    expect(res.status).toBe(200);
    await settle();
  }, 120_000);
  afterAll(async () => {
    await running?.close();
    await fake?.close();
  });

  it('reads every profile with the model once, from its public text only', async () => {
    const asked = fake.chatRequests().filter((r) => isTask(r, 'You classify companies'));
    expect(asked).toHaveLength(2);
    const vague = asked.find((r) => allMessageText(r).includes('สยามคุณภาพ'))!;
    expect(allMessageText(vague)).toContain('เรามุ่งมั่นสร้างคุณค่า');
    for (const r of asked) {
      for (const secret of [CANARY_EMAIL, CANARY_PHONE, CANARY_PERSON])
        expect(r.rawBody).not.toContain(secret);
    }
    // Nothing new to read: a second pass asks nothing.
    await settle();
    expect(fake.chatRequests().filter((r) => isTask(r, 'You classify companies'))).toHaveLength(2);
  });

  it('keeps the reading apart, marked machine-made, with the codes the taxonomy holds', async () => {
    const { status, body } = await api('/api/companies/enrich:vague/enrichment');
    expect(status).toBe(200);
    expect(body.enrichment).toMatchObject({
      source: 'model',
      model: 'fake-model',
      keywords: { ja: ['自動車部品'], th: ['ชิ้นส่วนยานยนต์'], en: ['auto parts'] },
    });
    expect(body.enrichment.businesses).toEqual([
      {
        code: '2930',
        confidence: 0.9,
        labels: expect.objectContaining({ ja: expect.stringContaining('自動車部品') }),
      },
    ]);
    // The profile itself is unchanged.
    const profile = await api('/api/companies/enrich:vague');
    expect(JSON.stringify(profile.body)).not.toContain('ชิ้นส่วนยานยนต์');
  });

  it('matching finds a firm by the model’s reading, but never quotes it as the firm’s own words', async () => {
    const { body } = await api('/api/match', {
      method: 'POST',
      body: JSON.stringify({ text: 'タイで自動車部品を製造している会社を探しています', limit: 5 }),
    });
    const hit = (body.results as Json[]).find((r) => r.externalId === 'enrich:vague');
    expect(hit).toBeDefined();
    expect(hit!.matchedBusinesses).toEqual([]);
    expect(hit!.explanation).not.toMatch(/自動車部品/);
  });

  it('lets staff correct the reading (audited, re-indexed, kept), refuses unknown codes, and resets it', async () => {
    const bad = await api('/api/companies/enrich:vague/enrichment', {
      method: 'PUT',
      body: JSON.stringify({ businesses: [{ code: '99999' }], keywords: {} }),
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('businesses[0].code');

    const put = await api('/api/companies/enrich:vague/enrichment', {
      method: 'PUT',
      body: JSON.stringify({ businesses: [{ code: '55101' }], keywords: { en: ['resort'] } }),
    });
    expect(put.status).toBe(200);
    expect(put.body.enrichment).toMatchObject({ source: 'staff', businesses: [{ code: '55101' }] });
    await settle();
    const hotels = await api('/api/match', {
      method: 'POST',
      body: JSON.stringify({ text: 'タイのホテル', limit: 10 }),
    });
    expect((hotels.body.results as Json[]).map((r) => r.externalId)).toContain('enrich:vague');
    // The model does not overwrite staff's reading.
    expect(fake.chatRequests().filter((r) => isTask(r, 'You classify companies'))).toHaveLength(2);
    const history = await api('/api/companies/enrich:vague/history');
    expect(JSON.stringify(history.body)).toContain('enrichment-edit');

    expect((await api('/api/companies/enrich:vague/enrichment', { method: 'DELETE' })).status).toBe(204);
    await settle();
    expect(fake.chatRequests().filter((r) => isTask(r, 'You classify companies'))).toHaveLength(3);
    expect((await api('/api/companies/nobody/enrichment')).status).toBe(404);
  });

  it('asks the model for the kind of business of a request the rules cannot read', async () => {
    const { body } = await api('/api/match', {
      method: 'POST',
      body: JSON.stringify({ text: 'a Thai partner for our guests in Phuket', limit: 5 }),
    });
    expect(body.query.facets).toMatchObject({ businessesFrom: 'model', businesses: [{ code: '5510' }] });
    expect((body.results as Json[]).map((r) => r.externalId)).toContain('enrich:hotel');
    // The same request again is answered from the cache.
    const before = fake.chatRequests().filter((r) => isTask(r, 'You read partner-search requests')).length;
    await api('/api/match', {
      method: 'POST',
      body: JSON.stringify({ text: 'a Thai partner for our guests in Phuket', limit: 5 }),
    });
    expect(fake.chatRequests().filter((r) => isTask(r, 'You read partner-search requests'))).toHaveLength(
      before,
    );
  });
});
