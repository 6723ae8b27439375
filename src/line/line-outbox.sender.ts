import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { requestContext } from '../common/request-context';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { backoffDelay } from '../llm/resilience/backoff';
import { LineApiClient, LineApiError } from './line-api.client';
import { LineOutboxRepository, type OutboxRow } from './line-outbox.repository';
import { newWorkerId, WorkLoop } from './work-loop';

/**
 * Sends the LINE outbox. A message goes out with its event's reply token while the token is fresh and unused
 * (free, and it lands as an answer); otherwise, or when the reply is refused, it is pushed with
 * `X-Line-Retry-Key` = the row's id, so however often a push is retried LINE delivers it once (a 409 means an
 * earlier try got through). Rate limits (429, honouring Retry-After), 5xx, timeouts and network errors back
 * off and retry; after the last attempt, or on a permanent error, the row stays 'failed', never deleted.
 */
@Injectable()
export class LineOutboxSender implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LineOutbox');
  readonly workerId = newWorkerId();
  private readonly loop: WorkLoop<OutboxRow>;
  private readonly inFlight = new Set<string>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: LineOutboxRepository,
    private readonly api: LineApiClient,
  ) {
    this.loop = new WorkLoop<OutboxRow>({
      concurrency: config.line.senderConcurrency,
      pollMs: config.line.pollMs,
      claim: (limit) => this.outbox.claim(this.workerId, limit, config.line.leaseSeconds),
      run: (row) => this.send(row),
      onError: (err) => this.logger.error({ msg: 'outbox sender error', error: (err as Error).message }),
    });
  }

  onApplicationBootstrap(): void {
    // Ingress-only instances (LINE_WORKER_CONCURRENCY=0) leave sending to the workers too.
    if (!this.config.line.channelSecret || this.config.line.workerConcurrency === 0) return;
    this.loop.start();
    this.heartbeat = setInterval(() => void this.renewLeases(), (this.config.line.leaseSeconds * 1000) / 3);
    this.heartbeat.unref();
  }

  nudge(): void {
    // Outside the caller's request context: the work that follows is not part of that request.
    requestContext.exit(() => this.loop.nudge());
  }

  whenIdle(): Promise<void> {
    return this.loop.whenIdle();
  }

  /** Lets sends in progress finish (each is bounded by LINE_API_TIMEOUT_MS); pending rows wait for the next start. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.flushBeforeStop(this.config.operations.shutdownDrainMs);
    await this.loop.stop();
  }

  /**
   * Shutdown hook: sends what is due now (answers the inbox worker just committed) for at most `maxMs`, so a
   * restart does not hold them back; whatever is left, or backing off, waits in the table for the next start.
   */
  private async flushBeforeStop(maxMs: number): Promise<void> {
    if (maxMs <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, maxMs);
    });
    this.loop.nudge();
    await Promise.race([this.loop.whenIdle(), deadline]);
    clearTimeout(timer);
  }

  private async send(row: OutboxRow): Promise<void> {
    this.inFlight.add(row.id);
    try {
      await this.attempt(row);
    } finally {
      this.inFlight.delete(row.id);
    }
  }

  private async attempt(row: OutboxRow): Promise<void> {
    const viaReply =
      !!row.replyToken &&
      !row.replyTokenUsedAt &&
      !!row.replyTokenExpiresAt &&
      row.replyTokenExpiresAt.getTime() > Date.now();
    const via = viaReply ? 'reply' : 'push';
    try {
      if (viaReply) {
        await this.outbox.markReplyTokenUsed(row.id, this.workerId);
        await this.api.reply(row.replyToken!, row.messages);
      } else {
        if (!row.toId)
          throw new LineApiError('no chat to push to and the reply token has expired', 400, 'http');
        await this.api.pushMessages(row.toId, row.messages, row.id);
      }
      await this.outbox.markSent(row.id, this.workerId, via, 200);
      this.logger.debug({ msg: 'line message sent', outboxId: row.id, via, attempt: row.attempts });
    } catch (err) {
      await this.failedAttempt(row, via, err);
    }
  }

  private async failedAttempt(row: OutboxRow, via: 'reply' | 'push', err: unknown): Promise<void> {
    const e =
      err instanceof LineApiError
        ? err
        : new LineApiError((err as Error).message ?? String(err), undefined, 'network');
    const log = {
      outboxId: row.id,
      via,
      attempt: row.attempts,
      status: e.status,
      lineRequestId: e.requestId,
    };

    if (via === 'push' && e.status === 409) {
      // The same retry key was accepted before (a retry after a lost answer): it is delivered.
      await this.outbox.markSent(row.id, this.workerId, 'push', 409);
      this.logger.debug({ msg: 'line push already accepted', ...log });
      return;
    }
    const outOfAttempts = row.attempts >= this.config.line.outboxMaxAttempts;
    if (via === 'reply' && !e.retryable && !outOfAttempts) {
      // The reply token was refused (expired, already used): push straight away instead.
      await this.outbox.retryLater(row.id, this.workerId, 0, e.status, e.message);
      this.logger.debug({ msg: 'line reply refused, pushing instead', ...log });
      this.loop.nudge();
      return;
    }
    if (!e.retryable || outOfAttempts) {
      await this.outbox.markFailed(row.id, this.workerId, e.status, e.message);
      this.logger.error({ msg: 'line message failed', ...log, error: e.message });
      return;
    }
    const delayMs = Math.max(backoffDelay(row.attempts, this.config.line.retry), e.retryAfterMs ?? 0);
    await this.outbox.retryLater(row.id, this.workerId, delayMs, e.status, e.message);
    this.logger.warn({ msg: 'line send failed, will retry', ...log, delayMs });
    setTimeout(() => this.loop.nudge(), delayMs + 10).unref();
  }

  private async renewLeases(): Promise<void> {
    try {
      await this.outbox.renewLeases(this.workerId, [...this.inFlight], this.config.line.leaseSeconds);
    } catch (err) {
      this.logger.warn({ msg: 'outbox lease renewal failed', error: (err as Error).message });
    }
  }
}
