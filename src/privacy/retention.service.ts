import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MetricsService } from '../observability/metrics.service';
import { type PurgeKind, RetentionRepository } from './retention.repository';

/** Batches per kind in one run, so one run stays short even after retention was lowered a lot. */
const MAX_BATCHES_PER_RUN = 200;
const FIRST_RUN_DELAY_MS = 60_000;

/**
 * Purges what is past its retention period (RETENTION_*_DAYS; 0 keeps forever) every
 * RETENTION_INTERVAL_MINUTES: old conversations with their messages, chat users gone quiet, LLM call records,
 * unused translations. (Finished LINE events and sent messages follow LINE_RETENTION_DAYS, purged by the LINE
 * worker.) Each batch is one short DELETE of rows locked
 * with SKIP LOCKED, so several instances may run it at once and no transaction is held long.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Retention');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<Record<string, number>> | undefined;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: RetentionRepository,
    private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    const minutes = this.config.operations.retention.intervalMinutes;
    if (minutes === 0) return;
    const schedule = (ms: number) => {
      this.timer = setTimeout(() => {
        void this.runOnce()
          .catch((err: Error) => this.logger.error({ msg: 'retention run failed', error: err.message }))
          .finally(() => {
            if (!this.stopped) schedule(minutes * 60_000);
          });
      }, ms);
      this.timer.unref();
    };
    schedule(Math.min(FIRST_RUN_DELAY_MS, minutes * 60_000));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass over every kind; returns rows deleted per table. */
  runOnce(): Promise<Record<string, number>> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<Record<string, number>> {
    const r = this.config.operations.retention;
    const plan: Array<[PurgeKind, number]> = [
      ['conversations', r.conversationDays],
      ['chatUsers', r.conversationDays],
      ['translations', r.conversationDays],
      ['llmCalls', r.llmCallDays],
    ];
    const deleted: Record<string, number> = {};
    for (const [kind, days] of plan) {
      if (days <= 0) continue;
      const table = this.repository.tableOf(kind);
      let total = 0;
      for (let batch = 0; batch < MAX_BATCHES_PER_RUN && !this.stopped; batch++) {
        const n = await this.repository.purgeBatch(kind, days, r.batchSize);
        total += n;
        if (n < r.batchSize) break;
      }
      deleted[table] = (deleted[table] ?? 0) + total;
      if (total > 0) this.metrics.retentionPurged.inc({ table }, total);
    }
    const sum = Object.values(deleted).reduce((a, b) => a + b, 0);
    if (sum > 0) this.logger.log({ msg: 'retention purge', deleted });
    return deleted;
  }
}
