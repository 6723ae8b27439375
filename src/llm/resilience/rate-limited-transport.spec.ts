import { MemoryRateBuckets } from '../../observability/rate-buckets';
import type { ChatAnswer, ChatDelta, ChatRequest, ChatTransport } from '../chat-transport';
import { TransportError } from '../chat-transport';
import { RateLimitedChatTransport, rateKeyOf } from './rate-limited-transport';
import { RequestRateLimiter } from './request-rate-limiter';

class StubTransport implements ChatTransport {
  calls = 0;
  complete(): Promise<ChatAnswer> {
    this.calls++;
    return Promise.resolve({ text: 'ok' });
  }
  async *stream(): AsyncIterable<ChatDelta> {
    this.calls++;
    await Promise.resolve();
    yield { text: 'o' };
    yield { text: 'k' };
  }
}

const request = (
  maxRequestsPerSecond: number | undefined,
  signal = new AbortController().signal,
  model = 'm',
) =>
  ({
    endpoint: { baseUrl: 'https://api.opentyphoon.ai/v1/', model, maxRequestsPerSecond },
    messages: [{ role: 'user', content: 'hi' }],
    maxTokens: 16,
    temperature: 0,
    signal,
  }) satisfies ChatRequest;

describe('RateLimitedChatTransport', () => {
  let now: number;
  let inner: StubTransport;
  let transport: RateLimitedChatTransport;
  const sleeps: number[] = [];

  beforeEach(() => {
    now = 0;
    sleeps.length = 0;
    inner = new StubTransport();
    const limiter = new RequestRateLimiter(new MemoryRateBuckets(() => now), {
      now: () => now,
      sleep: (ms, signal) => {
        if (signal?.aborted) return Promise.reject(signal.reason as Error);
        sleeps.push(ms);
        now += ms;
        return Promise.resolve();
      },
      random: () => 0,
    });
    transport = new RateLimitedChatTransport(inner, limiter, 1000, () => now);
  });

  it('keys the bucket by base URL and model', () => {
    expect(rateKeyOf(request(5).endpoint)).toBe('llm:https://api.opentyphoon.ai/v1|m');
    expect(rateKeyOf(request(5, undefined, 'other').endpoint)).not.toBe(rateKeyOf(request(5).endpoint));
  });

  it('passes straight through without a limit', async () => {
    for (let i = 0; i < 10; i++) await transport.complete(request(undefined));
    for (let i = 0; i < 10; i++) await transport.complete(request(0));
    expect(inner.calls).toBe(20);
    expect(sleeps).toHaveLength(0);
  });

  it('waits for the rate before completing and before streaming', async () => {
    await transport.complete(request(2));
    expect(sleeps).toHaveLength(0);
    const pieces: string[] = [];
    for await (const d of transport.stream(request(2))) pieces.push(d.text);
    expect(pieces.join('')).toBe('ok');
    // 2/s: each further request starts 500 ms after the one before (the bucket's retryAfter, no jitter here).
    expect(sleeps).toEqual([500]);
    await transport.complete(request(2));
    expect(sleeps).toEqual([500, 500]);
    expect(inner.calls).toBe(3);
  });

  it('fails like a provider 429 (retryable, with Retry-After) when no slot comes before the timeout', async () => {
    await transport.complete(request(1));
    // Timeout 1000 ms, margin 100 ms: the next token is 1000 ms away.
    const err = await transport.complete(request(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ kind: 'http', status: 429, retryAfterMs: 1000 });
    expect((err as TransportError).retryable).toBe(true);
    expect((err as TransportError).countsAsOutage).toBe(false);
    expect(inner.calls).toBe(1);
  });

  it('reports a cancel while waiting as aborted, and never calls the model', async () => {
    await transport.complete(request(2));
    const controller = new AbortController();
    controller.abort(new Error('user left'));
    await expect(transport.complete(request(2, controller.signal))).rejects.toMatchObject({
      kind: 'aborted',
    });
    expect(inner.calls).toBe(1);
  });
});
