import 'reflect-metadata';
import type { RunningApp } from '../../src/bootstrap/start-app';
import type { CompanyProfileInput } from '../../src/companies/company-profile.schema';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { thaiProfile } from '../fixtures/profiles';
import { adminAuth, startTestApp } from '../support/test-app';

type Json = Record<string, any>;

async function match(running: RunningApp, body: Json): Promise<Json> {
  const res = await fetch(`${running.url}/api/match`, {
    method: 'POST',
    headers: { ...adminAuth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

async function importProfiles(running: RunningApp, profiles: CompanyProfileInput[]) {
  const res = await fetch(`${running.url}/api/companies/import`, {
    method: 'POST',
    headers: { ...adminAuth, 'content-type': 'application/json' },
    body: JSON.stringify(profiles),
  });
  expect(res.status).toBe(200);
  await running.app.get(SearchIndexerService).waitUntilIdle();
}

const ids = (body: Json, n = 5) => (body.results as Json[]).slice(0, n).map((r) => r.externalId as string);

/**
 * The seed profiles, asked the requests that went wrong when matching read only the partnership wish or the
 * country words: a request names a kind of business first, and only firms of that business lead the answer.
 */
describe('matching by kind of business, over the seed profiles', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp({}, { seed: true });
    await running.app.get(SearchIndexerService).waitUntilIdle();
  });
  afterAll(() => running.close());

  // The Thai seed firms that make parts for vehicles (read from their profiles by hand): stamped parts, brake
  // parts, forged shafts, wire harnesses, injection-moulded car interior parts.
  const THAI_AUTO_PARTS_MAKERS = ['seed:th-001', 'seed:th-002', 'seed:th-003', 'seed:th-011', 'seed:th-031'];

  it('a partnership wish does not lift an OEM furniture, sauce or cosmetics maker above auto-parts makers', async () => {
    const body = await match(running, {
      text: 'Looking for Thai auto parts manufacturers for OEM production',
    });
    expect(body.query.targetCountry).toBe('TH');
    expect(body.query.facets.businesses.map((b: Json) => b.code)).toContain('2930');
    expect(body.query.facets.how.map((h: Json) => h.id)).toContain('capability.oem_manufacturing');
    expect(ids(body).every((id) => THAI_AUTO_PARTS_MAKERS.includes(id))).toBe(true);
    // Among makers of the same standing, those that do OEM come first.
    const tier = (r: Json) => Math.round((r.score as number) / 0.05);
    const top = (body.results as Json[]).slice(0, 5);
    for (let i = 1; i < top.length; i++)
      if (tier(top[i]) === tier(top[i - 1]) && top[i].facets.how) expect(top[i - 1].facets.how).toBe(true);
    expect(top.some((r) => r.facets.how)).toBe(true);
  });

  it('a Japanese request for auto-parts makers finds only auto-parts makers in its top five', async () => {
    const body = await match(running, { text: 'タイで自動車部品を製造している中小企業を探しています' });
    expect(ids(body).every((id) => THAI_AUTO_PARTS_MAKERS.includes(id))).toBe(true);
    for (const r of (body.results as Json[]).slice(0, 5)) {
      expect(r.explanation).toMatch(/^事業：/);
      expect(r.explanation).not.toMatch(/[\u0E00-\u0E7F]/);
    }
  });

  it('"Thai distributor for Japanese cosmetics" answers with Thai firms, the nearest trade first', async () => {
    const body = await match(running, { text: 'Thai distributor for Japanese cosmetics' });
    expect(body.query.targetCountry).toBe('TH');
    expect(body.query.facets.businesses.map((b: Json) => b.code)).toEqual(['46443']);
    expect((body.results as Json[]).slice(0, 5).every((r) => r.country === 'TH')).toBe(true);
    // No Thai seed firm wholesales cosmetics; the distributor of medicines and medical devices is in the same
    // class of trade (pharmaceutical, medical and cosmetic goods), ahead of distributors of anything else.
    expect(ids(body, 1)).toEqual(['seed:th-030']);
  });

  it('explains a match only with what the profile itself says, in the reader’s language', async () => {
    const body = await match(running, { text: 'タイの物流会社', limit: 10 });
    for (const r of body.results as Json[]) {
      // A logistics firm is never explained as automotive (the seed logistics firms carry auto parts).
      expect(r.explanation).not.toMatch(/自動車部品に該当/);
      for (const b of r.matchedBusinesses as Json[]) expect(b.label).not.toMatch(/[\u0E00-\u0E7F]/);
    }
  });
});

/** A province named in a request narrows the answer when enough firms of the business are there. */
describe('matching: where a firm is', () => {
  let running: RunningApp;
  const shop = (n: number, province: { th: string; en: string }, summary: string): CompanyProfileInput =>
    thaiProfile(`where:${province.en.toLowerCase()}-${n}`, {
      names: { th: `บริษัท ช่างกลึง ${province.en} ${n} จำกัด`, en: `${province.en} Machining ${n} Co., Ltd.` },
      summary: { th: summary },
      description: undefined,
      industries: [],
      offerings: undefined,
      seeking: undefined,
      partnershipTypes: [],
      certifications: [],
      location: province,
    });
  beforeAll(async () => {
    running = await startTestApp({});
    const chonburi = { th: 'ชลบุรี', en: 'Chonburi' };
    const rayong = { th: 'ระยอง', en: 'Rayong' };
    const ayutthaya = { th: 'พระนครศรีอยุธยา', en: 'Ayutthaya' };
    await importProfiles(running, [
      ...[1, 2, 3, 4, 5, 6].map((n) => shop(n, chonburi, 'รับจ้างกลึง กัด ไส เชื่อมโลหะทุกชนิด')),
      ...[1, 2, 3, 4, 5, 6].map((n) => shop(n, rayong, 'ประกอบกิจการรับจ้างกลึงชิ้นส่วนโลหะ')),
      ...[1, 2].map((n) => shop(n, ayutthaya, 'รับจ้างกลึงและเชื่อมโลหะ')),
      // A trucking firm in Chonburi: the right place, not the business asked.
      thaiProfile('where:chonburi-truck', {
        summary: { th: 'ประกอบกิจการขนส่งสินค้าทางถนน' },
        description: undefined,
        industries: [],
        offerings: undefined,
        location: chonburi,
      }),
    ]);
  });
  afterAll(() => running.close());

  it('keeps only firms in the province when at least five of the business are there', async () => {
    const body = await match(running, { text: 'チョンブリ県で金属の切削加工を請け負う会社', limit: 10 });
    expect(body.query.facets.regions.map((r: Json) => r.id)).toEqual(['region.th.chonburi']);
    expect(body.query.facets.regionRestricted).toBe(true);
    expect(body.results.length).toBe(6);
    expect((body.results as Json[]).every((r) => r.externalId.startsWith('where:chonburi-'))).toBe(true);
    expect(ids(body, 10)).not.toContain('where:chonburi-truck');
    expect(body.results[0].explanation).toMatch(/所在地：チョンブリ/);
  });

  it('shows every firm of the business, those in the province first, when fewer than five are there', async () => {
    const body = await match(running, { text: 'machining job shops in Ayutthaya', limit: 10 });
    expect(body.query.facets.regionRestricted).toBe(false);
    expect(ids(body, 2).sort()).toEqual(['where:ayutthaya-1', 'where:ayutthaya-2']);
    expect(body.results.length).toBe(10);
    expect((body.results as Json[]).every((r) => r.externalId !== 'where:chonburi-truck')).toBe(true);
  });
});
