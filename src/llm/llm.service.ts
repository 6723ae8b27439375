import { Inject, Injectable, Logger } from '@nestjs/common';
import type { z } from 'zod';
import { APP_CONFIG, type AppConfig, type Lang, type LlmEndpointConfig } from '../config/app-config';
import { requestContext } from '../common/request-context';
import {
  CHAT_TRANSPORT,
  type ChatMessage,
  type ChatRequest,
  type ChatTransport,
  TransportError,
} from './chat-transport';
import { type LlmCallOutcome, LlmCallRepository } from './llm-call.repository';
import {
  type ExtractOptions,
  type ExtractResult,
  type FollowUp,
  type LlmCallErrorKind,
  type AnswerVerdict,
  type CompleteOptions,
  type LlmCallOptions,
  type LlmCompletion,
  type LlmTask,
  type PromptVars,
  LlmCallError,
  LlmUnavailableError,
} from './llm.types';
import { redactUnseenContacts } from './output-guard';
import { PromptRegistry, type RenderedPrompt } from './prompt-registry';
import { backoffDelay, sleep } from './resilience/backoff';
import { CircuitBreaker, type CircuitState } from './resilience/circuit-breaker';
import { ConcurrencyLimiter } from './resilience/concurrency-limiter';
import { type ParseOutcome, parseStructured } from './structured-output';

/** Per endpoint origin: what bounds and protects calls to that server. */
interface Channel {
  origin: string;
  limiter: ConcurrencyLimiter;
  breaker: CircuitBreaker;
}

interface AttemptContext {
  rendered: RenderedPrompt;
  endpoint: LlmEndpointConfig;
  channel: Channel;
  options: LlmCallOptions;
  messages: ChatMessage[];
  maxTokens: number;
  temperature: number;
  started: number;
  streamed: boolean;
}

/**
 * Judges a streamed answer as it is written: `text` is everything received so far, `done` says it is complete,
 * `instructions` is the system prompt the model was given. Returns why the text must not be used, or undefined.
 */
export type OutputJudge = (text: string, done: boolean, instructions: string) => string | undefined;

export interface StreamOptions extends LlmCallOptions {
  /**
   * Checked before each delta is yielded and once more on the whole answer. A rejection ends the call: the request
   * is cancelled, it counts against the endpoint's circuit breaker like a failed call (an endpoint answering
   * garbage is as broken as one answering 500), it is recorded as `invalid_output` with error kind
   * `rejected_output:<reason>`, and LlmCallError('invalid-output') is thrown. Not retried: the caller has a
   * rule-based answer and the user is waiting.
   */
  judge?: OutputJudge;
}

export interface EndpointStatus {
  origin: string;
  model: string;
  outputLangs: Array<Lang | 'default'>;
  circuit: CircuitState;
  running: number;
  queued: number;
}

/**
 * The product's way to ask a language model. Everything else (chat engine, deal-room relay, translation,
 * match explanations) calls these four methods in product terms; no caller sees LangChain or HTTP.
 *
 * - `complete(task, vars, { outputLang })` → the whole answer.
 * - `stream(task, vars, { outputLang })` → an async generator of text deltas; its return value is the
 *   completion (model, tokens, latency).
 * - `extract(task, vars, zodSchema, { fallback })` → a value matching the schema; invalid JSON is repaired
 *   or asked again once, then `fallback` (the rule-based path) answers instead of failing the user's turn.
 * - `isAvailable(outputLang?)` → whether a call could be made now (configured, circuit not open).
 *
 * Errors are two classes: `LlmUnavailableError` (provider none, or circuit open: degrade gracefully) and
 * `LlmCallError` (the model was tried and failed: timeout, rate limit, server error, ...).
 *
 * Around each call: the prompt file is rendered (`prompts/<task>.md`), the endpoint is chosen by output
 * language, a concurrency slot is taken on that endpoint, and failures are retried with exponential backoff and
 * jitter (honouring Retry-After) up to LLM_MAX_RETRIES; consecutive outages open the endpoint's circuit. Every
 * call is recorded (task, model, prompt version, latency, tokens, outcome) without any text.
 */
