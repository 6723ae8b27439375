import { openTestDatabase } from '../../test/support/test-database';
import { japaneseProfile, thaiProfile } from '../../test/fixtures/profiles';
import { withTransaction } from '../database/transaction';
import { toProfileWrite } from './company.model';
import { CompanyRepository } from './company.repository';

/** Runs against in-process PGlite and again over the PostgreSQL wire protocol (db-wire project). */
describe(`CompanyRepository (${process.env.KAKEHASHI_TEST_DB ?? 'in-process'})`, () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let repo: CompanyRepository;

  beforeAll(async () => {
    db = await openTestDatabase();
    repo = new CompanyRepository(db.pool);
  });
  afterAll(() => db.close());

  it('inserts then replaces on externalId, bumping the version only on replace', async () => {
    const [first] = await repo.saveMany(db.pool, [toProfileWrite(thaiProfile('r:1'))]);
    expect(first).toMatchObject({ externalId: 'r:1', version: 1, inserted: true });
    const [second] = await repo.saveMany(db.pool, [toProfileWrite(thaiProfile('r:1', { employees: 7 }))]);
    expect(second).toMatchObject({ id: first.id, version: 2, inserted: false });
    const stored = await repo.findByExternalId('r:1');
    expect(stored?.employees).toBe(7);
    expect(stored?.names).toEqual({ th: 'บริษัท สยามเบรก จำกัด', en: 'Siam Brake Co., Ltd.' });
  });

  it('keeps contacts in their own table and never in the public record', async () => {
    const [saved] = await repo.saveMany(db.pool, [toProfileWrite(thaiProfile('r:contact'))]);
    const record = await repo.findByExternalId('r:contact');
    expect(JSON.stringify(record)).not.toContain('somchai');
    expect(await repo.findContact(saved.id)).toEqual({
      person: 'Somchai P.',
      email: 'somchai@siam-brake.example',
      phone: '+66 38 000 000',
    });
    await repo.saveMany(db.pool, [toProfileWrite(thaiProfile('r:contact', { contact: undefined }))]);
    expect(await repo.findContact(saved.id)).toBeUndefined();
  });

  it('saves thousands of rows in one transaction and rolls all back on failure', async () => {
    const writes = Array.from({ length: 2000 }, (_, i) => toProfileWrite(japaneseProfile(`bulk:${i}`)));
    await withTransaction(db.pool, (tx) => repo.saveMany(tx, writes));
    expect((await repo.findManyByExternalIds(['bulk:0', 'bulk:1999'])).size).toBe(2);

    const bad = [toProfileWrite(japaneseProfile('bulk:new')), toProfileWrite(japaneseProfile('bulk:bad'))];
    (bad[1].profile as { country: string }).country = 'XX';
    await expect(withTransaction(db.pool, (tx) => repo.saveMany(tx, bad))).rejects.toThrow();
    expect(await repo.findByExternalId('bulk:new')).toBeUndefined();
  });

  it('lists with filters in externalId order and counts the total', async () => {
    await repo.saveMany(db.pool, [
      toProfileWrite(thaiProfile('lf:b')),
      toProfileWrite(thaiProfile('lf:a')),
      toProfileWrite(japaneseProfile('lf:c', { names: { en: 'Only English' } })),
    ]);
    const th = await repo.list({ country: 'TH', q: 'lf:' }, 0, 10);
    expect(th.items.map((i) => i.externalId)).toEqual(['lf:a', 'lf:b']);
    expect(th.total).toBe(2);
    const noJa = await repo.list({ missingLang: 'ja', q: 'lf:', country: 'JP' }, 0, 10);
    expect(noJa.items.map((i) => i.externalId)).toEqual(['lf:c']);
  });

  it('erases a company together with its contact row', async () => {
    const [saved] = await repo.saveMany(db.pool, [toProfileWrite(thaiProfile('r:erase'))]);
    await repo.erase(db.pool, saved.id);
    const { rows } = await db.pool.query(
      'SELECT count(*)::int AS n FROM company_contacts WHERE company_id = $1',
      [saved.id],
    );
    expect(rows[0].n).toBe(0);
  });
});
