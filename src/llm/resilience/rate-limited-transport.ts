import {
  type ChatAnswer,
  type ChatDelta,
  type ChatRequest,
  type ChatTransport,
  TransportError,
} from '../chat-transport';
import { RateWaitExceededError, type RequestRateLimiter } from './request-rate-limiter';

/** The bucket key of a model: requests per second are limited per base URL and model. */
export function rateKeyOf(endpoint: ChatRequest['endpoint']): string {
  return `llm:${endpoint.baseUrl.replace(/\/+$/, '')}|${endpoint.model}`;
}

/**
 * A ChatTransport that waits for the model's request-rate limit (`endpoint.maxRequestsPerSecond`, shared by every
 * instance when the buckets are in the database) before each exchange. It sits inside one attempt of LlmService:
 * after the endpoint's concurrency slot and circuit check, under the attempt's signal (the caller's cancel and
 * the call's timeout). The wait ends a margin before the timeout would fire: a call that cannot get a slot in
 * time fails like a provider's 429 (retryable with the bucket's Retry-After, not an outage for the circuit),
 * never as a timeout of the model.
 */
export class RateLimitedChatTransport implements ChatTransport {
  constructor(
    private readonly inner: ChatTransport,
    private readonly limiter: RequestRateLimiter,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async complete(request: ChatRequest): Promise<ChatAnswer> {
    await this.admit(request);
    return this.inner.complete(request);
  }

  async *stream(request: ChatRequest): AsyncIterable<ChatDelta> {
    await this.admit(request);
    yield* this.inner.stream(request);
  }

  private async admit(request: ChatRequest): Promise<void> {
    const rate = request.endpoint.maxRequestsPerSecond ?? 0;
    if (!(rate > 0)) return;
    const margin = Math.min(250, Math.ceil(this.timeoutMs / 10));
    try {
      await this.limiter.acquire(rateKeyOf(request.endpoint), rate, {
        signal: request.signal,
        deadline: this.now() + this.timeoutMs - margin,
      });
    } catch (err) {
      if (err instanceof RateWaitExceededError) {
        throw new TransportError(
          'http',
          `request-rate limit (${rate}/s): no slot within ${err.waitedMs} ms`,
          429,
          err.retryAfterMs,
        );
      }
      if (request.signal.aborted)
        throw new TransportError('aborted', 'aborted while waiting for the request-rate limit');
      throw err;
    }
  }
}
