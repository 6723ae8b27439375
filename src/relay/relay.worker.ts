import { randomBytes } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Lang } from '../companies/company-profile.schema';
import { requestContext } from '../common/request-context';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LineApiClient, LineApiError } from '../line/line-api.client';
import { newWorkerId, WorkLoop } from '../line/work-loop';
import { LlmUnavailableError } from '../llm/llm.types';
import { backoffDelay } from '../llm/resilience/backoff';
import { isUnusable } from '../translation/translation-checks';
import { TranslationService } from '../translation/translation.service';
import { RelayDeliveryService } from './relay-delivery.service';
import {
  type RelayAttachment,
  type RelayMessage,
  RelayMessageRepository,
  type Translation,
} from './relay-message.repository';

type ClaimedMessage = RelayMessage & { readerLangs: Lang[] };

/** How often ready messages left undelivered are looked for. */
const RECOVERY_EVERY_MS = 5_000;

/** Attempts at fetching LINE content before the readers get a note instead. */
const CONTENT_ATTEMPTS = 6;

/**
 * Attempts (the message's claims, counting any made while the model was down) before a translation that keeps
 * coming back unusable gives way to the original with a note: with the default relay backoff (2 s doubling, up
 * to 60 s) about half a minute.
 */
const UNUSABLE_ATTEMPTS = 5;

/** The model answered, but not with a translation (see TranslationService: such results are not cached). */
class UnusableTranslation extends Error {
  override readonly name = 'UnusableTranslation';
  constructor(kinds: string[]) {
    super(`the translation was unusable (${[...new Set(kinds)].join(', ')})`);
  }
}

class WaitForModel extends Error {
  constructor(
    override readonly cause: Error,
    readonly done: Partial<Record<Lang, Translation>>,
    readonly retryAfterMs?: number,
  ) {
    super(cause.message);
  }
}

/**
 * The relay's worker: claims pending room messages (any room, oldest first, FOR UPDATE SKIP LOCKED under a
 * lease), fetches LINE content through the LINE API and stores it, translates text into every language its
 * readers read (the translation service applies the glossary, checks numbers and names, caches), records the
 * translations on the message, then has the room's ready messages delivered in order. Model and LINE calls
 * happen outside any transaction. Without a model: the original goes out with a localized note, or (when
 * RELAY_WITHOUT_LLM=wait and a model is configured but failing) the message waits with backoff, and the room's
 * later messages wait behind it, so nothing is lost and order holds. A translation that comes back as garbage or in
 * the wrong language counts as such a failure, for a bounded number of attempts.
 */
