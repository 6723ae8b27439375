import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.tokens';

/** One kind of row the retention job purges: a batched DELETE of rows older than `days`. */
interface Purge {
  table: string;
  /** Selects the ids of up to $2 rows older than $1 days, locking them (SKIP LOCKED: other instances skip). */
  select: string;
  key: string;
}

const PURGES: Record<'conversations' | 'chatUsers' | 'llmCalls' | 'translations', Purge> = {
  // Messages cascade with their conversation.
  conversations: {
    table: 'chat_conversations',
    key: 'id',
    select: `SELECT id FROM chat_conversations WHERE last_message_at < now() - make_interval(days => $1)
               ORDER BY last_message_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
  },
  // Users not seen for as long, and none of their conversations left: their introduction requests go too.
  chatUsers: {
    table: 'chat_users',
    key: 'id',
    select: `SELECT u.id FROM chat_users u WHERE u.last_seen_at < now() - make_interval(days => $1)
               AND NOT EXISTS (SELECT 1 FROM chat_conversations c WHERE c.chat_user_id = u.id)
               ORDER BY u.last_seen_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
  },
  llmCalls: {
    table: 'llm_calls',
    key: 'id',
    select: `SELECT id FROM llm_calls WHERE at < now() - make_interval(days => $1)
               ORDER BY at LIMIT $2 FOR UPDATE SKIP LOCKED`,
  },
  translations: {
    table: 'translation_cache',
    key: 'cache_key',
    select: `SELECT cache_key FROM translation_cache
               WHERE coalesce(last_hit_at, created_at) < now() - make_interval(days => $1)
               ORDER BY coalesce(last_hit_at, created_at) LIMIT $2 FOR UPDATE SKIP LOCKED`,
  },
};

export type PurgeKind = keyof typeof PURGES;

/** The retention job's SQL: one short statement per batch, safe to run on several instances at once. */
@Injectable()
export class RetentionRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  tableOf(kind: PurgeKind): string {
    return PURGES[kind].table;
  }

  /** Deletes one batch; returns how many rows went (fewer than `batchSize`: nothing more is due). */
  async purgeBatch(kind: PurgeKind, days: number, batchSize: number): Promise<number> {
    const p = PURGES[kind];
    const { rows } = await this.pool.query<{ n: number }>(
      `WITH doomed AS (${p.select}),
         gone AS (DELETE FROM ${p.table} t USING doomed WHERE t.${p.key} = doomed.${p.key} RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [days, batchSize],
    );
    return rows[0]?.n ?? 0;
  }
}
