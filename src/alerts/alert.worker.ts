import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { SearchIndexerService } from '../matching/indexing/search-indexer.service';
import { AlertsService } from './alerts.service';

/**
 * Runs the alert check after the search index changed (a profile published or edited, an import) and on a
 * timer (a user whose day has passed gets the firms found since). One pass at a time per instance; instances
 * share the work through row locks, and the watermark row serialises the check itself.
 */
@Injectable()
export class AlertWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AlertWorker.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** Time spent since start in the check and in sending (the benchmark reads it). */
  readonly spent = { checkMs: 0, sendMs: 0 };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly alerts: AlertsService,
    private readonly indexer: SearchIndexerService,
  ) {}

  onApplicationBootstrap(): void {
    this.indexer.onIndexChanged(() => this.nudge());
    this.timer = setInterval(() => this.nudge(), this.config.alerts.checkMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Runs a pass now, or once more after the one running. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .then(() => undefined)
      .catch((err: Error) => this.logger.error({ msg: 'alert pass failed; will retry', error: err.message }))
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** One check and the sends it makes due; tests and the benchmark await it. */
  async pass(): Promise<{ matched: number; sent: number }> {
    const started = performance.now();
    const { matched } = await this.alerts.check();
    const checked = performance.now();
    const sent = this.stopped ? 0 : await this.alerts.sendDue();
    this.spent.checkMs += checked - started;
    this.spent.sendMs += performance.now() - checked;
    return { matched, sent };
  }

  /** Waits for the pass under way, then runs one to completion. */
  async runNow(): Promise<{ matched: number; sent: number }> {
    await this.running;
    return this.pass();
  }
}