@Injectable()
export class RelayWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Relay');
  readonly workerId = newWorkerId();
  private readonly loop: WorkLoop<ClaimedMessage>;
  private readonly inFlight = new Map<string, AbortController>();
  private heartbeat: NodeJS.Timeout | undefined;
  private stopping = false;
  private lastRecovery = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly messages: RelayMessageRepository,
    private readonly translation: TranslationService,
    private readonly line: LineApiClient,
    private readonly delivery: RelayDeliveryService,
  ) {
    this.loop = new WorkLoop<ClaimedMessage>({
      concurrency: config.relay.workerConcurrency,
      pollMs: config.relay.pollMs,
      claim: (limit) => this.claim(limit),
      run: (message) => this.process(message),
      onError: (err) => this.logger.error({ msg: 'relay worker error', error: (err as Error).message }),
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.relay.workerConcurrency === 0) return;
    this.loop.start();
    this.heartbeat = setInterval(() => void this.renewLeases(), (this.config.relay.leaseSeconds * 1000) / 3);
    this.heartbeat.unref();
  }

  /** New messages were queued: start on them now rather than at the next poll. */
  nudge(): void {
    requestContext.exit(() => this.loop.nudge());
  }

  whenIdle(): Promise<void> {
    return this.loop.whenIdle();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.heartbeat);
    // Model calls in progress are abandoned; their messages go back to the queue for the next start.
    const abandoned = [...this.inFlight.keys()];
    for (const controller of this.inFlight.values()) controller.abort(new Error('shutting down'));
    await this.loop.stop();
    await this.messages.release(this.workerId, abandoned).catch(() => undefined);
  }

  private async claim(limit: number): Promise<ClaimedMessage[]> {
    if (Date.now() - this.lastRecovery >= RECOVERY_EVERY_MS) {
      // Ready but undelivered for a while (a crash or a failed delivery between translating and delivering, here
      // or on another instance): deliver those rooms first.
      this.lastRecovery = Date.now();
      for (const roomId of await this.messages.roomsWithReadyMessages()) await this.delivery.deliver(roomId);
    }
    return this.messages.claim(this.workerId, limit, this.config.relay.leaseSeconds);
  }

  private async process(message: ClaimedMessage): Promise<void> {
    const controller = new AbortController();
    this.inFlight.set(message.id, controller);
    const started = Date.now();
    try {
      const attachment = await this.fetchContent(message, controller.signal);
      if (attachment === 'retry') return;
      let translations: Partial<Record<Lang, Translation>>;
      try {
        translations = await this.translate(message, controller.signal);
      } catch (err) {
        if (!(err instanceof WaitForModel)) throw err;
        if (this.stopping) return;
        const delayMs = Math.max(
          backoffDelay(message.attempts, this.config.relay.retry),
          Math.min(err.retryAfterMs ?? 0, this.config.relay.retry.maxDelayMs),
        );
        await this.messages.retryLater(
          message.id,
          this.workerId,
          delayMs,
          `${err.cause.name}: ${err.message}`,
          {
            translations: err.done,
            attachment,
          },
        );
        this.logger.warn({
          msg: 'relay waits for a model',
          messageId: message.id,
          roomId: message.roomId,
          delayMs,
        });
        setTimeout(() => this.nudge(), delayMs + 10).unref();
        return;
      }
      if (!(await this.messages.markReady(message.id, this.workerId, { translations, attachment }))) {
        this.logger.warn({ msg: 'relay lease lost', messageId: message.id });
        return;
      }
      this.logger.debug({
        msg: 'room message ready',
        messageId: message.id,
        roomId: message.roomId,
        translations: Object.keys(translations).length,
        ms: Date.now() - started,
      });
      await this.delivery.deliver(message.roomId);
    } catch (err) {
      if (this.stopping) return;
      const delayMs = backoffDelay(message.attempts, this.config.relay.retry);
      this.logger.error({
        msg: 'room message failed, will retry',
        messageId: message.id,
        error: (err as Error).name,
        delayMs,
      });
      await this.messages
        .retryLater(message.id, this.workerId, delayMs, (err as Error).message)
        .catch(() => undefined);
      setTimeout(() => this.nudge(), delayMs + 10).unref();
    } finally {
      this.inFlight.delete(message.id);
    }
  }

  /** LINE images and files are fetched through the LINE API and stored, to be re-sent to every reader. */
  private async fetchContent(
    message: RelayMessage,
    signal: AbortSignal,
  ): Promise<RelayAttachment | undefined | 'retry'> {
    const a = message.attachment;
    if (!a?.lineMessageId || a.fileId || a.failed) return undefined;
    try {
      const { bytes, contentType } = await this.line.getMessageContent(
        a.lineMessageId,
        this.config.relay.uploadMaxBytes,
      );
      if (signal.aborted) return 'retry';
      const token = randomBytes(18).toString('base64url');
      const fileId = await this.messages.insertFile({
        roomId: message.roomId,
        name: a.name,
        contentType,
        bytes,
        token,
      });
      return { ...a, lineMessageId: undefined, fileId, fileToken: token, contentType, size: bytes.length };
    } catch (err) {
      const e = err instanceof LineApiError ? err : undefined;
      const retryable = e ? e.retryable : true;
      if (retryable && message.attempts < CONTENT_ATTEMPTS && !this.stopping) {
        const delayMs = Math.max(
          backoffDelay(message.attempts, this.config.relay.retry),
          e?.retryAfterMs ?? 0,
        );
        await this.messages.retryLater(message.id, this.workerId, delayMs, (err as Error).message);
        setTimeout(() => this.nudge(), delayMs + 10).unref();
        return 'retry';
      }
      this.logger.warn({ msg: 'room attachment not relayed', messageId: message.id, status: e?.status });
      return { ...a, failed: true };
    }
  }

  /**
   * Translations into each language the message's readers read that it lacks. A model that is not configured
   * at all means "original with a note"; one that fails means that too, or waiting, per RELAY_WITHOUT_LLM.
   */
  private async translate(
    message: ClaimedMessage,
    signal: AbortSignal,
  ): Promise<Partial<Record<Lang, Translation>>> {
    const done: Partial<Record<Lang, Translation>> = {};
    if (message.kind !== 'text' || !message.text || !message.lang) return done;
    const source = message.text;
    const from = message.lang;
    const targets = message.readerLangs.filter((l) => l !== from && !message.translations[l]);
    const results = await Promise.allSettled(
      targets.map((to) => this.translation.translate({ text: source, from, to, context: 'message', signal })),
    );
    let failure: { error: Error; retryAfterMs?: number } | undefined;
    results.forEach((r, i) => {
      const to = targets[i];
      if (r.status === 'fulfilled') {
        const t = r.value;
        if (!isUnusable(t.violations)) {
          // Flagged for a minor problem only (a glossary form, a number, a cut-off end) after the service's own
          // retry: still far more use to the reader than the original in a language they may not read, so it is
          // delivered, marked as an unverified machine translation, with the original one tap away.
          done[to] = {
            text: t.translation,
            ...(t.model ? { model: t.model } : {}),
            ...(t.flagged ? { flagged: true } : {}),
          };
          return;
        }
        // Not a translation at all (another language, garbage): the model is answering but broken, which for this
        // message is an outage. With RELAY_WITHOUT_LLM=wait the message is held and retried with the same backoff
        // (the result was not cached, so a retry asks again), but only a bounded number of times: the same text
        // may keep failing while the model is otherwise fine, and the room waits behind it. Then, or at once with
        // original-with-note, the reader gets the original with the localized "translation unavailable" note.
        this.logger.warn({
          msg: 'relay translation unusable',
          messageId: message.id,
          to,
          violations: t.violations.map((v) => v.kind),
          attempts: message.attempts,
        });
        if (this.config.relay.withoutLlm === 'original-with-note' || message.attempts >= UNUSABLE_ATTEMPTS) {
          done[to] = { text: source, unavailable: true };
          return;
        }
        failure ??= { error: new UnusableTranslation(t.violations.map((v) => v.kind)) };
        return;
      }
      const error = r.reason as Error;
      if (signal.aborted) throw error;
      const notConfigured = error instanceof LlmUnavailableError && error.reason === 'not-configured';
      if (notConfigured || this.config.relay.withoutLlm === 'original-with-note') {
        done[to] = { text: source, unavailable: true };
        return;
      }
      failure ??= {
        error,
        retryAfterMs: error instanceof LlmUnavailableError ? error.retryAfterMs : undefined,
      };
    });
    if (failure) throw new WaitForModel(failure.error, done, failure.retryAfterMs);
    return done;
  }

  private async renewLeases(): Promise<void> {
    try {
      await this.messages.renewLeases(
        this.workerId,
        [...this.inFlight.keys()],
        this.config.relay.leaseSeconds,
      );
    } catch (err) {
      this.logger.warn({ msg: 'relay lease renewal failed', error: (err as Error).message });
    }
  }
}
