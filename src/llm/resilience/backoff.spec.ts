import { backoffDelay, parseRetryAfter, sleep } from './backoff';

describe('backoffDelay', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1000 };

  it('doubles per attempt with equal jitter: between half and all of base·2^(n−1)', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(50);
    expect(backoffDelay(1, policy, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, () => 0)).toBe(200);
    expect(backoffDelay(3, policy, () => 1)).toBe(400);
  });

  it('never exceeds the cap', () => {
    expect(backoffDelay(20, policy, () => 1)).toBe(1000);
    expect(backoffDelay(20, policy, () => 0)).toBe(500);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds, an HTTP date and retry-after-ms', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:03 GMT', undefined, now)).toBe(3000);
    expect(parseRetryAfter(undefined, '250')).toBe(250);
    expect(parseRetryAfter('5', '250')).toBe(250);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('sleep', () => {
  it('rejects as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const p = sleep(10_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
