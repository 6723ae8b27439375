import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { requestContext } from '../common/request-context';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PG_POOL } from '../database/database.tokens';
import { withTransaction } from '../database/transaction';
import { backoffDelay } from '../llm/resilience/backoff';
import { LineEventHandler } from './line-event.handler';
import { type InboxRow, LineInboxRepository } from './line-inbox.repository';
import { LineIngressGate } from './line-ingress-gate';
import { LineOutboxRepository } from './line-outbox.repository';
import { LineOutboxSender } from './line-outbox.sender';
import { newWorkerId, WorkLoop } from './work-loop';

/**
 * Drains the LINE inbox: claims events (oldest first, one at a time per conversation), has the event handler
 * work out the answer, then in ONE short transaction marks the event handled and queues the answer in the
 * outbox. The handler's network calls (LINE, the engine, a model) happen before that transaction, never inside.
 * A failed event is retried with backoff; after the last attempt it stays 'failed' and the user gets an apology.
 */
@Injectable()
export class LineInboxWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LineInbox');
  readonly workerId = newWorkerId();
  private readonly loop: WorkLoop<InboxRow>;
  private readonly inFlight = new Map<string, AbortController>();
  private heartbeat: NodeJS.Timeout | undefined;
  private housekeeping: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly inbox: LineInboxRepository,
    private readonly outbox: LineOutboxRepository,
    private readonly handler: LineEventHandler,
    private readonly sender: LineOutboxSender,
    gate: LineIngressGate,
  ) {
    this.loop = new WorkLoop<InboxRow>({
      concurrency: config.line.workerConcurrency,
      pollMs: config.line.pollMs,
      claim: (limit) => this.inbox.claim(this.workerId, limit, config.line.leaseSeconds),
      run: (row) => this.process(row),
      onError: (err) => this.logger.error({ msg: 'inbox worker error', error: (err as Error).message }),
      holdOff: () => gate.holdOff(),
    });
  }

  onApplicationBootstrap(): void {
    if (!this.config.line.channelSecret || this.config.line.workerConcurrency === 0) return;
    this.loop.start();
    // Renew leases well before they run out, so a long model call is not mistaken for a dead worker.
    this.heartbeat = setInterval(() => void this.renewLeases(), (this.config.line.leaseSeconds * 1000) / 3);
    this.heartbeat.unref();
    this.housekeeping = setInterval(() => void this.purgeOld(), 3_600_000);
    this.housekeeping.unref();
  }

  /** Events were stored: start on them now rather than at the next poll. */
  nudge(): void {
    // Outside the caller's request context: the work that follows is not part of that request.
    requestContext.exit(() => this.loop.nudge());
  }

  /** Resolves when this instance has nothing running (the inbox may still hold events not yet due). */
  whenIdle(): Promise<void> {
    return this.loop.whenIdle();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.heartbeat);
    clearInterval(this.housekeeping);
    // Abort engine work in progress; the aborted events go back to 'pending' for the next instance or start.
    for (const controller of this.inFlight.values()) controller.abort(new Error('shutting down'));
    await this.loop.stop();
  }

  private async process(row: InboxRow): Promise<void> {
    const controller = new AbortController();
    this.inFlight.set(row.id, controller);
    try {
      await requestContext.run({ conversationId: row.conversationKey }, () =>
        this.handleRow(row, controller.signal),
      );
    } finally {
      this.inFlight.delete(row.id);
    }
  }

  private async handleRow(row: InboxRow, signal: AbortSignal): Promise<void> {
    const started = Date.now();
    let outcome;
    try {
      outcome = await this.handler.handle(row, signal);
    } catch (err) {
      if (this.stopping) {
        await this.inbox.release(this.workerId, [row.id]).catch(() => undefined);
        return;
      }
      await this.failedAttempt(row, err as Error);
      return;
    }
    const committed = await withTransaction(this.pool, async (client) => {
      if (!(await this.inbox.complete(client, row.id, this.workerId, outcome.status))) return false;
      await this.outbox.insert(client, row.id, outcome.outbox);
      return true;
    });
    if (!committed) {
      // Our lease ran out and another worker took the event: its answer is theirs to send.
      this.logger.warn({ msg: 'inbox lease lost', inboxId: row.id, eventType: row.eventType });
      return;
    }
    if (outcome.outbox.length > 0) this.sender.nudge();
    this.logger.debug({
      msg: 'line event handled',
      inboxId: row.id,
      eventType: row.eventType,
      status: outcome.status,
      messages: outcome.outbox.length,
      ms: Date.now() - started,
    });
  }

  private async failedAttempt(row: InboxRow, err: Error): Promise<void> {
    const error = `${err.name}: ${err.message}`;
    if (row.attempts < this.config.line.inboxMaxAttempts) {
      const delayMs = backoffDelay(row.attempts, this.config.line.retry);
      this.logger.warn({
        msg: 'line event failed, will retry',
        inboxId: row.id,
        attempt: row.attempts,
        delayMs,
        error,
      });
      await this.inbox.retryLater(row.id, this.workerId, delayMs, error);
      setTimeout(() => this.loop.nudge(), delayMs + 10).unref();
      return;
    }
    this.logger.error({ msg: 'line event failed for good', inboxId: row.id, attempts: row.attempts, error });
    // The user still hears back (an apology; staff see the failed row), in the same transaction as the verdict.
    const notice = await this.handler.failureNotice(row).catch(() => []);
    await withTransaction(this.pool, async (client) => {
      if (await this.inbox.fail(client, row.id, this.workerId, error))
        await this.outbox.insert(client, row.id, notice);
    });
    if (notice.length > 0) this.sender.nudge();
  }

  /** Hourly: handled events and sent messages past the retention period go, in small batches. */
  async purgeOld(batch = 1000): Promise<{ events: number; messages: number }> {
    const days = this.config.line.retentionDays;
    const purged = { events: 0, messages: 0 };
    try {
      let n: number;
      do {
        n = await this.outbox.purgeSent(days, batch);
        purged.messages += n;
      } while (n === batch && !this.stopping);
      do {
        n = await this.inbox.purgeHandled(days, batch);
        purged.events += n;
      } while (n === batch && !this.stopping);
      if (purged.events + purged.messages > 0)
        this.logger.log({ msg: 'line queues purged', ...purged, days });
    } catch (err) {
      this.logger.warn({ msg: 'line queue purge failed', error: (err as Error).message });
    }
    return purged;
  }

  private async renewLeases(): Promise<void> {
    try {
      await this.inbox.renewLeases(this.workerId, [...this.inFlight.keys()], this.config.line.leaseSeconds);
    } catch (err) {
      this.logger.warn({ msg: 'inbox lease renewal failed', error: (err as Error).message });
    }
  }
}
