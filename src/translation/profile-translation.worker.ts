import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { CompaniesService } from '../companies/companies.service';
import { LANGS, LOCALIZED_FIELDS } from '../companies/company-profile.schema';
import type { CompanyRecord } from '../companies/company.model';
import { CompanyRepository } from '../companies/company.repository';
import { APP_CONFIG, type AppConfig, type Lang } from '../config/app-config';
import { requestContext } from '../common/request-context';
import { LlmService } from '../llm/llm.service';
import { LlmCallError, LlmUnavailableError } from '../llm/llm.types';
import {
  type ClaimedJob,
  type Fill,
  type LocalizedField,
  ProfileTranslationRepository,
} from './profile-translation.repository';
import { TranslationService } from './translation.service';

const POLL_MS = 5000;
const LOCK_MS = 10 * 60_000;
const PARALLEL_JOBS = 2;
const MAX_ATTEMPTS = 5;
const ENQUEUE_BATCH_MS = 100;

/** One missing language of one localized field, and the text it is translated from. */
export interface PlannedFill {
  field: LocalizedField;
  lang: Lang;
  sourceLang: Lang;
  source: string | string[];
}

/**
 * Fills the missing languages of saved profiles (names, summary, description, offerings, seeking, location) in
 * the background. Jobs are rows in profile_translation_jobs, so work survives a restart and several instances
 * share it. Results are marked machine-translated ('names.ja') for staff review, and the profile's change is
 * announced on CompaniesService.changes so the matching index refreshes. Only the public profile is read:
 * contact data never enters this path. With no LLM configured the worker does nothing (and says so once).
 */
