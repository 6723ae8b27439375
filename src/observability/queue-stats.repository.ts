import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.tokens';

export interface QueueStat {
  queue: string;
  /** Open rows per status (pending, processing/sending/running). */
  depth: Record<string, number>;
  oldestOpenAgeSeconds: number;
  failed: number;
}

/**
 * Depth, age and failures of the work queues other modules own (LINE inbox/outbox, deal-room relay, profile
 * auto-translation), read for `/metrics`. Each query uses the
 * queue's partial "open rows" index, so a scrape stays cheap however large the history grows. A queue whose
 * table does not exist (a module not installed, migrations of an older version) is simply left out.
 */
const QUEUES = [
  {
    queue: 'line_inbox',
    table: 'line_inbox',
    open: `status IN ('pending', 'processing')`,
    since: 'received_at',
    // No index on failed inbox rows: counting them is bounded to the last day.
    failed: `status = 'failed' AND received_at > now() - interval '1 day'`,
  },
  {
    queue: 'line_outbox',
    table: 'line_outbox',
    open: `status IN ('pending', 'sending')`,
    since: 'created_at',
    failed: `status = 'failed'`,
  },
  {
    // Deal-room messages waiting for translation or delivery (a model outage with RELAY_WITHOUT_LLM=wait).
    queue: 'relay',
    table: 'relay_messages',
    open: `status = 'pending'`,
    since: 'created_at',
    failed: `false`,
  },
  {
    queue: 'profile_translation',
    table: 'profile_translation_jobs',
    open: `status IN ('pending', 'running') AND run_after <= now()`,
    since: 'run_after',
    failed: `status = 'failed'`,
  },
] as const;

@Injectable()
export class QueueStatsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async read(): Promise<QueueStat[]> {
    const { rows: present } = await this.pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relname = ANY($1::text[])`,
      [QUEUES.map((q) => q.table)],
    );
    const tables = new Set(present.map((r) => r.name));
    const stats: QueueStat[] = [];
    for (const q of QUEUES) {
      if (!tables.has(q.table)) continue;
      const { rows } = await this.pool.query<{ status: string; n: number; oldest: number | null }>(
        `SELECT status, count(*)::int AS n, extract(epoch FROM now() - min(${q.since}))::float8 AS oldest
         FROM ${q.table} WHERE ${q.open} GROUP BY status`,
      );
      const { rows: failed } = await this.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${q.table} WHERE ${q.failed}`,
      );
      stats.push({
        queue: q.queue,
        depth: Object.fromEntries(rows.map((r) => [r.status, r.n])),
        oldestOpenAgeSeconds: Math.max(0, ...rows.map((r) => r.oldest ?? 0)),
        failed: failed[0]?.n ?? 0,
      });
    }
    return stats;
  }
}
