import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import { z } from 'zod';
import { type AppConfig, loadConfig } from '../config/app-config';
import { type ChatDelta, type ChatRequest, TransportError } from './chat-transport';
import type { LlmCallRecord, LlmCallRepository } from './llm-call.repository';
import { LlmService } from './llm.service';
import { LlmCallError, LlmUnavailableError } from './llm.types';
import { PromptRegistry } from './prompt-registry';

/** A transport whose every call must be scripted: an unscripted call fails the test. */
function strictTransport() {
  const unexpected = (what: string) => () => {
    throw new Error(`unexpected transport.${what} call`);
  };
  return {
    complete: jest.fn<Promise<{ text: string; finishReason?: string }>, [ChatRequest]>(
      unexpected('complete'),
    ),
    stream: jest.fn<AsyncIterable<ChatDelta>, [ChatRequest]>(unexpected('stream')),
  };
}

const http = (status: number, retryAfterMs?: number) =>
  new TransportError('http', `HTTP ${status}`, status, retryAfterMs);

describe('LlmService', () => {
  let dir: string;
  let prompts: PromptRegistry;
  let transport: ReturnType<typeof strictTransport>;
  let records: LlmCallRecord[];

  const make = (env: Record<string, string> = {}) => {
    const config: AppConfig = loadConfig({
      LLM_BASE_URL: 'http://llm.local/v1',
      LLM_MODEL: 'general',
      LLM_RETRY_BASE_MS: '20',
      LLM_RETRY_MAX_DELAY_MS: '200',
      LLM_MAX_RETRIES: '2',
      ...env,
    });
    const calls = { record: jest.fn((r: LlmCallRecord) => records.push(r)) } as unknown as LlmCallRepository;
    return new LlmService(config, transport, prompts, calls);
  };

  beforeAll(() => {
    Logger.overrideLogger(false);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-prompts-'));
    fs.writeFileSync(
      path.join(dir, 'echo.md'),
      '---\ndescription: echo\ntemperature: 0.3\nmaxTokens: 200\nvariables: [text]\ndata: [text]\n---\n## System\nEcho.\n## User\n{{text}}\n',
    );
    fs.writeFileSync(
      path.join(dir, 'about.md'),
      '---\ndescription: about\ntemperature: 0.3\nmaxTokens: 200\nvariables: [profile]\ndata: [profile]\nguard: contacts\n---\n## System\nSummarise.\n## User\n{{profile}}\n',
    );
    prompts = PromptRegistry.load(dir);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    transport = strictTransport();
    records = [];
  });

  it('sends the rendered prompt with max_tokens and temperature, and records the call', async () => {
    transport.complete.mockResolvedValueOnce({ text: 'hello', finishReason: 'stop' });
    const llm = make();
    const result = await llm.complete('echo', { text: 'hi' });
    expect(result).toMatchObject({
      text: 'hello',
      model: 'general',
      endpoint: 'http://llm.local',
      attempts: 1,
    });
    const req = transport.complete.mock.calls[0][0];
    expect(req).toMatchObject({ maxTokens: 200, temperature: 0.3, headers: { 'X-Kakehashi-Task': 'echo' } });
    expect(req.messages[1].content).toContain('<data name="text">\nhi\n</data>');
    expect(records).toEqual([expect.objectContaining({ task: 'echo', outcome: 'ok', model: 'general' })]);
    expect(records[0].promptVersion).toBe(prompts.get('echo').version);
  });

  it('caps max tokens at LLM_MAX_TOKENS', async () => {
    transport.complete.mockResolvedValueOnce({ text: 'ok' });
    await make({ LLM_MAX_TOKENS: '64' }).complete('echo', { text: 'x' }, { maxTokens: 5000 });
    expect(transport.complete.mock.calls[0][0].maxTokens).toBe(64);
  });

  it('routes by output language: Thai to the Thai model, Japanese to the Japanese one, others to the default', async () => {
    transport.complete.mockResolvedValue({ text: 'ok' });
    const llm = make({
      LLM_TH_BASE_URL: 'http://typhoon.local/v1',
      LLM_TH_MODEL: 'typhoon',
      LLM_JA_MODEL: 'elyza',
    });
    expect((await llm.complete('echo', { text: 'x' }, { outputLang: 'th' })).model).toBe('typhoon');
    expect((await llm.complete('echo', { text: 'x' }, { outputLang: 'ja' })).model).toBe('elyza');
    expect((await llm.complete('echo', { text: 'x' }, { outputLang: 'en' })).model).toBe('general');
    const urls = transport.complete.mock.calls.map((c) => c[0].endpoint.baseUrl);
    expect(urls).toEqual(['http://typhoon.local/v1', 'http://llm.local/v1', 'http://llm.local/v1']);
  });

  it('retries 5xx and network errors with growing backoff, then succeeds', async () => {
    transport.complete
      .mockRejectedValueOnce(http(503))
      .mockRejectedValueOnce(new TransportError('network', 'reset'))
      .mockResolvedValueOnce({ text: 'ok' });
    const started = Date.now();
    const result = await make().complete('echo', { text: 'x' });
    expect(result.attempts).toBe(3);
    // Backoff 1: 10–20 ms, backoff 2: 20–40 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
    expect(records[0]).toMatchObject({ outcome: 'ok', attempts: 3 });
  });

  it('gives up after LLM_MAX_RETRIES with a typed error and records it', async () => {
    transport.complete.mockRejectedValue(http(500));
    await expect(make().complete('echo', { text: 'x' })).rejects.toMatchObject({
      name: 'LlmCallError',
      kind: 'server-error',
      details: { attempts: 3, status: 500 },
    });
    expect(transport.complete).toHaveBeenCalledTimes(3);
    expect(records[0]).toMatchObject({ outcome: 'error', httpStatus: 500, attempts: 3 });
  });

  it('does not retry a 400', async () => {
    transport.complete.mockRejectedValueOnce(http(400));
    await expect(make().complete('echo', { text: 'x' })).rejects.toMatchObject({ kind: 'bad-request' });
    expect(transport.complete).toHaveBeenCalledTimes(1);
  });

  it('waits as long as Retry-After says on a 429, and fails at once when it asks for more than the cap', async () => {
    transport.complete.mockRejectedValueOnce(http(429, 150)).mockResolvedValueOnce({ text: 'ok' });
    const started = Date.now();
    await make().complete('echo', { text: 'x' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);

    transport.complete.mockReset();
    transport.complete.mockRejectedValueOnce(http(429, 60_000));
    await expect(make().complete('echo', { text: 'x' })).rejects.toMatchObject({ kind: 'rate-limited' });
  });

  it('opens the circuit after repeated outages and fails fast with LlmUnavailableError', async () => {
    transport.complete.mockRejectedValue(http(502));
    const llm = make({
      LLM_MAX_RETRIES: '0',
      LLM_CIRCUIT_FAILURE_THRESHOLD: '2',
      LLM_CIRCUIT_COOLDOWN_MS: '100',
    });
    await expect(llm.complete('echo', { text: 'x' })).rejects.toBeInstanceOf(LlmCallError);
    await expect(llm.complete('echo', { text: 'x' })).rejects.toBeInstanceOf(LlmCallError);
    expect(llm.isAvailable()).toBe(false);
    await expect(llm.complete('echo', { text: 'x' })).rejects.toMatchObject({ reason: 'circuit-open' });
    expect(transport.complete).toHaveBeenCalledTimes(2);
    expect(records.at(-1)).toMatchObject({ outcome: 'unavailable' });

    await new Promise((r) => setTimeout(r, 120));
    transport.complete.mockReset();
    transport.complete.mockResolvedValueOnce({ text: 'back' });
    expect((await llm.complete('echo', { text: 'x' })).text).toBe('back');
    expect(llm.isAvailable()).toBe(true);
  });

  it('a judge’s verdict moves the circuit: garbage opens it, an invalid answer neither opens nor resets it', async () => {
    const llm = make({
      LLM_MAX_RETRIES: '0',
      LLM_CIRCUIT_FAILURE_THRESHOLD: '2',
      LLM_CIRCUIT_COOLDOWN_MS: '60000',
    });
    const judge = (text: string) => (text === 'fine' ? 'ok' : text === 'odd' ? 'invalid' : 'garbage');
    transport.complete
      .mockResolvedValueOnce({ text: '<|im_end|>' })
      .mockResolvedValueOnce({ text: 'odd' })
      .mockResolvedValueOnce({ text: '\u0000\u0000' });
    // Answers are returned whatever the verdict: the caller decides what to do with them.
    expect((await llm.complete('echo', { text: 'x' }, { judge })).text).toBe('<|im_end|>');
    expect(records.at(-1)).toMatchObject({ outcome: 'invalid_output' });
    expect(llm.isAvailable()).toBe(true);
    await llm.complete('echo', { text: 'x' }, { judge }); // invalid: the garbage before still counts
    await llm.complete('echo', { text: 'x' }, { judge });
    expect(llm.isAvailable()).toBe(false);
    await expect(llm.complete('echo', { text: 'x' }, { judge })).rejects.toMatchObject({
      reason: 'circuit-open',
    });
    expect(transport.complete).toHaveBeenCalledTimes(3);

    // A good answer between two garbage ones resets the count.
    const other = make({ LLM_MAX_RETRIES: '0', LLM_CIRCUIT_FAILURE_THRESHOLD: '2' });
    transport.complete
      .mockResolvedValueOnce({ text: 'junk' })
      .mockResolvedValueOnce({ text: 'fine' })
      .mockResolvedValueOnce({ text: 'junk' });
    for (let i = 0; i < 3; i++) await other.complete('echo', { text: 'x' }, { judge });
    expect(other.isAvailable()).toBe(true);
  });

  it('times out a call that takes too long (and retries it)', async () => {
    transport.complete.mockImplementation(
      (req) =>
        new Promise((_resolve, reject) =>
          req.signal.addEventListener('abort', () => reject(new TransportError('aborted', 'aborted'))),
        ),
    );
    const started = Date.now();
    await expect(
      make({ LLM_TIMEOUT_MS: '100', LLM_MAX_RETRIES: '1' }).complete('echo', { text: 'x' }),
    ).rejects.toMatchObject({
      kind: 'timeout',
      details: { attempts: 2 },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(records[0]).toMatchObject({ outcome: 'timeout' });
  });

  it('provider none: every call raises LlmUnavailableError(not-configured)', async () => {
    const config = loadConfig({});
    const llm = new LlmService(config, transport, prompts, {
      record: jest.fn(),
    } as unknown as LlmCallRepository);
    expect(llm.configured).toBe(false);
    expect(llm.isAvailable('th')).toBe(false);
    await expect(llm.complete('echo', { text: 'x' })).rejects.toBeInstanceOf(LlmUnavailableError);
    await expect(llm.complete('echo', { text: 'x' })).rejects.toMatchObject({ reason: 'not-configured' });
  });

  it('guard: contacts removes e-mails the inputs did not contain', async () => {
    transport.complete.mockResolvedValueOnce({ text: 'Write to boss@leak.example or info@acme.example' });
    const result = await make().complete('about', { profile: 'Acme, info@acme.example' });
    expect(result.text).toBe('Write to [removed] or info@acme.example');
  });

  describe('extract', () => {
    const schema = z.object({ intent: z.enum(['find_partner', 'other']) });

    it('repairs fenced JSON without asking again', async () => {
      transport.complete.mockResolvedValueOnce({ text: '```json\n{"intent":"other",}\n```' });
      const r = await make().extract('echo', { text: 'x' }, schema);
      expect(r).toMatchObject({ value: { intent: 'other' }, source: 'repaired' });
    });

    it('asks once more naming the problems, then uses the second answer', async () => {
      transport.complete
        .mockResolvedValueOnce({ text: '{"intent":"buy"}' })
        .mockResolvedValueOnce({ text: '{"intent":"find_partner"}' });
      const r = await make().extract('echo', { text: 'x' }, schema);
      expect(r).toMatchObject({ value: { intent: 'find_partner' }, source: 'retried' });
      const retry = transport.complete.mock.calls[1][0].messages;
      expect(retry.at(-2)).toEqual({ role: 'assistant', content: '{"intent":"buy"}' });
      expect(retry.at(-1)!.content).toMatch(/intent/);
      expect(records.map((r) => r.outcome)).toEqual(['invalid_output', 'ok']);
    });

    it('falls back to the rule-based answer after two invalid answers, or when no model is available', async () => {
      transport.complete.mockResolvedValue({ text: 'I think they want a partner' });
      const r = await make().extract('echo', { text: 'x' }, schema, {
        fallback: () => ({ intent: 'other' as const }),
      });
      expect(r).toMatchObject({
        value: { intent: 'other' },
        source: 'fallback',
        fallbackReason: 'invalid-output',
      });

      const none = new LlmService(loadConfig({}), transport, prompts, {
        record: jest.fn(),
      } as unknown as LlmCallRepository);
      const f = await none.extract('echo', { text: 'x' }, schema, {
        fallback: () => ({ intent: 'other' as const }),
      });
      expect(f).toMatchObject({ source: 'fallback', fallbackReason: 'not-configured' });
    });

    it('without a fallback, two invalid answers throw invalid-output', async () => {
      transport.complete.mockResolvedValue({ text: 'nope' });
      await expect(make().extract('echo', { text: 'x' }, schema)).rejects.toMatchObject({
        kind: 'invalid-output',
      });
    });
  });

  describe('stream', () => {
    async function* deltas(...texts: string[]): AsyncIterable<ChatDelta> {
      for (const text of texts) yield { text };
      yield { text: '', inputTokens: 10, outputTokens: 3 };
    }

    it('yields deltas and returns the completion with usage', async () => {
      transport.stream.mockReturnValueOnce(deltas('Hel', 'lo'));
      const gen = make().stream('echo', { text: 'x' }, { outputLang: 'en' });
      const parts: string[] = [];
      let next = await gen.next();
      while (!next.done) {
        parts.push(next.value);
        next = await gen.next();
      }
      expect(parts).toEqual(['Hel', 'lo']);
      expect(next.value).toMatchObject({ text: 'Hello', inputTokens: 10, outputTokens: 3 });
      expect(records[0]).toMatchObject({ streamed: true, outcome: 'ok' });
    });

    it('retries a failure before the first delta, not after', async () => {
      // eslint-disable-next-line require-yield
      async function* failing(): AsyncIterable<ChatDelta> {
        throw http(503);
      }
      async function* failsMidway(): AsyncIterable<ChatDelta> {
        yield { text: 'partial' };
        throw new TransportError('network', 'reset');
      }
      transport.stream.mockReturnValueOnce(failing()).mockReturnValueOnce(deltas('ok'));
      const parts: string[] = [];
      for await (const p of make().stream('echo', { text: 'x' })) parts.push(p);
      expect(parts).toEqual(['ok']);

      transport.stream.mockReset();
      transport.stream.mockReturnValueOnce(failsMidway());
      const seen: string[] = [];
      await expect(
        (async () => {
          for await (const p of make().stream('echo', { text: 'x' })) seen.push(p);
        })(),
      ).rejects.toMatchObject({ kind: 'network' });
      expect(seen).toEqual(['partial']);
      expect(transport.stream).toHaveBeenCalledTimes(1);
    });

    it('stopping early aborts the request and records a cancelled call', async () => {
      let signal: AbortSignal | undefined;
      transport.stream.mockImplementationOnce((req) => {
        signal = req.signal;
        return deltas('a', 'b', 'c');
      });
      for await (const p of make().stream('echo', { text: 'x' })) {
        expect(p).toBe('a');
        break;
      }
      expect(signal!.aborted).toBe(true);
      expect(records.at(-1)).toMatchObject({ outcome: 'cancelled' });
    });
  });
});
