import { randomUUID } from 'node:crypto';
import * as os from 'node:os';

/** Identifies one worker's claims in the inbox and outbox (host, pid, and a per-start nonce). */
export function newWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Keeps up to `concurrency` jobs running: claims work when there is room, runs it, and claims again when a
 * job ends or `nudge()` says new work arrived (a webhook stored events, a send is due). A timer polls as well,
 * for work queued by other instances and retries that came due. Claiming is serialized so two claims never
 * race inside one process (the database's SKIP LOCKED handles races between processes).
 */
export interface WorkLoopOptions<T> {
  concurrency: number;
  pollMs: number;
  claim(limit: number): Promise<T[]>;
  run(item: T): Promise<void>;
  onError(err: unknown): void;
  /** Milliseconds to hold off before starting more work (0: go now); the loop looks again after that. */
  holdOff?: () => number;
}

export class WorkLoop<T> {
  private running = false;
  private active = 0;
  private claiming: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly jobs = new Set<Promise<void>>();
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: WorkLoopOptions<T>) {}

  start(): void {
    if (this.running || this.options.concurrency <= 0) return;
    this.running = true;
    this.timer = setInterval(() => this.nudge(), this.options.pollMs);
    this.timer.unref();
    this.nudge();
  }

  /** New work may be waiting: claim now if there is room. */
  nudge(): void {
    if (!this.running) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = this.fill().finally(() => {
      this.claiming = undefined;
      this.notifyIdle();
    });
  }

  /** Jobs running right now. */
  get inFlight(): number {
    return this.active;
  }

  /** Stops claiming and waits for running jobs (callers abort them first if they must not finish). */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    clearTimeout(this.retryTimer);
    await this.claiming;
    await Promise.allSettled([...this.jobs]);
  }

  /** Resolves once nothing is running or being claimed (tests and benchmarks). */
  whenIdle(): Promise<void> {
    if (this.active === 0 && !this.claiming) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async fill(): Promise<void> {
    try {
      do {
        this.again = false;
        while (this.running && this.active < this.options.concurrency) {
          const wait = this.options.holdOff?.() ?? 0;
          if (wait > 0) {
            this.lookAgainIn(wait);
            break;
          }
          const items = await this.options.claim(this.options.concurrency - this.active);
          if (items.length === 0) break;
          for (const item of items) this.launch(item);
        }
      } while (this.again && this.running);
    } catch (err) {
      this.options.onError(err);
    }
  }

  private lookAgainIn(ms: number): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.nudge();
    }, ms);
    this.retryTimer.unref();
  }

  private launch(item: T): void {
    this.active++;
    const job = this.options
      .run(item)
      .catch((err) => this.options.onError(err))
      .finally(() => {
        this.active--;
        this.jobs.delete(job);
        // The next event of the same conversation may have become claimable.
        this.nudge();
        this.notifyIdle();
      });
    this.jobs.add(job);
  }

  private notifyIdle(): void {
    if (this.active > 0 || this.claiming) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
