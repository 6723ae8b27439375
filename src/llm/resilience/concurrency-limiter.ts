import { abortReason } from './backoff';

/**
 * Bounds how many calls run at once against one endpoint (a semaphore with a FIFO queue). Waiting callers can
 * give up through their AbortSignal. (Requests per second are RequestRateLimiter's, shared across instances.)
 */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];

  constructor(private readonly maxConcurrent: number) {}

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
    return release;
  }
}
