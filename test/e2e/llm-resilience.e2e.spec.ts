import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { ApiTokenRepository } from '../../src/auth/api-token.repository';
import type { RunningApp } from '../../src/bootstrap/start-app';
import { projectPath } from '../../src/common/project-paths';
import { LlmService } from '../../src/llm/llm.service';
import { LlmCallError, LlmUnavailableError } from '../../src/llm/llm.types';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../support/fake-openai-server';
import { startTestApp } from '../support/test-app';

/**
 * The LLM layer against a local OpenAI-compatible server, through the real app: LangChain adapter, retries,
 * backoff, Retry-After, timeouts, circuit breaker, concurrency limit, streaming, extraction, routing.
 */
describe('LLM layer against a local OpenAI-compatible server', () => {
  let fake: FakeOpenAiServer;
  let thai: FakeOpenAiServer;
  let running: RunningApp;
  let llm: LlmService;
  let viewer: Record<string, string>;

  const gaps = (s: FakeOpenAiServer) => {
    const at = s.chatRequests().map((r) => r.receivedAt);
    return at.slice(1).map((t, i) => t - at[i]);
  };

  beforeAll(async () => {
    fake = await startFakeOpenAiServer();
    thai = await startFakeOpenAiServer();
    running = await startTestApp({
      LLM_BASE_URL: fake.url + '/v1',
      LLM_MODEL: 'fake-model',
      LLM_TH_BASE_URL: thai.url + '/v1',
      LLM_TH_MODEL: 'thai-model',
      LLM_TH_EXTRA_BODY: '{"chat_template_kwargs":{"enable_thinking":false}}',
      LLM_MAX_RETRIES: '2',
      LLM_RETRY_BASE_MS: '100',
      LLM_RETRY_MAX_DELAY_MS: '2000',
      LLM_TIMEOUT_MS: '400',
      LLM_CONCURRENCY: '3',
      LLM_CIRCUIT_FAILURE_THRESHOLD: '3',
      LLM_CIRCUIT_COOLDOWN_MS: '500',
      LLM_AUTO_TRANSLATE_PROFILES: 'false',
    });
    llm = running.app.get(LlmService);
    const tokens = new ApiTokenRepository(running.database.pool);
    viewer = { Authorization: `Bearer ${(await tokens.create('vi', 'viewer')).token}` };
  });
  afterAll(async () => {
    await running.close();
    await fake.close();
    await thai.close();
  });
  beforeEach(() => {
    fake.reset();
    thai.reset();
  });

  const vars = { target_language: 'English', profile: 'Name: Acme' };

  it('always sends max_tokens and the prompt temperature; LangChain does no retries of its own', async () => {
    fake.enqueue({ status: 500 });
    fake.enqueue({ content: 'Acme makes parts.' });
    const r = await llm.complete('summarize-profile', vars, { outputLang: 'en' });
    expect(r).toMatchObject({ text: 'Acme makes parts.', model: 'fake-model', attempts: 2 });
    expect(fake.chatRequests()).toHaveLength(2);
    for (const req of fake.chatRequests()) {
      expect(req.body).toMatchObject({ model: 'fake-model', max_tokens: 400, temperature: 0.3 });
      expect(req.headers['x-kakehashi-task']).toBe('summarize-profile');
      expect(req.headers['x-stainless-retry-count']).toBe('0');
    }
  });

  it('retries 5xx with exponential backoff and jitter within bounds', async () => {
    fake.enqueue({ status: 500 }, { status: 503 }, { content: 'ok' });
    const r = await llm.complete('summarize-profile', vars);
    expect(r.attempts).toBe(3);
    const [first, second] = gaps(fake);
    // base 100 ms: attempt 1 waits 50–100 ms, attempt 2 waits 100–200 ms (plus local overhead).
    expect(first).toBeGreaterThanOrEqual(45);
    expect(first).toBeLessThan(400);
    expect(second).toBeGreaterThanOrEqual(95);
    expect(second).toBeLessThan(500);
  });

  it('honours Retry-After on a 429', async () => {
    fake.enqueue({ status: 429, headers: { 'retry-after': '1' } }, { content: 'ok' });
    await llm.complete('summarize-profile', vars);
    expect(gaps(fake)[0]).toBeGreaterThanOrEqual(990);
  });

  it('a 429 asking for longer than LLM_RETRY_MAX_DELAY_MS fails at once as rate-limited', async () => {
    fake.enqueue({ status: 429, headers: { 'retry-after': '30' } });
    await expect(llm.complete('summarize-profile', vars)).rejects.toMatchObject({ kind: 'rate-limited' });
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('retries a dropped connection and a malformed JSON body', async () => {
    fake.enqueue({ drop: true }, { raw: '{"choices": [ not json' }, { content: 'fine' });
    const r = await llm.complete('summarize-profile', vars);
    expect(r).toMatchObject({ text: 'fine', attempts: 3 });
  });

  it('times out slow answers, retries them, and reports a timeout', async () => {
    fake.onChat(() => ({ delayMs: 1500, content: 'too late' }));
    const started = Date.now();
    await expect(llm.complete('summarize-profile', vars)).rejects.toMatchObject({
      name: 'LlmCallError',
      kind: 'timeout',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 400);
    expect(fake.chatRequests()).toHaveLength(3);
    // Three timeouts in a row count as an outage: the circuit is open now. Let it probe and close.
    expect(llm.isAvailable()).toBe(false);
    await closeCircuit();
  });

  it('opens the circuit while the provider is down, fails fast, then probes and closes', async () => {
    fake.onChat(() => ({ status: 503 }));
    await expect(llm.complete('summarize-profile', vars)).rejects.toBeInstanceOf(LlmCallError);
    expect(fake.chatRequests()).toHaveLength(3);
    const started = Date.now();
    await expect(llm.complete('summarize-profile', vars)).rejects.toMatchObject({ reason: 'circuit-open' });
    expect(Date.now() - started).toBeLessThan(50);
    expect(fake.chatRequests()).toHaveLength(3);
    expect(llm.isAvailable()).toBe(false);
    const ready = (await (await fetch(`${running.url}/health/ready`)).json()) as {
      status: string;
      checks: Record<string, { status: string }>;
    };
    expect(ready.status).toBe('ok');
    expect(ready.checks.llm.status).toBe('degraded');

    // Still down at the probe: open again.
    await new Promise((r) => setTimeout(r, 550));
    await expect(llm.complete('summarize-profile', vars)).rejects.toBeInstanceOf(LlmCallError);
    expect(fake.chatRequests()).toHaveLength(4);
    await expect(llm.complete('summarize-profile', vars)).rejects.toBeInstanceOf(LlmUnavailableError);

    // Back up: the probe succeeds and the circuit closes.
    fake.onChat(() => ({ content: 'back' }));
    await new Promise((r) => setTimeout(r, 550));
    expect((await llm.complete('summarize-profile', vars)).text).toBe('back');
    expect(llm.isAvailable()).toBe(true);
  });

  it('keeps at most LLM_CONCURRENCY calls in flight per endpoint', async () => {
    fake.setDefaultDelay(150);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => llm.complete('summarize-profile', vars)),
    );
    expect(results).toHaveLength(10);
    expect(fake.chatRequests()).toHaveLength(10);
    expect(fake.maxInFlight).toBe(3);
  });

  it('streams deltas over SSE and returns the usage', async () => {
    fake.enqueue({ content: 'Acme makes brake parts.', chunks: ['Acme ', 'makes ', 'brake ', 'parts.'] });
    const gen = llm.stream('summarize-profile', vars, { outputLang: 'en' });
    const parts: string[] = [];
    let step = await gen.next();
    while (!step.done) {
      parts.push(step.value);
      step = await gen.next();
    }
    expect(parts).toEqual(['Acme ', 'makes ', 'brake ', 'parts.']);
    expect(step.value).toMatchObject({ text: 'Acme makes brake parts.', model: 'fake-model' });
    expect(step.value.outputTokens).toBeGreaterThan(0);
    expect(fake.chatRequests()[0].body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('retries a stream that fails before its first delta', async () => {
    fake.enqueue({ status: 502 }, { content: 'ok stream' });
    const parts: string[] = [];
    for await (const p of llm.stream('summarize-profile', vars)) parts.push(p);
    expect(parts.join('')).toBe('ok stream');
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it('the fake server answers embeddings deterministically, as floats or base64, with the requested size', async () => {
    const ask = (body: Record<string, unknown>) =>
      fetch(`${fake.url}/v1/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ data: Array<{ embedding: number[] | string }> }>);
    const a = await ask({ model: 'e', input: ['タイ', 'ไทย'], dimensions: 4 });
    const b = await ask({ model: 'e', input: 'タイ', dimensions: 4 });
    expect(a.data).toHaveLength(2);
    expect(a.data[0].embedding).toHaveLength(4);
    expect(b.data[0].embedding).toEqual(a.data[0].embedding);
    const packed = await ask({ model: 'e', input: 'タイ', encoding_format: 'base64' });
    const bytes = Buffer.from(packed.data[0].embedding as string, 'base64');
    const vector = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    expect(vector).toHaveLength(8);
    expect(fake.embeddingRequests()).toHaveLength(3);
  });

  describe('structured extraction', () => {
    const schema = z.object({
      intent: z.enum(['find_partner', 'ask_question', 'greeting', 'handoff', 'other']),
      language: z.enum(['ja', 'th', 'en']),
    });
    const fallback = () => ({ intent: 'other' as const, language: 'ja' as const });

    it('repairs JSON wrapped in prose and a code fence', async () => {
      fake.enqueue({ content: 'Here you go:\n```json\n{"intent": "find_partner", "language": "ja",}\n```' });
      const r = await llm.extract('understand-request', { message: 'タイの代理店を探しています' }, schema, {
        fallback,
      });
      expect(r).toMatchObject({ source: 'repaired', value: { intent: 'find_partner', language: 'ja' } });
      expect(fake.chatRequests()).toHaveLength(1);
    });

    it('asks again once naming the problem, then falls back to the rules', async () => {
      fake.enqueue(
        { content: '{"intent": "shopping", "language": "ja"}' },
        { content: '{"intent":"greeting","language":"th"}' },
      );
      const retried = await llm.extract('understand-request', { message: 'สวัสดี' }, schema, { fallback });
      expect(retried).toMatchObject({ source: 'retried', value: { intent: 'greeting' } });
      const second = fake.chatRequests()[1].body.messages as Array<{ role: string; content: string }>;
      expect(second.at(-1)!.content).toMatch(/intent/);

      fake.reset();
      fake.onChat(() => ({ content: 'I cannot answer in JSON.' }));
      const fell = await llm.extract('understand-request', { message: 'hello' }, schema, { fallback });
      expect(fell).toMatchObject({ source: 'fallback', fallbackReason: 'invalid-output', value: fallback() });
      expect(fake.chatRequests()).toHaveLength(2);
    });
  });

  it('routes by output language: Thai output goes to the Thai model with its extra body', async () => {
    thai.enqueue({ content: 'บริษัทผลิตชิ้นส่วน' });
    fake.enqueue({ content: '部品メーカーです' });
    expect((await llm.complete('summarize-profile', vars, { outputLang: 'th' })).model).toBe('thai-model');
    expect((await llm.complete('summarize-profile', vars, { outputLang: 'ja' })).model).toBe('fake-model');
    expect(thai.chatRequests()).toHaveLength(1);
    expect(thai.chatRequests()[0].body).toMatchObject({
      model: 'thai-model',
      chat_template_kwargs: { enable_thinking: false },
    });
    expect(fake.chatRequests()[0].body.model).toBe('fake-model');
    expect(fake.chatRequests()[0].body.chat_template_kwargs).toBeUndefined();
  });

  it('records every call and summarises usage by day, task and model for staff', async () => {
    const res = await fetch(`${running.url}/api/llm/usage`, { headers: viewer });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      items: Array<{ task: string; model: string; calls: number; failed: number; inputTokens: number }>;
      endpoints: unknown[];
    };
    const summaries = body.items.find((i) => i.task === 'summarize-profile' && i.model === 'fake-model');
    expect(summaries!.calls).toBeGreaterThan(10);
    expect(summaries!.failed).toBeGreaterThan(0);
    expect(summaries!.inputTokens).toBeGreaterThan(0);
    expect(body.items.some((i) => i.model === 'thai-model')).toBe(true);
    expect(body.endpoints).toHaveLength(2);
    const { rows } = await running.database.pool.query<{ prompt_version: string; outcome: string }>(
      'SELECT DISTINCT prompt_version, outcome FROM llm_calls',
    );
    expect(rows.every((r) => /^[0-9a-f]{12}$/.test(r.prompt_version))).toBe(true);
    expect(new Set(rows.map((r) => r.outcome))).toEqual(
      new Set(['ok', 'error', 'timeout', 'rate_limited', 'unavailable', 'invalid_output']),
    );
    expect((await fetch(`${running.url}/api/llm/usage`)).status).toBe(401);
  });

  async function closeCircuit() {
    for (let i = 0; i < 40 && !llm.isAvailable(); i++) await new Promise((r) => setTimeout(r, 50));
    fake.reset();
    await llm.complete('summarize-profile', vars);
    fake.reset();
  }
});

describe('prompt files are checked at boot', () => {
  it('a prompt with an undeclared variable stops start-up with a message naming the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-prompts-'));
    // Nest ends the process on a start-up error; here that becomes a throw, and the log line is captured.
    const exit = jest.spyOn(process, 'exit').mockImplementation(() => {
      throw new Error('process.exit');
    });
    const abort = jest.spyOn(process, 'abort').mockImplementation(() => undefined as never);
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      for (const f of fs.readdirSync(projectPath('prompts')))
        fs.copyFileSync(projectPath('prompts', f), path.join(dir, f));
      const file = path.join(dir, 'translate.md');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('{{text}}', '{{text}} {{tone}}'));
      fs.rmSync(path.join(dir, 'reply.md'));
      await expect(
        startTestApp({ LLM_PROMPTS_DIR: dir, LLM_BASE_URL: 'http://127.0.0.1:9/v1', LLM_MODEL: 'm' }),
      ).rejects.toThrow();
      const log = lines.join('');
      expect(log).toMatch(/PromptError/);
      expect(log).toMatch(/prompts\/translate\.md: \{\{tone\}\} is used but not declared/);
      expect(log).toMatch(/prompts\/reply\.md: missing/);
    } finally {
      exit.mockRestore();
      abort.mockRestore();
      write.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