@Injectable()
export class LlmService {
  private readonly logger = new Logger('Llm');
  private readonly channels = new Map<string, Channel>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CHAT_TRANSPORT) private readonly transport: ChatTransport,
    private readonly prompts: PromptRegistry,
    private readonly calls: LlmCallRepository,
  ) {}

  /** True when a model is configured for this output language and its endpoint is not failing fast. */
  isAvailable(outputLang?: Lang): boolean {
    const endpoint = this.endpointFor(outputLang);
    if (!endpoint) return false;
    return this.channelFor(endpoint).breaker.currentState !== 'open';
  }

  /** True when any model is configured at all (provider is not `none`). */
  get configured(): boolean {
    return Boolean(this.config.llm.default) || Object.keys(this.config.llm.byOutputLang).length > 0;
  }

  /** The model that would write text in this language, or undefined (provider none for it). */
  modelFor(outputLang?: Lang): string | undefined {
    return this.endpointFor(outputLang)?.model;
  }

  /** The version (content hash) of a task's prompt; part of cache keys. */
  promptVersion(task: LlmTask): string {
    return this.prompts.get(task).version;
  }

  /** Endpoints and their circuit state, for readiness and the staff console. */
  status(): EndpointStatus[] {
    const byOrigin = new Map<string, EndpointStatus>();
    const add = (lang: Lang | 'default', e: LlmEndpointConfig | undefined) => {
      if (!e) return;
      const channel = this.channelFor(e);
      const existing = byOrigin.get(`${channel.origin} ${e.model}`);
      if (existing) existing.outputLangs.push(lang);
      else
        byOrigin.set(`${channel.origin} ${e.model}`, {
          origin: channel.origin,
          model: e.model,
          outputLangs: [lang],
          circuit: channel.breaker.currentState,
          running: channel.limiter.running,
          queued: channel.limiter.queued,
        });
    };
    add('default', this.config.llm.default);
    for (const [lang, e] of Object.entries(this.config.llm.byOutputLang)) add(lang as Lang, e);
    return [...byOrigin.values()];
  }

  async complete(
    task: LlmTask,
    vars: PromptVars,
    options: CompleteOptions = {},
    followUp: FollowUp[] = [],
  ): Promise<LlmCompletion> {
    const { judge, ...callOptions } = options;
    const ctx = this.prepare(task, vars, callOptions, followUp, false);
    const completion = await this.run(ctx, judge);
    return this.guard(ctx, vars, completion);
  }

  /**
   * Streams the answer as text deltas. Retries happen only before the first delta (after that a retry would
   * repeat text the user has seen). Breaking out of the loop cancels the HTTP request.
   */
  async *stream(
    task: LlmTask,
    vars: PromptVars,
    options: StreamOptions = {},
  ): AsyncGenerator<string, LlmCompletion, undefined> {
    const ctx = this.prepare(task, vars, options, [], true);
    const { channel } = ctx;
    const instructions = ctx.messages.find((m) => m.role === 'system')?.content ?? '';
    const judge = (text: string, done: boolean) => {
      const reason = options.judge?.(text, done, instructions);
      if (reason) throw new RejectedOutput(reason);
    };
    const maxAttempts = 1 + this.config.llm.maxRetries;
    let attempts = 0;
    let queueMs = 0;
    for (;;) {
      this.checkCircuit(ctx, attempts);
      attempts++;
      const queuedAt = Date.now();
      const release = await this.acquire(ctx);
      queueMs += Date.now() - queuedAt;
      const { controller, timedOut, clear, touch } = this.attemptSignal(options.signal);
      let text = '';
      let inputTokens: number | undefined;
      let outputTokens: number | undefined;
      let finishReason: string | undefined;
      let yielded = false;
      let settled = false;
      let failure: Failure | undefined;
      try {
        for await (const delta of this.transport.stream(this.request(ctx, controller.signal))) {
          touch();
          if (delta.inputTokens) inputTokens = delta.inputTokens;
          if (delta.outputTokens) outputTokens = delta.outputTokens;
          if (delta.finishReason) finishReason = delta.finishReason;
          const piece = delta.text ? withoutNul(delta.text) : '';
          if (piece) {
            text += piece;
            judge(text, false);
            yielded = true;
            yield piece;
          }
        }
        judge(text, true);
        settled = true;
        channel.breaker.onSuccess();
        const completion = this.completion(ctx, text, attempts, { inputTokens, outputTokens, finishReason });
        this.record(ctx, 'ok', attempts, queueMs, completion);
        return completion;
      } catch (err) {
        settled = true;
        if (err instanceof RejectedOutput) controller.abort();
        failure = this.classify(err, timedOut(), options.signal);
        this.noteFailure(channel, failure);
        if (yielded || !this.shouldRetry(failure, attempts, maxAttempts, channel)) {
          const recorded =
            err instanceof RejectedOutput ? { ...failure, kind: `rejected_output:${err.reason}` } : failure;
          this.record(ctx, outcomeOf(failure.kind), attempts, queueMs, undefined, recorded);
          throw this.toCallError(ctx, failure, attempts);
        }
      } finally {
        clear();
        release();
        if (!settled) {
          // The consumer stopped reading: cancel the request and say so in the record.
          controller.abort();
          channel.breaker.onNeutral();
          this.record(ctx, 'cancelled', attempts, queueMs);
        }
      }
      await this.backoff(failure, attempts, options.signal);
    }
  }

  /**
   * Asks for JSON matching `schema`. Invalid JSON is repaired when possible, otherwise asked again once with
   * the problems named; after that (or when no model is available) `options.fallback` answers.
   */
  async extract<S extends z.ZodType>(
    task: LlmTask,
    vars: PromptVars,
    schema: S,
    options: ExtractOptions<z.infer<S>> = {},
  ): Promise<ExtractResult<z.infer<S>>> {
    const fallback = async (reason: string, err: unknown): Promise<ExtractResult<z.infer<S>>> => {
      if (!options.fallback) throw err;
      this.logger.warn({ msg: 'extraction fell back to rules', task, reason });
      return { value: await options.fallback(), source: 'fallback', fallbackReason: reason };
    };
    const reasonOf = (err: unknown) =>
      err instanceof LlmUnavailableError ? err.reason : err instanceof LlmCallError ? err.kind : undefined;
    const attempt = async (followUp: FollowUp[]) => {
      let parsed: ParseOutcome<z.infer<S>> = { ok: false, problems: ['no answer'] };
      const completion = await this.complete(
        task,
        vars,
        {
          ...options,
          judge: (text) => {
            parsed = parseStructured(text, schema);
            return parsed.ok ? 'ok' : 'invalid';
          },
        },
        followUp,
      );
      return { completion, parsed: parsed as ParseOutcome<z.infer<S>> };
    };
    try {
      const first = await attempt([]);
      if (first.parsed.ok) {
        return {
          value: first.parsed.value,
          source: first.parsed.repaired ? 'repaired' : 'model',
          completion: first.completion,
        };
      }
      const second = await attempt([
        { role: 'assistant', content: first.completion.text },
        {
          role: 'user',
          content: `That answer cannot be used: ${first.parsed.problems.join('; ')}. Reply again with only one JSON object in the requested format, and no other text.`,
        },
      ]);
      if (second.parsed.ok)
        return { value: second.parsed.value, source: 'retried', completion: second.completion };
      return fallback(
        'invalid-output',
        new LlmCallError(
          'invalid-output',
          `Task ${task}: the model's answer did not match the schema twice`,
          {
            task,
            model: second.completion.model,
          },
        ),
      );
    } catch (err) {
      const reason = reasonOf(err);
      if (reason) return fallback(reason, err);
      throw err;
    }
  }

  // ---- internals -------------------------------------------------------------------------------------------

  private endpointFor(outputLang?: Lang): LlmEndpointConfig | undefined {
    return (outputLang && this.config.llm.byOutputLang[outputLang]) || this.config.llm.default;
  }

  private channelFor(endpoint: LlmEndpointConfig): Channel {
    const origin = originOf(endpoint.baseUrl);
    let channel = this.channels.get(origin);
    if (!channel) {
      channel = {
        origin,
        // Requests per second: the transport waits for the shared bucket (RateLimitedChatTransport).
        limiter: new ConcurrencyLimiter(this.config.llm.concurrency),
        breaker: new CircuitBreaker(this.config.llm.circuit),
      };
      this.channels.set(origin, channel);
    }
    return channel;
  }

  private prepare(
    task: LlmTask,
    vars: PromptVars,
    options: LlmCallOptions,
    followUp: FollowUp[],
    streamed: boolean,
  ): AttemptContext {
    const rendered = this.prompts.render(task, vars);
    const endpoint = this.endpointFor(options.outputLang);
    if (!endpoint) {
      throw new LlmUnavailableError(
        'not-configured',
        options.outputLang
          ? `No language model is configured for ${options.outputLang} output (set LLM_BASE_URL and LLM_MODEL).`
          : 'No language model is configured (set LLM_BASE_URL and LLM_MODEL).',
      );
    }
    return {
      rendered,
      endpoint,
      channel: this.channelFor(endpoint),
      options,
      messages: [...rendered.messages, ...followUp],
      // LLM_MAX_TOKENS is the ceiling of every call; the prompt (or the caller) asks for what the task needs.
      maxTokens: Math.min(options.maxTokens ?? rendered.maxTokens, this.config.llm.maxTokens),
      temperature: options.temperature ?? rendered.temperature,
      started: Date.now(),
      streamed,
    };
  }

  /** The retry loop of a non-streaming call. */
  private async run(ctx: AttemptContext, judge?: (text: string) => AnswerVerdict): Promise<LlmCompletion> {
    const maxAttempts = 1 + this.config.llm.maxRetries;
    let attempts = 0;
    let queueMs = 0;
    for (;;) {
      this.checkCircuit(ctx, attempts);
      attempts++;
      const queuedAt = Date.now();
      const release = await this.acquire(ctx);
      queueMs += Date.now() - queuedAt;
      const { controller, timedOut, clear } = this.attemptSignal(ctx.options.signal);
      let failure: Failure;
      try {
        const answer = await this.transport.complete(this.request(ctx, controller.signal));
        const verdict = judge ? judge(answer.text) : 'ok';
        // An answer that cannot be used is no sign of health: it must not reset the count of failures in a row
        // (a model answering garbage to every task would otherwise never open the circuit), and garbage counts
        // as a failure.
        if (verdict === 'ok') ctx.channel.breaker.onSuccess();
        else if (verdict === 'garbage') ctx.channel.breaker.onFailure();
        else ctx.channel.breaker.onNeutral();
        const completion = this.completion(ctx, answer.text, attempts, answer);
        this.record(ctx, verdict === 'ok' ? 'ok' : 'invalid_output', attempts, queueMs, completion);
        return completion;
      } catch (err) {
        failure = this.classify(err, timedOut(), ctx.options.signal);
        this.noteFailure(ctx.channel, failure);
        if (!this.shouldRetry(failure, attempts, maxAttempts, ctx.channel)) {
          this.record(ctx, outcomeOf(failure.kind), attempts, queueMs, undefined, failure);
          throw this.toCallError(ctx, failure, attempts);
        }
      } finally {
        clear();
        release();
      }
      await this.backoff(failure, attempts, ctx.options.signal);
    }
  }

  private checkCircuit(ctx: AttemptContext, attemptsSoFar: number): void {
    if (ctx.channel.breaker.tryAcquire()) return;
    const retryIn = ctx.channel.breaker.retryInMs();
    this.record(ctx, 'unavailable', attemptsSoFar, 0, undefined, {
      kind: 'circuit-open',
      retryable: false,
    });
    this.logger.warn({
      msg: 'llm circuit open: failing fast',
      task: ctx.rendered.task,
      endpoint: ctx.channel.origin,
    });
    throw new LlmUnavailableError(
      'circuit-open',
      `The language model at ${ctx.channel.origin} is failing; calls are paused for ${Math.ceil(retryIn / 1000)} s.`,
      retryIn,
    );
  }

  private async acquire(ctx: AttemptContext): Promise<() => void> {
    try {
      return await ctx.channel.limiter.acquire(ctx.options.signal);
    } catch {
      // Cancelled while queued: the circuit's probe slot (if it was ours) must be given back.
      ctx.channel.breaker.onNeutral();
      throw new LlmCallError('cancelled', 'The call was cancelled while waiting for a free slot', {
        task: ctx.rendered.task,
      });
    }
  }

  /** An AbortController for one attempt: fires on the per-call timeout or when the caller aborts. */
  private attemptSignal(callerSignal?: AbortSignal) {
    const controller = new AbortController();
    let fired = false;
    const timeoutMs = this.config.llm.timeoutMs;
    let timer = setTimeout(onTimeout, timeoutMs);
    function onTimeout() {
      fired = true;
      controller.abort(new Error('timeout'));
    }
    const onCallerAbort = () => controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    if (callerSignal?.aborted) controller.abort(callerSignal.reason);
    return {
      controller,
      timedOut: () => fired,
      /** Streaming: the timeout counts from the last received chunk (an idle timeout). */
      touch: () => {
        clearTimeout(timer);
        timer = setTimeout(onTimeout, timeoutMs);
      },
      clear: () => {
        clearTimeout(timer);
        callerSignal?.removeEventListener('abort', onCallerAbort);
      },
    };
  }

  private request(ctx: AttemptContext, signal: AbortSignal): ChatRequest {
    return {
      endpoint: ctx.endpoint,
      messages: ctx.messages,
      maxTokens: ctx.maxTokens,
      temperature: ctx.temperature,
      signal,
      headers: { 'X-Kakehashi-Task': ctx.rendered.task },
    };
  }

  private classify(err: unknown, timedOut: boolean, callerSignal?: AbortSignal): Failure {
    if (err instanceof RejectedOutput) return { kind: 'invalid-output', retryable: false, outage: true };
    if (timedOut) return { kind: 'timeout', retryable: true, outage: true };
    if (callerSignal?.aborted) return { kind: 'cancelled', retryable: false, outage: false };
    if (err instanceof LlmCallError) return { kind: err.kind, retryable: false, outage: false };
    const t =
      err instanceof TransportError
        ? err
        : new TransportError('malformed', `unexpected error: ${(err as Error)?.name ?? 'unknown'}`);
    return {
      kind: transportKind(t),
      status: t.status,
      retryAfterMs: t.retryAfterMs,
      retryable: t.retryable,
      outage: t.countsAsOutage,
    };
  }

  private noteFailure(channel: Channel, failure: Failure): void {
    if (failure.outage) channel.breaker.onFailure();
    else if (failure.kind === 'bad-request') channel.breaker.onSuccess();
    else channel.breaker.onNeutral();
  }

  private shouldRetry(failure: Failure, attempts: number, maxAttempts: number, channel?: Channel): boolean {
    if (!failure.retryable || attempts >= maxAttempts) return false;
    // This failure opened the circuit (or a probe failed): report it rather than wait to be refused.
    if (channel && channel.breaker.currentState === 'open') return false;
    // A server asking us to wait longer than we ever would is answered now rather than after a long stall.
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs > this.config.llm.retry.maxDelayMs)
      return false;
    return true;
  }

  private async backoff(failure: Failure, attempts: number, signal?: AbortSignal): Promise<void> {
    const computed = backoffDelay(attempts, this.config.llm.retry);
    const delay = failure.retryAfterMs !== undefined ? Math.max(failure.retryAfterMs, 0) : computed;
    try {
      await sleep(delay, signal);
    } catch {
      throw new LlmCallError('cancelled', 'The call was cancelled during backoff');
    }
  }

  private completion(
    ctx: AttemptContext,
    text: string,
    attempts: number,
    usage: { inputTokens?: number; outputTokens?: number; finishReason?: string },
  ): LlmCompletion {
    return {
      text: withoutNul(text),
      task: ctx.rendered.task,
      model: ctx.endpoint.model,
      endpoint: ctx.channel.origin,
      promptVersion: ctx.rendered.version,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      latencyMs: Date.now() - ctx.started,
      attempts,
      finishReason: usage.finishReason,
    };
  }

  /** Prompts marked `guard: contacts` lose e-mails and phone numbers that no input contained. */
  private guard(ctx: AttemptContext, vars: PromptVars, completion: LlmCompletion): LlmCompletion {
    if (ctx.rendered.guard !== 'contacts') return completion;
    const inputs = Object.values(vars).map((v) => (Array.isArray(v) ? v.join('\n') : String(v as string)));
    if (ctx.options.allowedContactSource) inputs.push(ctx.options.allowedContactSource);
    const { text, removed } = redactUnseenContacts(completion.text, inputs);
    if (removed > 0)
      this.logger.warn({
        msg: 'contact details removed from model output',
        task: ctx.rendered.task,
        removed,
      });
    return { ...completion, text };
  }

  private record(
    ctx: AttemptContext,
    outcome: LlmCallOutcome,
    attempts: number,
    queueMs: number,
    completion?: LlmCompletion,
    failure?: Failure | { kind: string; retryable: boolean },
  ): void {
    const latencyMs = Date.now() - ctx.started;
    const entry = {
      task: ctx.rendered.task,
      endpoint: ctx.channel.origin,
      model: ctx.endpoint.model,
      promptVersion: ctx.rendered.version,
      outputLang: ctx.options.outputLang,
      streamed: ctx.streamed,
      outcome,
      errorKind: failure?.kind,
      httpStatus: failure && 'status' in failure ? failure.status : undefined,
      attempts,
      latencyMs,
      queueMs,
      inputTokens: completion?.inputTokens,
      outputTokens: completion?.outputTokens,
      requestId: requestContext.getStore()?.requestId,
    };
    const log = {
      msg: 'llm call',
      task: entry.task,
      model: entry.model,
      endpoint: entry.endpoint,
      outcome,
      attempts,
      latencyMs,
      ...(failure ? { errorKind: failure.kind } : {}),
    };
    if (outcome === 'ok') this.logger.debug(log);
    else this.logger.warn(log);
    this.calls.record(entry);
  }

  private toCallError(ctx: AttemptContext, failure: Failure, attempts: number): LlmCallError {
    const what: Record<LlmCallErrorKind, string> = {
      timeout: `no answer within ${this.config.llm.timeoutMs} ms`,
      'rate-limited': 'the provider kept rate-limiting (429)',
      'server-error': `the provider failed (HTTP ${failure.status ?? '5xx'})`,
      network: 'the provider could not be reached',
      'bad-request': `the provider rejected the request (HTTP ${failure.status ?? '4xx'})`,
      'malformed-response': 'the provider sent an unreadable answer',
      'invalid-output': 'the answer did not match the expected format',
      cancelled: 'the call was cancelled',
    };
    return new LlmCallError(
      failure.kind,
      `Task ${ctx.rendered.task} on ${ctx.endpoint.model}: ${what[failure.kind] ?? failure.kind} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`,
      { status: failure.status, attempts, task: ctx.rendered.task, model: ctx.endpoint.model },
    );
  }
}

