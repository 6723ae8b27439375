import { openTestDatabase } from '../../test/support/test-database';
import { instanceSecret } from './instance-secrets';

describe(`instance secrets (${process.env.KAKEHASHI_TEST_DB ?? 'in-process'})`, () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it('makes a key once: instances asking at the same time all get the first one', async () => {
    const keys = await Promise.all([1, 2, 3, 4].map(() => instanceSecret(db.pool, 'shared-key')));
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(await instanceSecret(db.pool, 'shared-key')).toBe(keys[0]);
    expect(await instanceSecret(db.pool, 'another-key')).not.toBe(keys[0]);
  });
});
