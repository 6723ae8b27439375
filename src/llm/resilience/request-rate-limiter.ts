import type { RateBuckets } from '../../observability/rate-buckets';
import { abortReason, sleep } from './backoff';
import { ConcurrencyLimiter } from './concurrency-limiter';

export interface RequestRateLimiterOptions {
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Largest random addition to each wait (ms, default 20); the jitter is also at most a tenth of the wait. */
  maxJitterMs?: number;
  /** Tokens a bucket holds (default 1: requests are spaced 1/rate apart, no burst). */
  burst?: number;
}

/** No token could be had before the deadline; the bucket would have one in `retryAfterMs`. */
export class RateWaitExceededError extends Error {
  override readonly name = 'RateWaitExceededError';
  constructor(
    readonly key: string,
    readonly waitedMs: number,
    readonly retryAfterMs: number,
  ) {
    super(`no request slot for ${key} within ${waitedMs} ms`);
  }
}

/**
 * Requests per second to a model, for the whole deployment: each request takes a token from the bucket of
 * its key (in the database when RATE_LIMIT_STORE=database, so every instance draws from the same bucket).
 * When the bucket is empty the caller waits instead of failing, so a burst is spread out at the allowed rate:
 *
 * - Callers of one key queue in this process (FIFO), and only the head of the queue asks the bucket; the others
 *   wait for it locally. The database sees about one take per request plus one per refusal of the head.
 * - A refused head sleeps for the bucket's `retryAfterMs` plus a little jitter (instances do not ask again in
 *   lock-step), never spinning. The jitter is idle time of the bucket, so the rate reached under a steady
 *   backlog is a few percent below the configured one (the safe side).
 * - A wait is bounded: by the caller's signal (cancel, or the call's timeout) and by `deadline`. When the next
 *   token would come too late, the wait ends at once with RateWaitExceededError rather than sleeping in vain.
 *
 * The bucket holds one token by default (no burst): requests start 1/rate apart, so a provider that counts
 * requests in any one-second window never sees more than the rate (a bucket of a second's worth would let
 * twice the rate through in some second).
 */
export class RequestRateLimiter {
  private readonly queues = new Map<string, ConcurrencyLimiter>();
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly maxJitterMs: number;
  private readonly burst: number;
  private waitingNow = 0;

  constructor(
    private readonly buckets: RateBuckets,
    options: RequestRateLimiterOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? sleep;
    this.random = options.random ?? Math.random;
    this.maxJitterMs = options.maxJitterMs ?? 20;
    this.burst = Math.max(1, options.burst ?? 1);
  }

  /** Callers of this process currently waiting for a token (queued or sleeping). */
  get waiting(): number {
    return this.waitingNow;
  }

  /**
   * Resolves when a request to `key` may start. `ratePerSecond` ≤ 0 means no limit (resolves at once).
   * Rejects with the signal's reason when it aborts, or RateWaitExceededError when no token can be had by
   * `deadline` (epoch ms).
   */
  async acquire(
    key: string,
    ratePerSecond: number,
    { signal, deadline = Infinity }: { signal?: AbortSignal; deadline?: number } = {},
  ): Promise<void> {
    if (!(ratePerSecond > 0)) return;
    if (signal?.aborted) throw abortReason(signal);
    const capacity = this.burst;
    const started = this.now();
    this.waitingNow++;
    try {
      const release = await this.queueFor(key).acquire(signal);
      try {
        for (;;) {
          const decision = await this.buckets.take(key, capacity, ratePerSecond);
          if (decision.allowed) return;
          const retryAfterMs = Math.max(1, decision.retryAfterMs);
          const jitter = this.random() * Math.min(this.maxJitterMs, retryAfterMs / 10);
          const wait = Math.ceil(retryAfterMs + jitter);
          if (this.now() + retryAfterMs > deadline)
            throw new RateWaitExceededError(key, this.now() - started, retryAfterMs);
          await this.sleep(Math.min(wait, Math.max(1, deadline - this.now())), signal);
        }
      } finally {
        release();
      }
    } finally {
      this.waitingNow--;
      const queue = this.queues.get(key);
      if (queue && queue.running === 0 && queue.queued === 0) this.queues.delete(key);
    }
  }

  private queueFor(key: string): ConcurrencyLimiter {
    let queue = this.queues.get(key);
    if (!queue) {
      queue = new ConcurrencyLimiter(1);
      this.queues.set(key, queue);
    }
    return queue;
  }
}
