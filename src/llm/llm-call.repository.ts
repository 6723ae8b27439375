import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.tokens';

export type LlmCallOutcome =
  'ok' | 'error' | 'timeout' | 'rate_limited' | 'unavailable' | 'invalid_output' | 'cancelled';

/** One model call as recorded: ids, sizes, timings; never prompt or answer text. */
export interface LlmCallRecord {
  task: string;
  endpoint: string;
  model: string;
  promptVersion: string;
  outputLang?: string;
  streamed: boolean;
  outcome: LlmCallOutcome;
  errorKind?: string;
  httpStatus?: number;
  attempts: number;
  latencyMs: number;
  queueMs: number;
  inputTokens?: number;
  outputTokens?: number;
  requestId?: string;
}

export interface UsageRow {
  day: string;
  task: string;
  model: string;
  calls: number;
  ok: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
  avgLatencyMs: number;
  p95LatencyMs: number;
}

const FLUSH_EVERY_MS = 200;
const FLUSH_AT_ROWS = 100;
const MAX_BUFFERED = 10_000;

/**
 * Writes call records in small batches a moment after the call (write-behind), so recording costs the caller
 * no database round trip: on the embedded database, which has one connection, that matters under load.
 * Readers call flush() first; shutdown flushes too.
 */
@Injectable()
export class LlmCallRepository implements OnModuleDestroy {
  private readonly logger = new Logger('LlmCalls');
  private buffer: LlmCallRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly observers: Array<(call: LlmCallRecord) => void> = [];

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Operations hook: told of every call as it is recorded (the metrics count calls, latency, tokens). */
  observe(listener: (call: LlmCallRecord) => void): void {
    this.observers.push(listener);
  }

  record(call: LlmCallRecord): void {
    for (const observer of this.observers) observer(call);
    if (this.buffer.length >= MAX_BUFFERED) {
      this.buffer.shift();
      this.logger.warn({ msg: 'llm call records dropped: database not keeping up' });
    }
    this.buffer.push(call);
    if (this.buffer.length >= FLUSH_AT_ROWS) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_EVERY_MS);
      this.timer.unref();
    }
  }

  /** Writes everything buffered so far. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const rows = this.buffer;
    this.buffer = [];
    this.flushing = this.flushing.then(() => (rows.length ? this.insert(rows) : undefined));
    return this.flushing;
  }

  async onModuleDestroy(): Promise<void> {
    await this.flush();
  }

  private async insert(rows: LlmCallRecord[]): Promise<void> {
    try {
      await this.pool.query(
        `INSERT INTO llm_calls (task, endpoint, model, prompt_version, output_lang, streamed, outcome, error_kind,
           http_status, attempts, latency_ms, queue_ms, input_tokens, output_tokens, request_id)
         SELECT x.task, x.endpoint, x.model, x.prompt_version, x.output_lang, x.streamed, x.outcome, x.error_kind,
           x.http_status, x.attempts, x.latency_ms, x.queue_ms, x.input_tokens, x.output_tokens, x.request_id
         FROM jsonb_to_recordset($1::jsonb) AS x(task text, endpoint text, model text, prompt_version text,
           output_lang text, streamed boolean, outcome text, error_kind text, http_status integer, attempts integer,
           latency_ms integer, queue_ms integer, input_tokens integer, output_tokens integer, request_id text)`,
        [
          JSON.stringify(
            rows.map((r) => ({
              task: r.task,
              endpoint: r.endpoint,
              model: r.model,
              prompt_version: r.promptVersion,
              output_lang: r.outputLang ?? null,
              streamed: r.streamed,
              outcome: r.outcome,
              error_kind: r.errorKind ?? null,
              http_status: r.httpStatus ?? null,
              attempts: r.attempts,
              latency_ms: Math.round(r.latencyMs),
              queue_ms: Math.round(r.queueMs),
              input_tokens: r.inputTokens ?? null,
              output_tokens: r.outputTokens ?? null,
              request_id: r.requestId ?? null,
            })),
          ),
        ],
      );
    } catch (err) {
      this.logger.error({
        msg: 'llm call records not written',
        rows: rows.length,
        error: (err as Error).message,
      });
    }
  }

  /** Calls per UTC day, task and model between two dates (inclusive). */
  async usage(from: string, to: string): Promise<UsageRow[]> {
    await this.flush();
    const { rows } = await this.pool.query<{
      day: string;
      task: string;
      model: string;
      calls: string;
      ok: string;
      input_tokens: string | null;
      output_tokens: string | null;
      avg_latency: string | null;
      p95_latency: string | null;
    }>(
      `SELECT to_char(date_trunc('day', at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, task, model,
         count(*) AS calls, count(*) FILTER (WHERE outcome = 'ok') AS ok,
         sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
         avg(latency_ms) AS avg_latency,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95_latency
       FROM llm_calls
       WHERE at >= ($1::date)::timestamp AT TIME ZONE 'UTC' AND at < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [from, to],
    );
    return rows.map((r) => ({
      day: r.day,
      task: r.task,
      model: r.model,
      calls: Number(r.calls),
      ok: Number(r.ok),
      failed: Number(r.calls) - Number(r.ok),
      inputTokens: Number(r.input_tokens ?? 0),
      outputTokens: Number(r.output_tokens ?? 0),
      avgLatencyMs: Math.round(Number(r.avg_latency ?? 0)),
      p95LatencyMs: Math.round(Number(r.p95_latency ?? 0)),
    }));
  }
}
