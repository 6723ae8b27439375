import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/**
 * Gives webhook acknowledgements priority over event handling inside one process. With the embedded database
 * every query runs on the main thread and the pool has one connection, so an event being handled (matching
 * queries, text processing) delays any webhook that arrives meanwhile, and LINE redelivers what it does not
 * see acknowledged in time. So during a burst (webhooks less than `yieldMs` apart: 25 ms ≈ 40 per second)
 * workers start no new event, except one every `maxDeferMs` so that a never-ending stream still drains; in
 * ordinary traffic they start at once. Deferred events are safe in the inbox; only their answers wait.
 */
@Injectable()
export class LineIngressGate {
  private lastArrival = 0;
  private lastAdmitted = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** A webhook request arrived. */
  arrived(now = Date.now()): void {
    this.lastArrival = now;
  }

  /** How long a worker should wait before starting an event (0: start now). */
  holdOff(now = Date.now()): number {
    const { yieldMs, maxDeferMs } = this.config.line.ingressPriority;
    const sinceArrival = now - this.lastArrival;
    if (yieldMs === 0 || sinceArrival >= yieldMs || now - this.lastAdmitted >= maxDeferMs) {
      this.lastAdmitted = now;
      return 0;
    }
    return Math.min(yieldMs - sinceArrival, maxDeferMs - (now - this.lastAdmitted));
  }
}