@Injectable()
export class ProfileTranslationWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ProfileTranslation');
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private enqueueTimer: NodeJS.Timeout | undefined;
  private readonly toEnqueue = new Set<string>();
  /** Profiles this worker just wrote: their change event must not queue them again. */
  private readonly ownWrites = new Set<string>();
  private runners = 0;
  private stopped = false;
  private readonly abort = new AbortController();
  private readonly active = new Set<ClaimedJob>();
  private idle: Promise<void> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly llm: LlmService,
    private readonly translation: TranslationService,
    private readonly jobs: ProfileTranslationRepository,
    private readonly companies: CompanyRepository,
    private readonly companiesService: CompaniesService,
  ) {}

  get enabled(): boolean {
    return this.llm.configured && this.config.llm.autoTranslateProfiles;
  }

  onApplicationBootstrap(): void {
    if (!this.llm.configured) {
      this.logger.log({ msg: 'profile auto-translation is off: no LLM configured (provider none)' });
      return;
    }
    if (!this.config.llm.autoTranslateProfiles) {
      this.logger.log({ msg: 'profile auto-translation is off (LLM_AUTO_TRANSLATE_PROFILES=false)' });
      return;
    }
    this.subscription = this.companiesService.changes.subscribe((externalId) => this.onChange(externalId));
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
    // Profiles saved before this start (or while no model was configured) are queued once.
    setImmediate(() => {
      this.jobs
        .sweep()
        .then((n) => {
          if (n > 0) this.logger.log({ msg: 'profiles queued for auto-translation', count: n });
          this.wake();
        })
        .catch((err: Error) =>
          this.logger.warn({ msg: 'auto-translation sweep failed', error: err.message }),
        );
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    if (this.timer) clearInterval(this.timer);
    if (this.enqueueTimer) clearTimeout(this.enqueueTimer);
    this.abort.abort(new Error('shutting down'));
    await this.idle;
    for (const job of this.active) await this.jobs.release(job).catch(() => undefined);
  }

  /** Starts job runners if there is capacity (called on a timer and after enqueues). */
  wake(): void {
    if (this.stopped) return;
    while (this.runners < PARALLEL_JOBS) {
      this.runners++;
      const run = this.runLoop().finally(() => this.runners--);
      this.idle = Promise.all([this.idle, run]).then(() => undefined);
    }
  }

  private onChange(externalId: string): void {
    if (this.ownWrites.delete(externalId)) return;
    this.toEnqueue.add(externalId);
    this.enqueueTimer ??= setTimeout(() => {
      this.enqueueTimer = undefined;
      const ids = [...this.toEnqueue];
      this.toEnqueue.clear();
      this.jobs
        .enqueue(ids)
        .then(() => this.wake())
        .catch((err: Error) =>
          this.logger.warn({ msg: 'auto-translation enqueue failed', error: err.message }),
        );
    }, ENQUEUE_BATCH_MS);
  }

  private async runLoop(): Promise<void> {
    while (!this.stopped) {
      let job: ClaimedJob | undefined;
      try {
        job = await this.jobs.claim(LOCK_MS);
      } catch (err) {
        if (!this.stopped)
          this.logger.warn({ msg: 'auto-translation claim failed', error: (err as Error).message });
        return;
      }
      if (!job) return;
      this.active.add(job);
      try {
        await requestContext.run({ requestId: `auto-translate:${job.externalId}` }, () => this.process(job));
        this.active.delete(job);
      } catch (err) {
        if (this.stopped) return; // released in onModuleDestroy
        this.active.delete(job);
        await this.failed(job, err);
      }
    }
  }

  private async process(job: ClaimedJob): Promise<void> {
    const started = Date.now();
    const record = await this.companies.findByExternalId(job.externalId);
    if (!record || record.status === 'archived') return this.jobs.complete(job, []);
    const plan = planFills(record);
    if (plan.length === 0) return this.jobs.complete(job, []);
    const fills: Fill[] = [];
    for (const p of plan) {
      if (this.stopped) throw new Error('stopped');
      const value = Array.isArray(p.source)
        ? (await this.translation.translateList(p.source, p.sourceLang, p.lang, this.abort.signal)).items
        : (
            await this.translation.translate({
              text: p.source,
              from: p.sourceLang,
              to: p.lang,
              context: p.field === 'names' || p.field === 'location' ? 'name' : 'profile',
              signal: this.abort.signal,
            })
          ).translation;
      fills.push({ ...p, value });
    }
    this.ownWrites.add(job.externalId);
    const written = await this.jobs.applyFills(job.externalId, fills);
    if (written.length > 0) this.companiesService.changes.next(job.externalId);
    else this.ownWrites.delete(job.externalId);
    await this.jobs.complete(job, written);
    this.logger.log({
      msg: 'profile auto-translated',
      externalId: job.externalId,
      filled: written,
      ms: Date.now() - started,
    });
  }

  private async failed(job: ClaimedJob, err: unknown): Promise<void> {
    const providerDown = err instanceof LlmUnavailableError;
    const reason =
      err instanceof LlmUnavailableError
        ? `unavailable: ${err.reason}`
        : err instanceof LlmCallError
          ? `llm: ${err.kind}`
          : `error: ${(err as Error)?.name ?? 'unknown'}`;
    const giveUp = !providerDown && job.attempts >= MAX_ATTEMPTS;
    const delay = providerDown
      ? Math.max(err.retryAfterMs ?? 30_000, 5_000)
      : Math.min(30 * 60_000, 30_000 * 2 ** (job.attempts - 1));
    this.logger.warn({ msg: 'profile auto-translation failed', externalId: job.externalId, reason, giveUp });
    if (!(err instanceof LlmUnavailableError || err instanceof LlmCallError)) {
      this.logger.error({
        msg: 'profile auto-translation error',
        externalId: job.externalId,
        error: (err as Error)?.message,
      });
    }
    await this.jobs
      .fail(job, reason, giveUp ? undefined : new Date(Date.now() + delay), !providerDown)
      .catch((e: Error) =>
        this.logger.warn({ msg: 'auto-translation job state not saved', error: e.message }),
      );
  }
}

/**
 * What to translate for a profile: every language missing from a localized field that has some text,
 * translated from the best source (a human-written one: the company's own language first, then English).
 */
export function planFills(record: CompanyRecord): PlannedFill[] {
  const native: Lang = record.country === 'JP' ? 'ja' : 'th';
  const preference: Lang[] = [native, 'en', ...LANGS.filter((l) => l !== native && l !== 'en')];
  const plan: PlannedFill[] = [];
  for (const field of LOCALIZED_FIELDS) {
    const value = (record as unknown as Record<string, Partial<Record<Lang, string | string[]>> | undefined>)[
      field
    ];
    if (!value) continue;
    const present = LANGS.filter((l) => {
      const v = value[l];
      return Array.isArray(v) ? v.length > 0 : typeof v === 'string' && v.trim() !== '';
    });
    if (present.length === 0 || present.length === LANGS.length) continue;
    const human = present.filter((l) => !record.machineTranslated.includes(`${field}.${l}`));
    const candidates = human.length > 0 ? human : present;
    const sourceLang = preference.find((l) => candidates.includes(l))!;
    for (const lang of LANGS) {
      if (present.includes(lang)) continue;
      plan.push({ field, lang, sourceLang, source: value[sourceLang]! });
    }
  }
  return plan;
}
