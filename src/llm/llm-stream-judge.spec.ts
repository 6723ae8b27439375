import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import { z } from 'zod';
import { loadConfig } from '../config/app-config';
import type { ChatDelta, ChatRequest } from './chat-transport';
import type { LlmCallRecord, LlmCallRepository } from './llm-call.repository';
import { LlmService, type OutputJudge } from './llm.service';
import { LlmCallError, LlmUnavailableError } from './llm.types';
import { PromptRegistry } from './prompt-registry';

/**
 * A streamed answer judged as it arrives: rejected text is never yielded, the call counts against the circuit
 * breaker like a failed one, and the call record says why. Unusable answers never count as signs of health.
 */
describe('LlmService.stream with a judge', () => {
  let dir: string;
  let prompts: PromptRegistry;
  let records: LlmCallRecord[];
  let requests: ChatRequest[];
  let answers: string[][];
  let completeAnswers: string[];

  async function* deltas(texts: string[]): AsyncIterable<ChatDelta> {
    for (const text of texts) yield { text };
  }

  const make = () => {
    const config = loadConfig({
      LLM_BASE_URL: 'http://llm.local/v1',
      LLM_MODEL: 'general',
      LLM_MAX_RETRIES: '2',
      LLM_CIRCUIT_FAILURE_THRESHOLD: '2',
      LLM_CIRCUIT_COOLDOWN_MS: '60000',
    });
    const transport = {
      complete: () => {
        const text = completeAnswers.shift();
        return text === undefined
          ? Promise.reject(new Error('unexpected complete'))
          : Promise.resolve({ text, finishReason: 'stop' });
      },
      stream: (req: ChatRequest) => {
        requests.push(req);
        const next = answers.shift();
        if (!next) throw new Error('unexpected stream');
        return deltas(next);
      },
    };
    const calls = { record: (r: LlmCallRecord) => records.push(r) } as unknown as LlmCallRepository;
    return new LlmService(config, transport, prompts, calls);
  };

  const noBraces: OutputJudge = (text, done) =>
    text.includes('}}') ? 'garbage' : done && text.length < 3 ? 'short' : undefined;

  async function read(llm: LlmService, judge: OutputJudge): Promise<{ seen: string[]; error?: unknown }> {
    const seen: string[] = [];
    try {
      for await (const piece of llm.stream('echo', { text: 'x' }, { judge })) seen.push(piece);
      return { seen };
    } catch (error) {
      return { seen, error };
    }
  }

  beforeAll(() => {
    Logger.overrideLogger(false);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-judge-'));
    fs.writeFileSync(
      path.join(dir, 'echo.md'),
      '---\ndescription: echo\ntemperature: 0.3\nmaxTokens: 200\nvariables: [text]\ndata: [text]\n---\n## System\nEcho the text politely.\n## User\n{{text}}\n',
    );
    prompts = PromptRegistry.load(dir);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    records = [];
    requests = [];
    answers = [];
    completeAnswers = [];
  });

  it('yields only judged text, stops at the first rejected delta and cancels the request', async () => {
    answers.push(['Hello ', 'there }}{{', ' more']);
    const { seen, error } = await read(make(), noBraces);
    expect(seen).toEqual(['Hello ']);
    expect(error).toBeInstanceOf(LlmCallError);
    expect(error).toMatchObject({ kind: 'invalid-output' });
    expect(requests[0].signal.aborted).toBe(true);
    // Not retried (the caller falls back), recorded as rejected output.
    expect(requests).toHaveLength(1);
    expect(records).toEqual([
      expect.objectContaining({
        outcome: 'invalid_output',
        errorKind: 'rejected_output:garbage',
        streamed: true,
      }),
    ]);
  });

  it('judges the whole answer once more when it is complete, and passes the system prompt to the judge', async () => {
    const seenInstructions: string[] = [];
    answers.push(['ok']);
    const { error } = await read(make(), (text, done, instructions) => {
      seenInstructions.push(instructions);
      return noBraces(text, done, instructions);
    });
    expect(error).toMatchObject({ kind: 'invalid-output' });
    expect(records[0]).toMatchObject({ errorKind: 'rejected_output:short' });
    expect(seenInstructions.every((i) => i.includes('Echo the text politely.'))).toBe(true);
  });

  it('opens the circuit after repeated rejected answers, like failed calls', async () => {
    const llm = make();
    answers.push(['}}{{'], ['{{}}']);
    expect((await read(llm, noBraces)).error).toBeInstanceOf(LlmCallError);
    expect(llm.isAvailable()).toBe(true);
    expect((await read(llm, noBraces)).error).toBeInstanceOf(LlmCallError);
    expect(llm.isAvailable()).toBe(false);
    const third = await read(llm, noBraces);
    expect(third.error).toBeInstanceOf(LlmUnavailableError);
    expect(requests).toHaveLength(2);
  });

  it('an extraction answer that cannot be used does not reset the count either', async () => {
    const llm = make();
    answers.push(['}}{{'], ['}}{{']);
    completeAnswers.push('not json', 'still not json');
    await read(llm, noBraces);
    const extracted = await llm.extract('echo', { text: 'x' }, z.object({ a: z.string() }), {
      fallback: () => ({ a: 'rules' }),
    });
    expect(extracted.source).toBe('fallback');
    expect(llm.isAvailable()).toBe(true);
    await read(llm, noBraces);
    expect(llm.isAvailable()).toBe(false);
  });

  it('a good answer in between resets the count', async () => {
    const llm = make();
    answers.push(['}}{{'], ['fine answer'], ['}}{{']);
    await read(llm, noBraces);
    expect((await read(llm, noBraces)).seen).toEqual(['fine answer']);
    await read(llm, noBraces);
    expect(llm.isAvailable()).toBe(true);
    expect(records.map((r) => r.outcome)).toEqual(['invalid_output', 'ok', 'invalid_output']);
  });
});
