import { MemoryRateBuckets, type RateBuckets, type RateDecision } from '../../observability/rate-buckets';
import { RateWaitExceededError, RequestRateLimiter } from './request-rate-limiter';

/**
 * A virtual clock: `sleep` moves time forward instead of waiting. Only the head of a key's queue ever sleeps,
 * so for one key this is exact, and the tests take no real time and cannot be flaky.
 */
function virtualTime() {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    sleeps,
    sleep: (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) return Promise.reject(new Error('aborted'));
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

/** Counts takes and refusals, and how many takes are in flight at once. */
function counting(inner: RateBuckets, async = false) {
  const stats = { takes: 0, refused: 0, inFlight: 0, maxInFlight: 0, retryAfters: [] as number[] };
  const buckets: RateBuckets = {
    take: (key, capacity, rate, cost) => {
      stats.takes++;
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      const finish = (d: RateDecision) => {
        stats.inFlight--;
        if (!d.allowed) {
          stats.refused++;
          stats.retryAfters.push(d.retryAfterMs);
        }
        return d;
      };
      const d = inner.take(key, capacity, rate, cost) as RateDecision;
      return async ? new Promise<RateDecision>((r) => setImmediate(() => r(finish(d)))) : finish(d);
    },
  };
  return { buckets, stats };
}

/** Most starts in any window [a, b] of the start times must stay within capacity + rate·(b − a). */
function worstExcess(starts: number[], capacity: number, rate: number): number {
  const s = [...starts].sort((x, y) => x - y);
  let worst = -Infinity;
  for (let i = 0; i < s.length; i++)
    for (let j = i; j < s.length; j++)
      worst = Math.max(worst, j - i + 1 - (capacity + (rate * (s[j] - s[i])) / 1000));
  return worst;
}

describe('RequestRateLimiter', () => {
  it('does nothing without a rate (0 = no limit)', async () => {
    const { buckets, stats } = counting(new MemoryRateBuckets());
    const limiter = new RequestRateLimiter(buckets);
    await Promise.all(Array.from({ length: 50 }, () => limiter.acquire('k', 0)));
    expect(stats.takes).toBe(0);
  });

  it('spreads a burst out at the rate, no caller failing, never more than the rate in any second', async () => {
    const clock = virtualTime();
    const { buckets, stats } = counting(new MemoryRateBuckets(clock.now));
    const limiter = new RequestRateLimiter(buckets, {
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
    });
    const starts: number[] = [];
    const t0 = clock.now();
    await Promise.all(
      Array.from({ length: 20 }, () =>
        limiter.acquire('llm:typhoon', 5).then(() => starts.push(clock.now() - t0)),
      ),
    );
    expect(starts).toHaveLength(20);
    // One at once, then one every 200 ms (+ a little jitter): the last of 20 after 19 × 200 ms.
    expect(starts.filter((t) => t === 0)).toHaveLength(1);
    expect(Math.max(...starts)).toBeGreaterThanOrEqual(3800);
    expect(Math.max(...starts)).toBeLessThan(3800 + 19 * 21);
    expect(worstExcess(starts, 1, 5)).toBeLessThanOrEqual(1e-9);
    for (const t of starts)
      expect(starts.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(5);
    // No spinning: every refusal is followed by a sleep of at least the bucket's retryAfter.
    expect(stats.takes).toBe(20 + stats.refused);
    expect(clock.sleeps).toHaveLength(stats.refused);
    clock.sleeps.forEach((ms, i) => expect(ms).toBeGreaterThanOrEqual(stats.retryAfters[i]));
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(200 + 20);
    expect(limiter.waiting).toBe(0);
  });

  it('with a burst option, lets that many start at once, then the rate', async () => {
    const clock = virtualTime();
    const limiter = new RequestRateLimiter(new MemoryRateBuckets(clock.now), {
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0,
      burst: 5,
    });
    const starts: number[] = [];
    const t0 = clock.now();
    await Promise.all(
      Array.from({ length: 10 }, () => limiter.acquire('k', 5).then(() => starts.push(clock.now() - t0))),
    );
    expect(starts.filter((t) => t === 0)).toHaveLength(5);
    expect(worstExcess(starts, 5, 5)).toBeLessThanOrEqual(1e-9);
    expect(Math.max(...starts)).toBeGreaterThanOrEqual(1000);
  });

  it('adds jitter on top of the bucket’s retryAfter, at most a tenth of it and maxJitterMs', async () => {
    const clock = virtualTime();
    const limiter = new RequestRateLimiter(new MemoryRateBuckets(clock.now), {
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.999,
      maxJitterMs: 30,
    });
    await limiter.acquire('k', 1);
    await limiter.acquire('k', 1); // bucket empty: retryAfter 1000 ms, jitter ≤ 30 ms
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(1000);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(1030);
  });

  it('lets only the head of a key’s queue ask the bucket (no herd on the database)', async () => {
    const clock = virtualTime();
    const { buckets, stats } = counting(new MemoryRateBuckets(clock.now), true);
    const limiter = new RequestRateLimiter(buckets, { now: clock.now, sleep: clock.sleep });
    await Promise.all(Array.from({ length: 10 }, () => limiter.acquire('k', 2)));
    expect(stats.refused).toBeGreaterThan(0);
    expect(stats.maxInFlight).toBe(1);
    expect(stats.takes).toBe(10 + stats.refused);
  });

  it('keeps keys apart: one model’s queue does not hold up another’s', async () => {
    const clock = virtualTime();
    const limiter = new RequestRateLimiter(new MemoryRateBuckets(clock.now), {
      now: clock.now,
      sleep: clock.sleep,
    });
    await limiter.acquire('a', 1);
    await limiter.acquire('b', 1);
    expect(clock.sleeps).toHaveLength(0);
  });

  it('stops at once when the next token would come after the deadline (no sleeping in vain)', async () => {
    const clock = virtualTime();
    const limiter = new RequestRateLimiter(new MemoryRateBuckets(clock.now), {
      now: clock.now,
      sleep: clock.sleep,
    });
    await limiter.acquire('k', 1);
    const failed = limiter.acquire('k', 1, { deadline: clock.now() + 500 });
    await expect(failed).rejects.toBeInstanceOf(RateWaitExceededError);
    await expect(failed).rejects.toMatchObject({ retryAfterMs: 1000 });
    expect(clock.sleeps).toHaveLength(0);
    // A deadline that leaves room: it waits, but never past the deadline.
    await limiter.acquire('k', 1, { deadline: clock.now() + 1010 });
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1010);
  });

  it('a caller that gives up leaves the queue; those behind it carry on', async () => {
    const limiter = new RequestRateLimiter(new MemoryRateBuckets(), { maxJitterMs: 0 });
    await limiter.acquire('k', 20); // 20/s: the next token in 50 ms
    const controller = new AbortController();
    const head = limiter.acquire('k', 20, { signal: controller.signal }); // sleeps ~50 ms for a token
    const behind = limiter.acquire('k', 20);
    controller.abort(new Error('caller gave up'));
    await expect(head).rejects.toThrow('caller gave up');
    await expect(behind).resolves.toBeUndefined();
    expect(limiter.waiting).toBe(0);
  });

  it('refuses at once with an already aborted signal', async () => {
    const { buckets, stats } = counting(new MemoryRateBuckets());
    const limiter = new RequestRateLimiter(buckets);
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(limiter.acquire('k', 5, { signal: controller.signal })).rejects.toThrow('gone');
    expect(stats.takes).toBe(0);
  });
});
