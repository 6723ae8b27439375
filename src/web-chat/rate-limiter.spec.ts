import type { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/app-config';
import {
  DatabaseRateBuckets,
  MemoryRateBuckets,
  type RateBuckets,
  type RateDecision as BucketDecision,
} from '../observability/rate-buckets';
import type { SharedRateLimitRepository } from '../observability/shared-rate-limit.repository';
import { MessageRateLimiter, type RateDecision, visitorBucketKey, webChatRateBuckets } from './rate-limiter';

describe('MessageRateLimiter per visitor', () => {
  it('memory store: one bucket for all of a visitor’s tabs, answered synchronously', () => {
    let now = 0;
    const store = new MemoryRateBuckets(() => now);
    const tab = (vid: string) =>
      new MessageRateLimiter(2, 60, 3, () => now, { store, key: visitorBucketKey(vid) });
    const [a1, a2, b] = [tab('a'), tab('a'), tab('b')];
    expect(a1.take()).toEqual({ allowed: true });
    expect(a2.take()).toEqual({ allowed: true });
    // The visitor's burst is spent, whichever tab sends next; another visitor is not affected.
    expect(a1.take()).toEqual({ allowed: false, retryAfterMs: 1000, disconnect: false });
    expect(a2.take()).toEqual({ allowed: false, retryAfterMs: 1000, disconnect: false });
    expect(b.take()).toEqual({ allowed: true });
    now += 1000;
    expect(a2.take()).toEqual({ allowed: true });
  });

  it('strikes are counted per socket: a flooding tab is disconnected, the quiet one is not', () => {
    const store = new MemoryRateBuckets(() => 0);
    const key = visitorBucketKey('v');
    const flooder = new MessageRateLimiter(1, 1, 3, () => 0, { store, key });
    const quiet = new MessageRateLimiter(1, 1, 3, () => 0, { store, key });
    expect(flooder.take()).toEqual({ allowed: true });
    expect(flooder.take()).toMatchObject({ disconnect: false });
    expect(flooder.take()).toMatchObject({ disconnect: false });
    expect(flooder.take()).toMatchObject({ disconnect: true });
    expect(quiet.take()).toMatchObject({ allowed: false, disconnect: false });
  });

  it('database store: decisions come back in message order even when the database answers out of order', async () => {
    const answers: Array<() => void> = [];
    let tokens = 2;
    const slow: RateBuckets = {
      take: () =>
        new Promise<BucketDecision>((resolve) =>
          answers.push(() =>
            resolve(
              tokens >= 1
                ? { allowed: true, tokens: --tokens, retryAfterMs: 0 }
                : { allowed: false, tokens, retryAfterMs: 700 },
            ),
          ),
        ),
    };
    const limiter = new MessageRateLimiter(2, 60, 10, Date.now, { store: slow, key: 'k' });
    const order: number[] = [];
    const decisions = [0, 1, 2].map((i) => {
      const d = limiter.take();
      expect(d).toBeInstanceOf(Promise);
      return (d as Promise<unknown>).then((x) => {
        order.push(i);
        return x;
      });
    });
    // One round trip at a time per socket: the second take is asked only after the first is answered.
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setImmediate(r));
      expect(answers).toHaveLength(i + 1);
      answers[i]();
    }
    expect(await Promise.all(decisions)).toEqual([
      { allowed: true },
      { allowed: true },
      { allowed: false, retryAfterMs: 700, disconnect: false },
    ]);
    expect(order).toEqual([0, 1, 2]);
  });

  it('database store: a flooder’s queued messages cost no round trip once it has been told to go', async () => {
    let takes = 0;
    const empty: RateBuckets = {
      take: () => {
        takes++;
        return Promise.resolve({ allowed: false, tokens: 0, retryAfterMs: 2000 });
      },
    };
    const limiter = new MessageRateLimiter(5, 30, 3, Date.now, { store: empty, key: 'k' });
    const decisions = await Promise.all(
      Array.from({ length: 20 }, () => limiter.take() as Promise<RateDecision>),
    );
    expect(takes).toBe(3);
    expect(decisions.filter((d) => !d.allowed && d.disconnect)).toHaveLength(18);
  });
});

describe('webChatRateBuckets', () => {
  const repo = {} as SharedRateLimitRepository;
  it('memory on the embedded database, the database with DATABASE_URL (RATE_LIMIT_STORE=auto)', () => {
    expect(webChatRateBuckets(loadConfig({}), repo)).toBeInstanceOf(MemoryRateBuckets);
    const server: AppConfig = loadConfig({ DATABASE_URL: 'postgres://db/kakehashi' });
    expect(webChatRateBuckets(server, repo)).toBeInstanceOf(DatabaseRateBuckets);
    expect(
      webChatRateBuckets(loadConfig({ DATABASE_URL: 'postgres://db/k', RATE_LIMIT_STORE: 'memory' }), repo),
    ).toBeInstanceOf(MemoryRateBuckets);
  });
});