/** A streamed answer its caller's judge rejected (garbage): a failure of the endpoint, not of the caller. */
class RejectedOutput extends Error {
  override readonly name = 'RejectedOutput';
  constructor(readonly reason: string) {
    super(`the answer was rejected: ${reason}`);
  }
}

interface Failure {
  kind: LlmCallErrorKind;
  status?: number;
  retryAfterMs?: number;
  retryable: boolean;
  outage: boolean;
}

function transportKind(t: TransportError): LlmCallErrorKind {
  switch (t.kind) {
    case 'timeout':
      return 'timeout';
    case 'network':
      return 'network';
    case 'malformed':
      return 'malformed-response';
    case 'aborted':
      return 'cancelled';
    case 'http': {
      const s = t.status ?? 0;
      if (s === 429) return 'rate-limited';
      if (s >= 500) return 'server-error';
      return 'bad-request';
    }
  }
}

function outcomeOf(kind: LlmCallErrorKind): LlmCallOutcome {
  switch (kind) {
    case 'timeout':
      return 'timeout';
    case 'rate-limited':
      return 'rate_limited';
    case 'cancelled':
      return 'cancelled';
    case 'invalid-output':
      return 'invalid_output';
    default:
      return 'error';
  }
}

/** scheme://host:port of a base URL: what calls are grouped, limited and recorded by (never credentials). */
export function originOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return baseUrl;
  }
}

/**
 * A NUL character (garbage from a broken server) cannot be stored in PostgreSQL text or jsonb: a reply or
 * translation holding one would fail to save, again and again. No reader needs it either.
 */
function withoutNul(text: string): string {
  return text.replaceAll(String.fromCharCode(0), '');
}
