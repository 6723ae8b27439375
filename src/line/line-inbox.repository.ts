import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.tokens';
import type { Queryable } from '../database/transaction';
import type { LineEvent } from './line-event';

export interface NewInboxEvent {
  eventKey: string;
  conversationKey: string;
  eventType: string;
  messageId?: string;
  destination?: string;
  event: LineEvent;
}

export interface InboxRow {
  id: string;
  eventKey: string;
  conversationKey: string;
  eventType: string;
  destination?: string;
  event: LineEvent;
  /** Including the attempt that just claimed it. */
  attempts: number;
  receivedAt: Date;
}

export type InboxStatus = 'pending' | 'processing' | 'done' | 'ignored' | 'failed';

interface RawInboxRow {
  id: string;
  event_key: string;
  conversation_key: string;
  event_type: string;
  destination: string | null;
  payload: LineEvent;
  attempts: number;
  received_at: Date;
}

/**
 * The inbox of LINE webhook events. Rows are claimed with FOR UPDATE SKIP LOCKED under a lease, so several
 * instances share the work and a crashed worker's rows come back when its lease runs out. Only the oldest
 * open event of a conversation is claimable, so each conversation is handled in arrival order.
 */
@Injectable()
export class LineInboxRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * One statement for any number of events (a webhook body, or several bodies written together); redeliveries
   * and duplicates are dropped by the unique key. Returns the keys that were new.
   */
  async insertEvents(events: NewInboxEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    const rows = events.map((e) => ({
      event_key: e.eventKey,
      conversation_key: e.conversationKey,
      event_type: e.eventType,
      message_id: e.messageId ?? null,
      destination: e.destination ?? null,
      payload: e.event,
    }));
    // WITH ORDINALITY keeps arrival order in the ids: events of a conversation are handled in that order.
    const { rows: inserted } = await this.pool.query<{ event_key: string }>(
      `INSERT INTO line_inbox (event_key, conversation_key, event_type, message_id, destination, payload)
       SELECT r->>'event_key', r->>'conversation_key', r->>'event_type', r->>'message_id', r->>'destination',
              r->'payload'
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(r, n)
       ORDER BY n
       ON CONFLICT (event_key) DO NOTHING
       RETURNING event_key`,
      [JSON.stringify(rows)],
    );
    return inserted.map((r) => r.event_key);
  }

  /**
   * Claims up to `limit` events that are due: pending, or processing under an expired lease (its worker died).
   * An event waits while an earlier event of its conversation is still open, even one backing off.
   */
  async claim(workerId: string, limit: number, leaseSeconds: number): Promise<InboxRow[]> {
    const { rows } = await this.pool.query<RawInboxRow>(
      `WITH next AS (
         SELECT i.id FROM line_inbox i
         WHERE i.status IN ('pending', 'processing')
           AND (i.status = 'pending' OR i.locked_until < now())
           AND i.available_at <= now()
           AND NOT EXISTS (
             SELECT 1 FROM line_inbox e
             WHERE e.conversation_key = i.conversation_key AND e.id < i.id
               AND e.status IN ('pending', 'processing'))
         ORDER BY i.id
         LIMIT $2
         FOR UPDATE SKIP LOCKED)
       UPDATE line_inbox t
       SET status = 'processing', locked_by = $1, locked_until = now() + make_interval(secs => $3),
           attempts = t.attempts + 1
       FROM next WHERE t.id = next.id
       RETURNING t.id, t.event_key, t.conversation_key, t.event_type, t.destination, t.payload, t.attempts,
                 t.received_at`,
      [workerId, limit, leaseSeconds],
    );
    return rows
      .map((r) => ({
        id: r.id,
        eventKey: r.event_key,
        conversationKey: r.conversation_key,
        eventType: r.event_type,
        destination: r.destination ?? undefined,
        event: r.payload,
        attempts: r.attempts,
        receivedAt: r.received_at,
      }))
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  /** Keeps this worker's claims alive while it is still working on them. */
  async renewLeases(workerId: string, ids: string[], leaseSeconds: number): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query(
      `UPDATE line_inbox SET locked_until = now() + make_interval(secs => $3)
       WHERE id = ANY($2::bigint[]) AND locked_by = $1 AND status = 'processing'`,
      [workerId, ids, leaseSeconds],
    );
  }

  /**
   * Marks a claimed event handled. False when this worker no longer holds it (its lease ran out and another
   * worker took over): the caller's transaction must then roll back so nothing is sent twice.
   */
  async complete(db: Queryable, id: string, workerId: string, status: 'done' | 'ignored'): Promise<boolean> {
    const result = await db.query(
      `UPDATE line_inbox SET status = $3, processed_at = now(), locked_by = NULL, locked_until = NULL,
              last_error = NULL
       WHERE id = $1 AND locked_by = $2 AND status = 'processing'`,
      [id, workerId, status],
    );
    return result.rowCount === 1;
  }

  async retryLater(id: string, workerId: string, delayMs: number, error: string): Promise<void> {
    await this.pool.query(
      `UPDATE line_inbox SET status = 'pending', available_at = now() + make_interval(secs => $3),
              locked_by = NULL, locked_until = NULL, last_error = $4
       WHERE id = $1 AND locked_by = $2 AND status = 'processing'`,
      [id, workerId, delayMs / 1000, error.slice(0, 500)],
    );
  }

  /** Out of attempts: the event stays, 'failed' and visible, with its last error. */
  async fail(db: Queryable, id: string, workerId: string, error: string): Promise<boolean> {
    const result = await db.query(
      `UPDATE line_inbox SET status = 'failed', processed_at = now(), locked_by = NULL, locked_until = NULL,
              last_error = $3
       WHERE id = $1 AND locked_by = $2 AND status = 'processing'`,
      [id, workerId, error.slice(0, 500)],
    );
    return result.rowCount === 1;
  }

  /** Hands unfinished claims back at shutdown, so another instance (or the next start) takes them at once. */
  async release(workerId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query(
      `UPDATE line_inbox SET status = 'pending', locked_by = NULL, locked_until = NULL,
              attempts = greatest(attempts - 1, 0)
       WHERE id = ANY($2::bigint[]) AND locked_by = $1 AND status = 'processing'`,
      [workerId, ids],
    );
  }

  /** An unsent message's text must not survive in the stored webhook payloads either. */
  async redactMessageText(messageId: string): Promise<void> {
    await this.pool.query(
      `UPDATE line_inbox SET payload = payload #- '{message,text}' #- '{message,mention}'
       WHERE message_id = $1 AND payload->'message' ? 'text'`,
      [messageId],
    );
  }

  /**
   * Deletes events handled more than `days` ago (LINE no longer redelivers them; their texts should not stay
   * forever), at most `limit` per call so the embedded database is never held for long. Failed events stay.
   */
  async purgeHandled(days: number, limit: number): Promise<number> {
    const result = await this.pool.query(
      `DELETE FROM line_inbox WHERE id IN (
         SELECT id FROM line_inbox
         WHERE status IN ('done', 'ignored') AND processed_at < now() - make_interval(days => $1)
         LIMIT $2)`,
      [days, limit],
    );
    return result.rowCount ?? 0;
  }

  async countByStatus(): Promise<Record<InboxStatus, number>> {
    const { rows } = await this.pool.query<{ status: InboxStatus; n: string }>(
      'SELECT status, count(*)::text AS n FROM line_inbox GROUP BY status',
    );
    const counts: Record<InboxStatus, number> = { pending: 0, processing: 0, done: 0, ignored: 0, failed: 0 };
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }
}
