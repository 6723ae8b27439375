import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.tokens';
import type { Queryable } from '../database/transaction';
import type { LineMessage } from './line-api.client';

/** A message to send, as the inbox worker decides it. */
export interface OutboxDraft {
  conversationKey: string;
  /** Push target: userId, groupId or roomId. */
  toId: string;
  replyToken?: string;
  /** After this the reply token is not tried; the message is pushed. */
  replyTokenExpiresAt?: Date;
  messages: LineMessage[];
}

export interface OutboxRow {
  /** Also the X-Line-Retry-Key of every push of this row. */
  id: string;
  conversationKey: string;
  toId: string;
  replyToken?: string;
  replyTokenExpiresAt?: Date;
  replyTokenUsedAt?: Date;
  messages: LineMessage[];
  /** Including the attempt that just claimed it. */
  attempts: number;
  createdAt: Date;
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

interface RawOutboxRow {
  id: string;
  conversation_key: string;
  to_id: string;
  reply_token: string | null;
  reply_token_expires_at: Date | null;
  reply_token_used_at: Date | null;
  messages: LineMessage[];
  attempts: number;
  created_at: Date;
  seq: string;
}

/**
 * The outbox of LINE messages. Written in the same transaction that marks an inbox event handled, so a handled
 * event always has its messages queued; drained like the inbox (SKIP LOCKED, leases, one conversation in
 * order). Rows are never deleted on failure: they end 'failed' with the last status and error.
 */
@Injectable()
export class LineOutboxRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async insert(db: Queryable, inboxId: string | undefined, drafts: OutboxDraft[]): Promise<string[]> {
    if (drafts.length === 0) return [];
    const rows = drafts.map((d) => ({
      inbox_id: inboxId ?? null,
      conversation_key: d.conversationKey,
      to_id: d.toId,
      reply_token: d.replyToken ?? null,
      reply_token_expires_at: d.replyTokenExpiresAt?.toISOString() ?? null,
      messages: d.messages,
    }));
    // Row order is outbox order (seq): the messages of one answer go out in the order given.
    const { rows: inserted } = await db.query<{ id: string }>(
      `INSERT INTO line_outbox (inbox_id, conversation_key, to_id, reply_token, reply_token_expires_at, messages)
       SELECT (r->>'inbox_id')::bigint, r->>'conversation_key', r->>'to_id', r->>'reply_token',
              (r->>'reply_token_expires_at')::timestamptz, r->'messages'
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(r, n)
       ORDER BY n
       RETURNING id`,
      [JSON.stringify(rows)],
    );
    return inserted.map((r) => r.id);
  }

  async claim(workerId: string, limit: number, leaseSeconds: number): Promise<OutboxRow[]> {
    const { rows } = await this.pool.query<RawOutboxRow>(
      `WITH next AS (
         SELECT o.id FROM line_outbox o
         WHERE o.status IN ('pending', 'sending')
           AND (o.status = 'pending' OR o.locked_until < now())
           AND o.available_at <= now()
           AND NOT EXISTS (
             SELECT 1 FROM line_outbox e
             WHERE e.conversation_key = o.conversation_key AND e.seq < o.seq
               AND e.status IN ('pending', 'sending'))
         ORDER BY o.seq
         LIMIT $2
         FOR UPDATE SKIP LOCKED)
       UPDATE line_outbox t
       SET status = 'sending', locked_by = $1, locked_until = now() + make_interval(secs => $3),
           attempts = t.attempts + 1
       FROM next WHERE t.id = next.id
       RETURNING t.id, t.seq, t.conversation_key, t.to_id, t.reply_token, t.reply_token_expires_at,
                 t.reply_token_used_at, t.messages, t.attempts, t.created_at`,
      [workerId, limit, leaseSeconds],
    );
    return rows
      .sort((a, b) => Number(a.seq) - Number(b.seq))
      .map((r) => ({
        id: r.id,
        conversationKey: r.conversation_key,
        toId: r.to_id,
        replyToken: r.reply_token ?? undefined,
        replyTokenExpiresAt: r.reply_token_expires_at ?? undefined,
        replyTokenUsedAt: r.reply_token_used_at ?? undefined,
        messages: r.messages,
        attempts: r.attempts,
        createdAt: r.created_at,
      }));
  }

  async renewLeases(workerId: string, ids: string[], leaseSeconds: number): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query(
      `UPDATE line_outbox SET locked_until = now() + make_interval(secs => $3)
       WHERE id = ANY($2::uuid[]) AND locked_by = $1 AND status = 'sending'`,
      [workerId, ids, leaseSeconds],
    );
  }

  /** Recorded before the reply call, so a token is never tried twice, even across a crash. */
  async markReplyTokenUsed(id: string, workerId: string): Promise<void> {
    await this.pool.query(
      `UPDATE line_outbox SET reply_token_used_at = now() WHERE id = $1 AND locked_by = $2`,
      [id, workerId],
    );
  }

  async markSent(id: string, workerId: string, via: 'reply' | 'push', status: number): Promise<void> {
    await this.pool.query(
      `UPDATE line_outbox SET status = 'sent', sent_via = $3, last_status = $4, sent_at = now(),
              locked_by = NULL, locked_until = NULL, last_error = NULL
       WHERE id = $1 AND locked_by = $2`,
      [id, workerId, via, status],
    );
  }

  async retryLater(
    id: string,
    workerId: string,
    delayMs: number,
    status: number | undefined,
    error: string,
  ): Promise<void> {
    await this.pool.query(
      `UPDATE line_outbox SET status = 'pending', available_at = now() + make_interval(secs => $3),
              locked_by = NULL, locked_until = NULL, last_status = $4, last_error = $5
       WHERE id = $1 AND locked_by = $2`,
      [id, workerId, delayMs / 1000, status ?? null, error.slice(0, 500)],
    );
  }

  async markFailed(id: string, workerId: string, status: number | undefined, error: string): Promise<void> {
    await this.pool.query(
      `UPDATE line_outbox SET status = 'failed', last_status = $3, last_error = $4,
              locked_by = NULL, locked_until = NULL
       WHERE id = $1 AND locked_by = $2`,
      [id, workerId, status ?? null, error.slice(0, 500)],
    );
  }

  /** Deletes messages sent more than `days` ago, at most `limit` per call. Failed messages stay. */
  async purgeSent(days: number, limit: number): Promise<number> {
    const result = await this.pool.query(
      `DELETE FROM line_outbox WHERE id IN (
         SELECT id FROM line_outbox WHERE status = 'sent' AND sent_at < now() - make_interval(days => $1)
         LIMIT $2)`,
      [days, limit],
    );
    return result.rowCount ?? 0;
  }

  async countByStatus(): Promise<Record<OutboxStatus, number>> {
    const { rows } = await this.pool.query<{ status: OutboxStatus; n: string }>(
      'SELECT status, count(*)::text AS n FROM line_outbox GROUP BY status',
    );
    const counts: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }
}
