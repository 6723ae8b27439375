import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/**
 * Gives webhook acknowledgements priority over event handling inside one process. With the embedded database
 * every query runs on the main thread and the pool has one connection, so an event being handled (matching
 * queries, text processing) delays any webhook that arrives meanwhile, and LINE redelivers what it does not
 * see acknowledged in time. So during a burst — webhooks arriving faster than one per `yieldMs` on average over
 * the last second (25 ms: 40 per second) — workers start no new event, except one every `maxDeferMs` so that a
 * never-ending stream still drains. In ordinary traffic they start at once. Deferred events are safe in the
 * inbox; only their answers wait.
 */
@Injectable()
export class LineIngressGate {
  private static readonly WINDOW_MS = 1000;
  /** Arrival times of the last `burstSize` webhooks (a ring). */
  private readonly arrivals: number[];
  private next = 0;
  private lastAdmitted = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const { yieldMs } = config.line.ingressPriority;
    const burstSize =
      yieldMs === 0 ? 0 : Math.min(1000, Math.max(1, Math.round(LineIngressGate.WINDOW_MS / yieldMs)));
    this.arrivals = new Array<number>(burstSize).fill(Number.NEGATIVE_INFINITY);
  }

  /** A webhook request arrived. */
  arrived(now = Date.now()): void {
    if (this.arrivals.length === 0) return;
    this.arrivals[this.next] = now;
    this.next = (this.next + 1) % this.arrivals.length;
  }

  /** How long a worker should wait before starting an event (0: start now). */
  holdOff(now = Date.now()): number {
    const { maxDeferMs } = this.config.line.ingressPriority;
    // The oldest of the last `burstSize` arrivals: within the window means a burst is on.
    const oldest = this.arrivals.length === 0 ? Number.NEGATIVE_INFINITY : this.arrivals[this.next];
    const burstEndsIn = oldest + LineIngressGate.WINDOW_MS - now;
    const sinceAdmitted = now - this.lastAdmitted;
    if (burstEndsIn <= 0 || sinceAdmitted >= maxDeferMs) {
      this.lastAdmitted = now;
      return 0;
    }
    return Math.max(1, Math.min(burstEndsIn, maxDeferMs - sinceAdmitted));
  }
}
