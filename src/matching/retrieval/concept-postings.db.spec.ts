import { openTestDatabase } from '../../../test/support/test-database';
import { thaiProfile } from '../../../test/fixtures/profiles';
import { toProfileWrite } from '../../companies/company.model';
import { CompanyRepository } from '../../companies/company.repository';
import { SearchIndexRepository, type SearchRow } from '../indexing/search-index.repository';

/**
 * The concept arm reads postings (company_concepts), kept by triggers on company_search: whatever writes the
 * search rows, the postings must say exactly which published profile carries which concept, or a search would
 * find an unpublished or erased firm, or miss a newly tagged one.
 */
describe(`concept postings (${process.env.KAKEHASHI_TEST_DB ?? 'in-process'})`, () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let companies: CompanyRepository;
  let index: SearchIndexRepository;

  beforeAll(async () => {
    db = await openTestDatabase();
    companies = new CompanyRepository(db.pool);
    index = new SearchIndexRepository(db.pool, db.kind);
  });
  afterAll(() => db.close());

  const postings = async () =>
    (
      await db.pool.query<{ p: string }>(
        `SELECT p.country || ' ' || p.concept_id || ' ' || c.external_id AS p
         FROM company_concepts p JOIN companies c ON c.id = p.company_id ORDER BY 1`,
      )
    ).rows.map((r) => r.p);

  const row = (companyId: string, concepts: string[], status = 'published'): SearchRow => ({
    companyId,
    country: 'TH',
    status,
    partnershipTypes: [],
    concepts,
    hits: [],
    businesses: [],
    businessPostings: [],
    locations: [],
    sortKey: companyId,
    enrichedAt: null,
    employees: null,
    terms: [{ t: 'x', f: 1 }],
    docLength: 1,
    version: 1,
    lexiconVersion: 'test',
  });

  it('follows indexing, re-indexing, unpublishing and erasure', async () => {
    const [a, b] = await companies.saveMany(db.pool, [
      toProfileWrite(thaiProfile('p:a')),
      toProfileWrite(thaiProfile('p:b')),
    ]);
    // Duplicates in a concept array give one posting.
    await index.writeSearchDocuments(db.pool, [
      row(a.id, ['industry.automotive', 'industry.automotive', 'region.th.chonburi']),
      row(b.id, ['industry.automotive'], 'draft'),
    ]);
    expect(await postings()).toEqual(['TH industry.automotive p:a', 'TH region.th.chonburi p:a']);

    // Re-indexed: a concept gone, one added; the draft published; an unchanged row rewritten as is.
    await index.writeSearchDocuments(db.pool, [
      row(a.id, ['industry.automotive', 'product.brakes']),
      row(b.id, ['industry.automotive']),
    ]);
    await index.writeSearchDocuments(db.pool, [row(a.id, ['industry.automotive', 'product.brakes'])]);
    expect(await postings()).toEqual([
      'TH industry.automotive p:a',
      'TH industry.automotive p:b',
      'TH product.brakes p:a',
    ]);

    // Unpublished (archived), then erased: nothing of either remains.
    await index.writeSearchDocuments(db.pool, [
      row(a.id, ['industry.automotive', 'product.brakes'], 'archived'),
    ]);
    expect(await postings()).toEqual(['TH industry.automotive p:b']);
    await companies.erase(db.pool, b.id);
    expect(await postings()).toEqual([]);
  });
});
