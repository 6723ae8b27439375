import { abortReason } from './backoff';

/**
 * Bounds how many calls run at once against one endpoint (a semaphore with a FIFO queue), and optionally how
 * many may start per second (Typhoon's API allows 5). Waiting callers can give up through their AbortSignal.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private nextStartAt = 0;

  constructor(
    private readonly maxConcurrent: number,
    private readonly maxPerSecond = 0,
    private readonly now: () => number = Date.now,
  ) {}

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Waits for a slot; returns the function that frees it (call it exactly once). */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) throw abortReason(signal);
    if (this.active < this.maxConcurrent && this.waiting.length === 0) {
      this.active++;
    } else {
      await new Promise<void>((resolve, reject) => {
        const entry = {
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
          reject,
        };
        const onAbort = () => {
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(abortReason(signal!));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(entry);
      });
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` stays the same.
      if (next) next.resolve();
      else this.active--;
    };
    if (this.maxPerSecond > 0) {
      try {
        await this.pace(signal);
      } catch (err) {
        release();
        throw err;
      }
    }
    return release;
  }

  private async pace(signal?: AbortSignal): Promise<void> {
    const interval = 1000 / this.maxPerSecond;
    const now = this.now();
    const startAt = Math.max(now, this.nextStartAt);
    this.nextStartAt = startAt + interval;
    const wait = startAt - now;
    if (wait <= 0) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, wait);
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
