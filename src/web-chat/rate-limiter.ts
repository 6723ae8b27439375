/**
 * Per-socket message rate: a token bucket (`burst` at once, refilled at `perMinute`). Each refused message is a
 * strike; an accepted one clears them. A client that keeps sending while refused (`maxStrikes` in a row) is a
 * flooder and is disconnected.
 */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number; disconnect: boolean };

export class MessageRateLimiter {
  private tokens: number;
  private last: number;
  private strikes = 0;

  constructor(
    private readonly burst: number,
    private readonly perMinute: number,
    private readonly maxStrikes: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(): RateDecision {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.perMinute) / 60_000);
    this.last = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.strikes = 0;
      return { allowed: true };
    }
    this.strikes += 1;
    const retryAfterMs = Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute);
    return { allowed: false, retryAfterMs, disconnect: this.strikes >= this.maxStrikes };
  }
}
