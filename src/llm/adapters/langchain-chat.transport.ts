import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { ChatOpenAICompletions } from '@langchain/openai';
import type { LlmEndpointConfig } from '../../config/app-config';
import { parseRetryAfter } from '../resilience/backoff';
import {
  type ChatAnswer,
  type ChatDelta,
  type ChatMessage,
  type ChatRequest,
  type ChatTransport,
  TransportError,
} from '../chat-transport';

/**
 * The only place that knows LangChain. It turns a ChatRequest into one call of LangChain's OpenAI-compatible
 * chat model (Chat Completions API, which vLLM, Ollama, Typhoon, SEA-LION and hosted APIs all speak) and maps
 * failures to TransportError.
 *
 * LangChain's own retries are off (maxRetries 0) and its timeout unused: LlmService owns retries, backoff,
 * timeouts (through the AbortSignal), concurrency and the circuit breaker, per endpoint.
 */
export class LangChainChatTransport implements ChatTransport {
  /** Model objects per endpoint + sampling settings; they are cheap but hold the HTTP client. */
  private readonly models = new Map<string, ChatOpenAICompletions>();

  async complete(request: ChatRequest): Promise<ChatAnswer> {
    const model = this.modelFor(request);
    try {
      const message = await model.invoke(toLangChain(request.messages), {
        signal: request.signal,
        options: { headers: request.headers },
      });
      const usage = message.usage_metadata;
      return {
        text: textOf(message.content),
        inputTokens: usage?.input_tokens || undefined,
        outputTokens: usage?.output_tokens || undefined,
        finishReason: finishReasonOf(message.response_metadata),
      };
    } catch (err) {
      throw toTransportError(err, request.signal);
    }
  }

  async *stream(request: ChatRequest): AsyncIterable<ChatDelta> {
    const model = this.modelFor(request);
    let stream: AsyncIterable<{
      content: unknown;
      usage_metadata?: { input_tokens: number; output_tokens: number };
      response_metadata?: Record<string, unknown>;
    }>;
    try {
      // LangChain hands a stream's call options to the OpenAI client whole (not their `options`, as invoke does),
      // so the request headers (X-Kakehashi-Task) go at the top level here or the server never sees them.
      const callOptions = { signal: request.signal, headers: request.headers };
      stream = await model.stream(toLangChain(request.messages), callOptions);
    } catch (err) {
      throw toTransportError(err, request.signal);
    }
    try {
      for await (const chunk of stream) {
        const usage = chunk.usage_metadata;
        yield {
          text: textOf(chunk.content),
          inputTokens: usage?.input_tokens || undefined,
          outputTokens: usage?.output_tokens || undefined,
          finishReason: finishReasonOf(chunk.response_metadata),
        };
      }
    } catch (err) {
      throw toTransportError(err, request.signal);
    }
    // LangChain ends an aborted stream quietly; the caller must learn it was cut.
    if (request.signal.aborted) throw new TransportError('aborted', 'stream aborted');
  }

  private modelFor(request: ChatRequest): ChatOpenAICompletions {
    const e = request.endpoint;
    const key = JSON.stringify([e.baseUrl, e.model, e.apiKey ?? '', request.maxTokens, request.temperature]);
    let model = this.models.get(key);
    if (!model) {
      if (this.models.size > 200) this.models.clear();
      model = createModel(e, request.maxTokens, request.temperature);
      this.models.set(key, model);
    }
    return model;
  }
}

function createModel(endpoint: LlmEndpointConfig, maxTokens: number, temperature: number) {
  return new ChatOpenAICompletions({
    model: endpoint.model,
    // Local servers (vLLM, Ollama) need no key, but the OpenAI client insists on one.
    apiKey: endpoint.apiKey ?? 'no-key',
    configuration: { baseURL: endpoint.baseUrl },
    maxRetries: 0,
    maxTokens,
    temperature,
    streamUsage: true,
    modelKwargs: endpoint.extraBody ?? {},
  });
}

function toLangChain(messages: ChatMessage[]): BaseMessage[] {
  return messages.map((m) =>
    m.role === 'system'
      ? new SystemMessage(m.content)
      : m.role === 'assistant'
        ? new AIMessage(m.content)
        : new HumanMessage(m.content),
  );
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) =>
        typeof part === 'string'
          ? part
          : part && typeof part === 'object' && 'text' in part && typeof part.text === 'string'
            ? part.text
            : '',
      )
      .join('');
  }
  return '';
}

function finishReasonOf(metadata: Record<string, unknown> | undefined): string | undefined {
  const v = metadata?.finish_reason;
  return typeof v === 'string' ? v : undefined;
}

interface HttpishError {
  status?: unknown;
  headers?: unknown;
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
  constructor?: { name?: string };
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const v = (headers as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
}

/** Maps whatever the OpenAI client or LangChain threw to a TransportError (status, Retry-After, kind). */
export function toTransportError(err: unknown, signal: AbortSignal): TransportError {
  if (err instanceof TransportError) return err;
  const e = (err ?? {}) as HttpishError;
  const ctor = e.constructor?.name ?? '';
  const name = typeof e.name === 'string' ? e.name : '';
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (signal.aborted || name === 'AbortError' || ctor === 'APIUserAbortError') {
    return new TransportError('aborted', 'request aborted');
  }
  if (typeof e.status === 'number') {
    const retryAfter = parseRetryAfter(header(e.headers, 'retry-after'), header(e.headers, 'retry-after-ms'));
    return new TransportError('http', `HTTP ${e.status}`, e.status, retryAfter);
  }
  if (name === 'TimeoutError' || ctor === 'APIConnectionTimeoutError') {
    return new TransportError('timeout', 'request timed out');
  }
  if (err instanceof SyntaxError || /JSON|Unexpected token|parse/i.test(message)) {
    return new TransportError('malformed', 'unreadable response from the model server');
  }
  if (ctor === 'APIConnectionError' || /connection|ECONN|socket|fetch failed|terminated/i.test(message)) {
    return new TransportError('network', 'connection to the model server failed');
  }
  return new TransportError(
    'malformed',
    `unexpected response from the model server (${ctor || name || 'error'})`,
  );
}
