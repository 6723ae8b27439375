import type { AppConfig } from '../config/app-config';
import { DatabaseRateBuckets, MemoryRateBuckets, type RateBuckets } from '../observability/rate-buckets';
import type { SharedRateLimitRepository } from '../observability/shared-rate-limit.repository';

/**
 * A visitor's message rate: a token bucket (`burst` at once, refilled at `perMinute`) per visitor, whichever
 * socket (tab) and instance the messages arrive on. The bucket lives in the store RATE_LIMIT_STORE chose:
 * this process's memory (synchronous: no I/O on the embedded single-instance setup) or the database (shared by
 * every instance). One limiter per socket: each refused message is a strike of that socket; an accepted one
 * clears them. A socket that keeps sending while refused (`maxStrikes` in a row) is a flooder and is disconnected.
 */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number; disconnect: boolean };

/** Where a visitor's bucket is kept, and under which key. */
export interface SharedBucket {
  store: RateBuckets;
  key: string;
}

/** The bucket key of a visitor (also the prefix purged of idle rows). */
export const VISITOR_BUCKET_PREFIX = 'web-chat:visitor:';
export const visitorBucketKey = (visitorId: string) => `${VISITOR_BUCKET_PREFIX}${visitorId}`;

/** Injection token of the visitors' buckets (one store for the whole gateway). */
export const WEB_CHAT_RATE_BUCKETS = Symbol('WEB_CHAT_RATE_BUCKETS');

/**
 * The visitors' buckets in the store RATE_LIMIT_STORE chose. In the database, rows of visitors idle for longer
 * than a bucket takes to refill (they would be full anyway) are deleted every few minutes.
 */
export function webChatRateBuckets(config: AppConfig, repository: SharedRateLimitRepository): RateBuckets {
  if (config.operations.rateLimitStore !== 'database') return new MemoryRateBuckets();
  const { rateBurst, ratePerMinute } = config.webChat;
  return new DatabaseRateBuckets(repository, {
    purge: {
      prefix: VISITOR_BUCKET_PREFIX,
      idleSeconds: Math.max(60, Math.ceil((rateBurst * 60) / ratePerMinute)),
      everyMs: 5 * 60_000,
    },
  });
}

export class MessageRateLimiter {
  private strikes = 0;
  private readonly store: RateBuckets;
  private readonly key: string;
  /** Database store: decisions of this socket still pending, and the last of them (they are taken in order). */
  private pending = 0;
  private tail: Promise<unknown> = Promise.resolve();

  /** Without `bucket`, the bucket is this limiter's own (one socket), in memory. */
  constructor(
    private readonly burst: number,
    private readonly perMinute: number,
    private readonly maxStrikes: number,
    now: () => number = Date.now,
    bucket?: SharedBucket,
  ) {
    this.store = bucket?.store ?? new MemoryRateBuckets(now);
    this.key = bucket?.key ?? 'socket';
  }

  /**
   * Synchronous with the memory store. With the database store a promise; a socket's takes run one after the
   * other, so its messages are decided (and handled) in the order they came, and a flooder's queued messages
   * cost no round trip once it has been told to go.
   */
  take(): RateDecision | Promise<RateDecision> {
    if (this.pending > 0) return this.track(this.tail.then(() => this.takeNow(true)));
    const decision = this.takeNow(false);
    return decision instanceof Promise ? this.track(decision) : decision;
  }

  private takeNow(queued: boolean): RateDecision | Promise<RateDecision> {
    if (queued && this.strikes >= this.maxStrikes) return this.refused(Math.ceil(60_000 / this.perMinute));
    const bucket = this.store.take(this.key, this.burst, this.perMinute / 60);
    return bucket instanceof Promise ? bucket.then((d) => this.decide(d)) : this.decide(bucket);
  }

  private track(decision: Promise<RateDecision>): Promise<RateDecision> {
    this.pending++;
    const settled = decision.finally(() => {
      this.pending--;
    });
    this.tail = settled.catch(() => undefined);
    return settled;
  }

  private decide(d: { allowed: boolean; retryAfterMs: number }): RateDecision {
    if (d.allowed) {
      this.strikes = 0;
      return { allowed: true };
    }
    this.strikes += 1;
    return this.refused(Math.max(1, d.retryAfterMs));
  }

  private refused(retryAfterMs: number): RateDecision {
    return { allowed: false, retryAfterMs, disconnect: this.strikes >= this.maxStrikes };
  }
}
