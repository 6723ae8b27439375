import { DatabaseRateBuckets, MemoryRateBuckets, rateBucketsFor } from './rate-buckets';
import type { SharedRateLimitRepository } from './shared-rate-limit.repository';

describe('MemoryRateBuckets', () => {
  it('allows the capacity at once, refills continuously, and says when the next token comes', () => {
    let now = 0;
    const buckets = new MemoryRateBuckets(() => now);
    for (let i = 0; i < 3; i++) expect(buckets.take('k', 3, 2).allowed).toBe(true);
    expect(buckets.take('k', 3, 2)).toEqual({ allowed: false, tokens: 0, retryAfterMs: 500 });
    now += 250;
    expect(buckets.take('k', 3, 2)).toEqual({ allowed: false, tokens: 0.5, retryAfterMs: 250 });
    now += 250;
    expect(buckets.take('k', 3, 2)).toMatchObject({ allowed: true, tokens: 0 });
    // Never more than the capacity, however long the pause.
    now += 60_000;
    expect(buckets.take('k', 3, 2)).toMatchObject({ allowed: true, tokens: 2 });
    // Keys are independent.
    expect(buckets.take('other', 1, 1).allowed).toBe(true);
  });

  it('forgets buckets that have refilled (a missing bucket is a full one)', () => {
    let now = 0;
    const buckets = new MemoryRateBuckets(() => now, 1000);
    for (let i = 0; i < 100; i++) buckets.take(`visitor:${i}`, 5, 0.5);
    expect(buckets.size).toBe(100);
    now += 1000;
    buckets.take('busy', 5, 0.5);
    expect(buckets.size).toBe(101); // 2 s to refill one token: none full yet
    now += 2000;
    buckets.take('busy', 5, 0.5);
    expect(buckets.size).toBe(1);
  });
});

describe('DatabaseRateBuckets', () => {
  const repository = (take: SharedRateLimitRepository['take']) => {
    const purges: Array<[string, number]> = [];
    return {
      purges,
      repo: {
        take,
        purgeIdle: (prefix: string, idle: number) => {
          purges.push([prefix, idle]);
          return Promise.resolve(0);
        },
      },
    };
  };

  it('takes from the database', async () => {
    const { repo } = repository(() => Promise.resolve({ allowed: false, tokens: 0.2, retryAfterMs: 160 }));
    await expect(new DatabaseRateBuckets(repo).take('k', 5, 5)).resolves.toEqual({
      allowed: false,
      tokens: 0.2,
      retryAfterMs: 160,
    });
  });

  it('limits in this process while the database cannot answer', async () => {
    const { repo } = repository(() => Promise.reject(new Error('connection refused')));
    const buckets = new DatabaseRateBuckets(repo);
    const decisions = await Promise.all(Array.from({ length: 4 }, () => buckets.take('k', 2, 1)));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, false, false]);
  });

  it('purges idle rows under its prefix now and then, not on every take', async () => {
    let now = 0;
    const { repo, purges } = repository(() => Promise.resolve({ allowed: true, tokens: 1, retryAfterMs: 0 }));
    const buckets = new DatabaseRateBuckets(repo, {
      now: () => now,
      purge: { prefix: 'web-chat:visitor:', idleSeconds: 60, everyMs: 300_000 },
    });
    await buckets.take('web-chat:visitor:a', 5, 0.5);
    expect(purges).toHaveLength(0);
    now += 300_000;
    await buckets.take('web-chat:visitor:a', 5, 0.5);
    await buckets.take('web-chat:visitor:a', 5, 0.5);
    expect(purges).toEqual([['web-chat:visitor:', 60]]);
  });
});

describe('rateBucketsFor', () => {
  it('chooses the store RATE_LIMIT_STORE named', () => {
    const repo = {} as SharedRateLimitRepository;
    expect(rateBucketsFor('memory', repo)).toBeInstanceOf(MemoryRateBuckets);
    expect(rateBucketsFor('database', repo)).toBeInstanceOf(DatabaseRateBuckets);
  });
});
