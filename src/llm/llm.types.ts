import type { Lang } from '../config/app-config';

/**
 * The product-level vocabulary of the LLM layer. Callers (chat engine, relay, translation, matching
 * explanations) speak only these terms; LangChain and HTTP details stay in `adapters/`.
 */

/** A task is the name of a prompt file in `prompts/` without `.md`, e.g. 'translate', 'explain-match'. */
export type LlmTask = string;

/** Values for a prompt's `{{variables}}`. Arrays are joined one item per line. */
export type PromptVars = Record<string, string | number | readonly string[]>;

export interface LlmCallOptions {
  /**
   * The language the model writes. Routes the call to the model configured for it (LLM_TH_* for Thai,
   * LLM_JA_* for Japanese, otherwise LLM_*). Omit for language-neutral tasks (the default model).
   */
  outputLang?: Lang;
  /** Overrides the prompt's `maxTokens` (always sent: some providers default to 150). */
  maxTokens?: number;
  /** Overrides the prompt's `temperature`. */
  temperature?: number;
  /** Cancels the call (and any queued wait or backoff) when aborted. */
  signal?: AbortSignal;
  /**
   * Text the output may legitimately quote contact details from (e-mails, phone numbers). Only used by prompts
   * with `guard: contacts`: any e-mail or phone number in the output that is in neither the prompt's
   * variables nor this text is removed.
   */
  allowedContactSource?: string;
}

/**
 * What a complete answer says about the endpoint that wrote it, judged before the endpoint's health is updated:
 * - `ok`: a usable answer (a sign of health);
 * - `invalid`: unusable for this request (JSON that does not parse, a translation in another language), recorded
 *   as `invalid_output`; no sign of health, so it does not reset the count of failures in a row;
 * - `garbage`: the endpoint is broken (nothing, control or replacement characters, chat-template tokens),
 *   recorded as `invalid_output` and counted against its circuit breaker like a failed call: a model answering
 *   garbage to every request is as broken as one answering 500, and its circuit must open.
 */
export type AnswerVerdict = 'ok' | 'invalid' | 'garbage';

export interface CompleteOptions extends LlmCallOptions {
  /** Judges the raw answer (see AnswerVerdict). The answer is returned whatever the verdict. */
  judge?: (text: string) => AnswerVerdict;
}

/** Extra messages appended after the prompt (e.g. the model's previous answer and a correction request). */
export interface FollowUp {
  role: 'assistant' | 'user';
  content: string;
}

export interface LlmCompletion {
  text: string;
  task: LlmTask;
  model: string;
  /** Origin of the endpoint that answered (no credentials). */
  endpoint: string;
  /** First 12 hex characters of the prompt file's SHA-256. */
  promptVersion: string;
  inputTokens?: number;
  outputTokens?: number;
  /** Time from the call to the answer, including queueing and retries. */
  latencyMs: number;
  attempts: number;
  finishReason?: string;
}

/** How `extract` got its value: straight from the model, after repairing its JSON, after one retry, or not at all. */
export type ExtractSource = 'model' | 'repaired' | 'retried' | 'fallback';

export interface ExtractResult<T> {
  value: T;
  source: ExtractSource;
  /** Why the fallback was used (unavailable, call failed, invalid output). */
  fallbackReason?: string;
  completion?: LlmCompletion;
}

export interface ExtractOptions<T> extends LlmCallOptions {
  /**
   * The rule-based answer used when the model is unavailable, fails, or twice returns output that does not
   * match the schema. Without it those cases throw.
   */
  fallback?: () => T | Promise<T>;
}

/**
 * No model can answer right now: none is configured for this output language (provider `none`), or the
 * endpoint's circuit is open after repeated failures. Callers degrade (rule-based path, "translation is not
 * available" message) instead of failing the whole turn.
 */
export class LlmUnavailableError extends Error {
  override readonly name = 'LlmUnavailableError';
  constructor(
    readonly reason: 'not-configured' | 'circuit-open',
    message: string,
    /** For circuit-open: when a probe will be allowed again. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export type LlmCallErrorKind =
  | 'timeout'
  | 'rate-limited'
  | 'server-error'
  | 'network'
  | 'bad-request'
  | 'malformed-response'
  | 'invalid-output'
  | 'cancelled';

/** The model was asked and did not give a usable answer after the allowed retries. */
export class LlmCallError extends Error {
  override readonly name = 'LlmCallError';
  constructor(
    readonly kind: LlmCallErrorKind,
    message: string,
    readonly details: { status?: number; attempts?: number; task?: LlmTask; model?: string } = {},
  ) {
    super(message);
  }
}
