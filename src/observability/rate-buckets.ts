import { Logger } from '@nestjs/common';
import type { RateDecision, SharedRateLimitRepository } from './shared-rate-limit.repository';

export type { RateDecision } from './shared-rate-limit.repository';

/**
 * Token buckets by key: `capacity` tokens at most, refilled continuously at `refillPerSecond`; a take of `cost`
 * succeeds when that many tokens are there. Two stores with the same semantics: this process's memory
 * (synchronous, no I/O) and the database (`rate_limit_buckets`, one statement per take, shared by every
 * instance). RATE_LIMIT_STORE chooses (`rateBucketsFor`).
 */
export interface RateBuckets {
  /** Memory answers synchronously; the database returns a promise. */
  take(
    key: string,
    capacity: number,
    refillPerSecond: number,
    cost?: number,
  ): RateDecision | Promise<RateDecision>;
}

/** Buckets in this process. Full buckets are forgotten (a missing bucket is a full one), so keys do not pile up. */
export class MemoryRateBuckets implements RateBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number; fullAt: number }>();
  private nextSweep = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sweepEveryMs = 60_000,
  ) {}

  get size(): number {
    return this.buckets.size;
  }

  take(key: string, capacity: number, refillPerSecond: number, cost = 1): RateDecision {
    const t = this.now();
    if (t >= this.nextSweep) this.sweep(t);
    const rate = Math.max(refillPerSecond, 1e-9);
    const bucket = this.buckets.get(key);
    const available = bucket
      ? Math.min(capacity, bucket.tokens + (Math.max(0, t - bucket.at) * rate) / 1000)
      : capacity;
    if (available >= cost) {
      const tokens = available - cost;
      this.buckets.set(key, { tokens, at: t, fullAt: t + ((capacity - tokens) / rate) * 1000 });
      return { allowed: true, tokens, retryAfterMs: 0 };
    }
    return { allowed: false, tokens: available, retryAfterMs: Math.ceil(((cost - available) / rate) * 1000) };
  }

  private sweep(t: number): void {
    this.nextSweep = t + this.sweepEveryMs;
    for (const [key, bucket] of this.buckets) if (bucket.fullAt <= t) this.buckets.delete(key);
  }
}

export interface DatabaseRateBucketsOptions {
  /**
   * Deletes rows under this key prefix that have been idle for `idleSeconds` (at least the time a bucket takes
   * to refill completely, so a deleted row is one that would be full anyway), at most every `everyMs`.
   */
  purge?: { prefix: string; idleSeconds: number; everyMs: number };
  now?: () => number;
}

/**
 * Buckets in the database, shared by every instance. If the database cannot answer, the take falls back to a
 * bucket in this process (a limit per instance is better than none, and better than failing the caller).
 */
export class DatabaseRateBuckets implements RateBuckets {
  private readonly logger = new Logger('RateLimit');
  private readonly fallback: MemoryRateBuckets;
  private readonly now: () => number;
  private nextPurge: number;
  private warnedAt = -Infinity;

  constructor(
    private readonly repository: Pick<SharedRateLimitRepository, 'take' | 'purgeIdle'>,
    private readonly options: DatabaseRateBucketsOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.fallback = new MemoryRateBuckets(this.now);
    this.nextPurge = this.now() + (options.purge?.everyMs ?? 0);
  }

  async take(key: string, capacity: number, refillPerSecond: number, cost = 1): Promise<RateDecision> {
    this.maybePurge();
    try {
      return await this.repository.take(key, capacity, refillPerSecond, cost);
    } catch (err) {
      const t = this.now();
      if (t - this.warnedAt > 60_000) {
        this.warnedAt = t;
        this.logger.warn({
          msg: 'rate limit: database unavailable, limiting in this instance only',
          error: (err as Error)?.message,
        });
      }
      return this.fallback.take(key, capacity, refillPerSecond, cost);
    }
  }

  private maybePurge(): void {
    const purge = this.options.purge;
    if (!purge) return;
    const t = this.now();
    if (t < this.nextPurge) return;
    this.nextPurge = t + purge.everyMs;
    this.repository.purgeIdle(purge.prefix, purge.idleSeconds).catch(() => undefined);
  }
}

/** The store RATE_LIMIT_STORE chose (`config.operations.rateLimitStore`). */
export function rateBucketsFor(
  store: 'memory' | 'database',
  repository: SharedRateLimitRepository,
  options: DatabaseRateBucketsOptions = {},
): RateBuckets {
  return store === 'database' ? new DatabaseRateBuckets(repository, options) : new MemoryRateBuckets();
}
