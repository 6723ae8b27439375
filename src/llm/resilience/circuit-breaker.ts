/**
 * Circuit breaker for one model endpoint. After `failureThreshold` consecutive failures (timeouts, network
 * errors, 5xx) it opens: calls fail fast for `cooldownMs` instead of piling up on a dead server. Then it lets
 * exactly one probe call through (half-open); success closes it, failure opens it for another cooldown.
 * 429s do not count: a rate-limiting server is alive and the retry loop already backs off.
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  now?: () => number;
}

export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probeInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The state as of now (an open circuit whose cooldown has passed reports half-open). */
  get currentState(): CircuitState {
    if (this.state === 'open' && this.now() - this.openedAt >= this.options.cooldownMs) return 'half-open';
    return this.state;
  }

  /** Milliseconds until an open circuit lets a probe through (0 when not open). */
  retryInMs(): number {
    if (this.state !== 'open') return 0;
    return Math.max(0, this.openedAt + this.options.cooldownMs - this.now());
  }

  /**
   * Asks to make a call. True: go ahead (and report the result with onSuccess/onFailure/onNeutral).
   * False: fail fast.
   */
  tryAcquire(): boolean {
    const state = this.currentState;
    if (state === 'closed') return true;
    if (state === 'open') return false;
    // Half-open: one probe at a time.
    if (this.probeInFlight) return false;
    this.state = 'half-open';
    this.probeInFlight = true;
    return true;
  }

  onSuccess(): void {
    this.state = 'closed';
    this.failures = 0;
    this.probeInFlight = false;
  }

  onFailure(): void {
    this.probeInFlight = false;
    if (this.state === 'half-open') return this.open();
    this.failures++;
    if (this.failures >= this.options.failureThreshold) this.open();
  }

  /** A call that says nothing about the server's health (429, cancelled by the caller): frees the probe slot. */
  onNeutral(): void {
    if (this.state === 'half-open' && this.probeInFlight) {
      this.probeInFlight = false;
    }
  }

  private open(): void {
    this.state = 'open';
    this.openedAt = this.now();
    this.failures = 0;
  }
}
