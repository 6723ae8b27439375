import type { LlmEndpointConfig } from '../config/app-config';

/**
 * One HTTP exchange with an OpenAI-compatible chat endpoint, without retries or limits (LlmService adds
 * those). The LangChain adapter implements it; unit tests stub it.
 */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  endpoint: LlmEndpointConfig;
  messages: ChatMessage[];
  maxTokens: number;
  temperature: number;
  signal: AbortSignal;
  /** Small, non-secret labels sent as headers (X-Kakehashi-Task) so server logs and test doubles can tell calls apart. */
  headers?: Record<string, string>;
}

export interface ChatAnswer {
  text: string;
  inputTokens?: number;
  outputTokens?: number;
  finishReason?: string;
}

/** A streamed piece: a text delta, and/or (at the end) token usage. */
export interface ChatDelta {
  text: string;
  inputTokens?: number;
  outputTokens?: number;
  finishReason?: string;
}

export interface ChatTransport {
  complete(request: ChatRequest): Promise<ChatAnswer>;
  stream(request: ChatRequest): AsyncIterable<ChatDelta>;
}

export const CHAT_TRANSPORT = Symbol('CHAT_TRANSPORT');

export type TransportErrorKind = 'http' | 'network' | 'timeout' | 'aborted' | 'malformed';

/** What went wrong in one exchange, in terms the retry loop can act on. Never carries message bodies. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly kind: TransportErrorKind,
    message: string,
    readonly status?: number,
    /** From Retry-After / retry-after-ms on a 429 or 503. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  /** Worth another attempt: rate limits, server errors, network failures, timeouts, unreadable answers. */
  get retryable(): boolean {
    if (this.kind === 'aborted') return false;
    if (this.kind !== 'http') return true;
    const s = this.status ?? 0;
    return s === 408 || s === 409 || s === 429 || s >= 500;
  }

  /** Counts against the endpoint's circuit breaker (the server looks down, not just busy). */
  get countsAsOutage(): boolean {
    if (this.kind === 'aborted') return false;
    if (this.kind !== 'http') return true;
    return (this.status ?? 0) >= 500;
  }
}
