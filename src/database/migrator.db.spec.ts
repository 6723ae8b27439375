import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openTestDatabase } from '../../test/support/test-database';
import { migrate, migrationsUpToDate, readMigrations } from './migrator';

describe(`migrations (${process.env.KAKEHASHI_TEST_DB ?? 'in-process'})`, () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it('applies every migration once: a second run applies nothing', async () => {
    expect(await migrationsUpToDate(db.pool)).toBe(true);
    const again = await migrate(db.pool);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe(readMigrations().length);
  });

  it('has pgvector available', async () => {
    const { rows } = await db.pool.query<{ d: number }>("SELECT '[1,0]'::vector <=> '[0,1]'::vector AS d");
    expect(rows[0].d).toBeCloseTo(1);
  });

  it('refuses to start when an applied migration was edited', async () => {
    const edited = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'changed' } : m));
    await expect(migrate(db.pool, edited)).rejects.toThrow(/was changed after it was applied/);
  });

  it('rolls back a failing migration entirely and records nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mig-'));
    for (const m of readMigrations()) fs.writeFileSync(path.join(dir, m.name), m.sql);
    fs.writeFileSync(
      path.join(dir, '0999_broken.sql'),
      'CREATE TABLE half_done (id int); SELECT no_such_function();',
    );
    await expect(migrate(db.pool, readMigrations(dir))).rejects.toThrow(/0999_broken.sql failed/);
    const { rows } = await db.pool.query("SELECT to_regclass('half_done') AS t");
    expect(rows[0].t).toBeNull();
    const { rows: recorded } = await db.pool.query('SELECT 1 FROM schema_migrations WHERE version = 999');
    expect(recorded).toHaveLength(0);
  });
});
