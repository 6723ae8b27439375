import { Pool } from 'pg';
import { openTestDatabase } from '../../test/support/test-database';
import { RequestRateLimiter } from '../llm/resilience/request-rate-limiter';
import { DatabaseRateBuckets } from './rate-buckets';
import { SharedRateLimitRepository } from './shared-rate-limit.repository';

/** Runs against in-process PGlite and again over the PostgreSQL wire protocol (db-wire project). */
describe(`SharedRateLimitRepository (${process.env.KAKEHASHI_TEST_DB ?? 'in-process'})`, () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let repo: SharedRateLimitRepository;

  beforeAll(async () => {
    db = await openTestDatabase();
    repo = new SharedRateLimitRepository(db.pool);
  });
  afterAll(() => db.close());

  /** Moves a bucket's last update into the past: as if `ms` had gone by, without waiting. */
  const age = (key: string, ms: number) =>
    db.pool.query(
      `UPDATE rate_limit_buckets SET updated_at = updated_at - $2::float8 * interval '1 millisecond' WHERE key = $1`,
      [key, ms],
    );

  it('allows the capacity, then refuses with the time until the next token', async () => {
    const decisions = [];
    // One token per 100 s: however slow the machine, the time between takes refills next to nothing.
    for (let i = 0; i < 4; i++) decisions.push(await repo.take('t:burst', 3, 0.01));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions[2].tokens).toBeCloseTo(0, 1);
    // The next token in just under 100 s (a little has refilled since the last take).
    expect(decisions[3].retryAfterMs).toBeGreaterThan(90_000);
    expect(decisions[3].retryAfterMs).toBeLessThanOrEqual(100_000);
  });

  it('takes at once: the capacity goes through, and every refusal says to wait for the next token', async () => {
    // On a server the takes run on several connections; a refusal used to read a bucket older than the take that
    // emptied it, and said "retry after 0 ms".
    const decisions = await Promise.all(
      Array.from({ length: 40 }, () => repo.take('t:concurrent', 10, 0.01)),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    for (const refused of decisions.filter((d) => !d.allowed))
      expect(refused.retryAfterMs).toBeGreaterThan(90_000);
  });

  it('refills with the time gone by, never above the capacity', async () => {
    for (let i = 0; i < 3; i++) await repo.take('t:refill', 3, 2);
    expect((await repo.take('t:refill', 3, 2)).allowed).toBe(false);
    await age('t:refill', 1000); // 2 tokens back
    expect((await repo.take('t:refill', 3, 2)).allowed).toBe(true);
    expect((await repo.take('t:refill', 3, 2)).allowed).toBe(true);
    expect((await repo.take('t:refill', 3, 2)).allowed).toBe(false);
    await age('t:refill', 3_600_000);
    const full = await repo.take('t:refill', 3, 2);
    expect(full).toMatchObject({ allowed: true });
    expect(full.tokens).toBeCloseTo(2, 1);
  });

  it('purges only idle buckets under the prefix', async () => {
    await repo.take('p:visitor:idle', 5, 0.5);
    await repo.take('p:visitor:active', 5, 0.5);
    await repo.take('llm:other', 5, 0.5);
    await age('p:visitor:idle', 120_000);
    await age('llm:other', 120_000);
    expect(await repo.purgeIdle('p:visitor:', 60)).toBe(1);
    const { rows } = await db.pool.query<{ key: string }>(
      `SELECT key FROM rate_limit_buckets WHERE key IN ('p:visitor:idle', 'p:visitor:active', 'llm:other') ORDER BY key`,
    );
    expect(rows.map((r) => r.key)).toEqual(['llm:other', 'p:visitor:active']);
  });

  it('two limiters on their own connections share one bucket: a burst of 20 at 5/s is spread out at 5/s', async () => {
    // Two "instances": each its own RequestRateLimiter and DatabaseRateBuckets, over its own pool when the
    // database is reached over the wire (in-process PGlite has a single connection).
    const pools = db.url
      ? [new Pool({ connectionString: db.url, max: 2 }), new Pool({ connectionString: db.url, max: 2 })]
      : [db.pool, db.pool];
    let takes = 0;
    const instances = pools.map((p) => {
      const repository = new SharedRateLimitRepository(p);
      const counting = {
        take: (...args: Parameters<SharedRateLimitRepository['take']>) => {
          takes++;
          return repository.take(...args);
        },
        purgeIdle: repository.purgeIdle.bind(repository),
      };
      return new RequestRateLimiter(new DatabaseRateBuckets(counting));
    });
    try {
      const t0 = Date.now();
      const starts: number[] = [];
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          instances[i % 2]
            .acquire('llm:http://typhoon/v1|typhoon-v2', 5)
            .then(() => starts.push(Date.now() - t0)),
        ),
      );
      starts.sort((a, b) => a - b);
      // A bucket of 1 refilled at 5/s: at most 1 + 5·(b − a)/1000 starts in any window [a, b]. A start is seen
      // here a return trip after the database decided it; SLACK_MS (one request's worth) allows those trips to differ.
      const SLACK_MS = 200;
      let worst = -Infinity;
      for (let i = 0; i < starts.length; i++)
        for (let j = i; j < starts.length; j++)
          worst = Math.max(worst, j - i + 1 - (1 + (5 * (starts[j] - starts[i] + SLACK_MS)) / 1000));
      expect(worst).toBeLessThanOrEqual(0);
      // 19 starts after the first need 3.8 s at 5/s.
      expect(starts[19]).toBeGreaterThanOrEqual(3800 - SLACK_MS);
      // Waiting callers sleep between takes (the bucket's retryAfter): one take per start plus about one refusal
      // per token for each instance's head (≈ 50 here), never a busy loop (thousands).
      expect(takes).toBeLessThan(120);
      process.stdout.write(
        `shared bucket, 2 limiters, 20 requests at 5/s: last start ${starts[19]} ms, ${takes} database takes\n`,
      );
    } finally {
      if (db.url) await Promise.all(pools.map((p) => p.end()));
    }
  });
});
