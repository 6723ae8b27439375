import { ConcurrencyLimiter } from './concurrency-limiter';

const tick = () => new Promise((r) => setImmediate(r));

describe('ConcurrencyLimiter', () => {
  it('runs at most N at once and hands slots over in arrival order', async () => {
    const limiter = new ConcurrencyLimiter(2);
    const order: number[] = [];
    const releases: Array<() => void> = [];
    const take = (i: number) =>
      limiter.acquire().then((release) => {
        order.push(i);
        releases.push(release);
      });
    void take(1);
    void take(2);
    void take(3);
    void take(4);
    await tick();
    expect(order).toEqual([1, 2]);
    expect(limiter.running).toBe(2);
    expect(limiter.queued).toBe(2);
    releases[0]();
    await tick();
    expect(order).toEqual([1, 2, 3]);
    releases[1]();
    releases[1]();
    await tick();
    expect(order).toEqual([1, 2, 3, 4]);
    expect(limiter.running).toBe(2);
  });

  it('a waiter that aborts leaves the queue', async () => {
    const limiter = new ConcurrencyLimiter(1);
    const release = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    expect(limiter.queued).toBe(0);
    release();
    expect(limiter.running).toBe(0);
  });
});
