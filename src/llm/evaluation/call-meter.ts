import { randomUUID } from 'node:crypto';
import { requestContext } from '../../common/request-context';
import type { LlmCallRecord, LlmCallRepository } from '../llm-call.repository';

/** The model calls one piece of work made, as LlmService recorded them (tokens, outcome, error kind). */
export interface MeteredCalls {
  calls: LlmCallRecord[];
  inputTokens: number;
  outputTokens: number;
}

/**
 * Attributes recorded model calls to the work that made them. LlmService records every call with the request id
 * of the async context it runs in; running each item under its own id lets the evaluation count tokens and read
 * outcomes per sentence even with many items in flight, without touching the call path.
 */
export class CallMeter {
  private readonly open = new Map<string, LlmCallRecord[]>();

  constructor(calls: LlmCallRepository) {
    calls.observe((call) => {
      if (call.requestId) this.open.get(call.requestId)?.push(call);
    });
  }

  /** Runs `work` under its own request id; its value or its error, with the model calls it made. */
  async settle<T>(
    label: string,
    work: () => Promise<T>,
  ): Promise<({ value: T; error?: undefined } | { value?: undefined; error: Error }) & MeteredCalls> {
    const requestId = `eval-llm:${label}:${randomUUID()}`;
    const calls: LlmCallRecord[] = [];
    this.open.set(requestId, calls);
    try {
      const value = await requestContext.run({ requestId }, work);
      return { value, ...totals(calls) };
    } catch (err) {
      return { error: err as Error, ...totals(calls) };
    } finally {
      this.open.delete(requestId);
    }
  }
}

function totals(calls: LlmCallRecord[]): MeteredCalls {
  return {
    calls,
    inputTokens: calls.reduce((s, c) => s + (c.inputTokens ?? 0), 0),
    outputTokens: calls.reduce((s, c) => s + (c.outputTokens ?? 0), 0),
  };
}
