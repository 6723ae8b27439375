import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Lang } from '../../companies/company-profile.schema';
import type { Channel } from '../../conversation/conversation.types';
import { PG_POOL } from '../../database/database.tokens';
import type { Queryable } from '../../database/transaction';

export type ConversationMode = 'bot' | 'staff';

export interface ConversationListFilter {
  channel?: Channel;
  lang?: Lang;
  /** needs-staff: the user asked for a human and nobody has taken over; staff: taken over; all. */
  queue: 'all' | 'needs-staff' | 'staff';
  /** Only threads with a message in the last this many minutes. */
  activeWithinMinutes?: number;
  limit: number;
  offset: number;
}

/** A thread as the console lists it: no channel user ids, no message text. */
export interface ConversationSummary {
  id: string;
  channel: Channel;
  isGroup: boolean;
  lang: Lang | null;
  mode: ConversationMode;
  needsStaffSince: string | null;
  staffTakenBy: string | null;
  staffTakenAt: string | null;
  linkedCompanyExternalId: string | null;
  messageCount: number;
  lastMessageAt: string;
  createdAt: string;
}

/** What delivery and the notices need to reach the thread; the channel ids never leave the server. */
export interface ConversationTarget extends ConversationSummary {
  channelConversationId: string;
  userLang: Lang | null;
}

export interface StoredMessage {
  id: string;
  direction: 'in' | 'out';
  kind: 'text' | 'postback' | 'bot' | 'staff';
  text: string | null;
  payload: Record<string, unknown> | null;
  lang: Lang | null;
  status: 'active' | 'unsent' | 'edited';
  generated: boolean;
  createdAt: string;
}

interface SummaryRow {
  id: string;
  channel: Channel;
  is_group: boolean;
  lang: Lang | null;
  mode: ConversationMode;
  needs_staff_since: Date | null;
  staff_taken_by: string | null;
  staff_taken_at: Date | null;
  linked_company_external_id: string | null;
  message_count: string;
  last_message_at: Date;
  created_at: Date;
}

const SUMMARY_COLUMNS = `c.id, c.channel, c.is_group, COALESCE(u.lang, c.last_lang) AS lang, c.mode,
  c.needs_staff_since, c.staff_taken_by, c.staff_taken_at, u.linked_company_external_id,
  (SELECT count(*) FROM chat_messages m WHERE m.conversation_id = c.id) AS message_count,
  c.last_message_at, c.created_at`;

/**
 * The console's reads and writes on the conversation engine's tables (chat_conversations, chat_messages): the
 * list, one thread's messages, the staff-mode switch and staff messages. The engine reads `mode` on every turn
 * and stays quiet while it is 'staff'.
 */
@Injectable()
export class StaffConversationRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async list(filter: ConversationListFilter): Promise<{ items: ConversationSummary[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.channel) add((p) => `c.channel = ${p}`, filter.channel);
    if (filter.lang) add((p) => `COALESCE(u.lang, c.last_lang) = ${p}`, filter.lang);
    if (filter.queue === 'needs-staff') where.push(`c.needs_staff_since IS NOT NULL AND c.mode = 'bot'`);
    if (filter.queue === 'staff') where.push(`c.mode = 'staff'`);
    if (filter.activeWithinMinutes)
      add((p) => `c.last_message_at > now() - make_interval(mins => ${p})`, filter.activeWithinMinutes);
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // The waiting queue is served oldest request first; everything else most recent activity first.
    const order =
      filter.queue === 'needs-staff' ? 'c.needs_staff_since ASC, c.id' : 'c.last_message_at DESC, c.id';
    const { rows } = await this.pool.query<SummaryRow & { total: string }>(
      `SELECT ${SUMMARY_COLUMNS}, count(*) OVER () AS total
       FROM chat_conversations c LEFT JOIN chat_users u ON u.id = c.chat_user_id
       ${whereSql}
       ORDER BY ${order}
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.limit, filter.offset],
    );
    let total = rows[0] ? Number(rows[0].total) : 0;
    if (!rows[0] && filter.offset > 0) {
      const { rows: counted } = await this.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM chat_conversations c LEFT JOIN chat_users u ON u.id = c.chat_user_id ${whereSql}`,
        params,
      );
      total = Number(counted[0].n);
    }
    return { items: rows.map(toSummary), total };
  }

  /** Threads waiting for a human (the console's badge). */
  async countWaiting(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM chat_conversations WHERE needs_staff_since IS NOT NULL AND mode = 'bot'`,
    );
    return Number(rows[0].n);
  }

  async find(id: string, db: Queryable = this.pool, lock = false): Promise<ConversationTarget | undefined> {
    const { rows } = await db.query<SummaryRow & { channel_conversation_id: string; user_lang: Lang | null }>(
      `SELECT ${SUMMARY_COLUMNS}, c.channel_conversation_id, u.lang AS user_lang
       FROM chat_conversations c LEFT JOIN chat_users u ON u.id = c.chat_user_id
       WHERE c.id = $1 ${lock ? 'FOR UPDATE OF c' : ''}`,
      [id],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { ...toSummary(row), channelConversationId: row.channel_conversation_id, userLang: row.user_lang };
  }

  /** The latest `limit` messages (or those after `afterId`), oldest first. */
  async messages(
    conversationId: string,
    afterId: string | undefined,
    limit: number,
  ): Promise<StoredMessage[]> {
    const { rows } = await this.pool.query<{
      id: string;
      direction: 'in' | 'out';
      kind: StoredMessage['kind'];
      text: string | null;
      payload: Record<string, unknown> | null;
      lang: Lang | null;
      status: StoredMessage['status'];
      generated: boolean;
      created_at: Date;
    }>(
      afterId === undefined
        ? `SELECT * FROM (
             SELECT id, direction, kind, text, payload, lang, status, generated, created_at FROM chat_messages
             WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2) last ORDER BY id`
        : `SELECT id, direction, kind, text, payload, lang, status, generated, created_at FROM chat_messages
           WHERE conversation_id = $1 AND id > $3::bigint ORDER BY id LIMIT $2`,
      afterId === undefined ? [conversationId, limit] : [conversationId, limit, afterId],
    );
    return rows.map((r) => ({
      id: String(r.id),
      direction: r.direction,
      kind: r.kind,
      text: r.text,
      payload: r.payload,
      lang: r.lang,
      status: r.status,
      generated: r.generated,
      createdAt: r.created_at.toISOString(),
    }));
  }

  async message(conversationId: string, messageId: string): Promise<StoredMessage | undefined> {
    const found = await this.messages(conversationId, (BigInt(messageId) - 1n).toString(), 1);
    return found[0]?.id === messageId ? found[0] : undefined;
  }

  /**
   * Switches the thread to staff mode (the bot stops answering) or back. Only from the other mode: returns false
   * when the thread was already there (someone else was first). Taking over answers the "needs staff" request.
   */
  async setMode(db: Queryable, id: string, mode: ConversationMode, actor: string): Promise<boolean> {
    const { rowCount } = await db.query(
      mode === 'staff'
        ? `UPDATE chat_conversations SET mode = 'staff', staff_taken_by = $2, staff_taken_at = now(),
             needs_staff_since = NULL, updated_at = now()
           WHERE id = $1 AND mode = 'bot'`
        : `UPDATE chat_conversations SET mode = 'bot', staff_taken_by = NULL, staff_taken_at = NULL,
             needs_staff_since = NULL, updated_at = now()
           WHERE id = $1 AND mode = 'staff' AND $2::text IS NOT NULL`,
      [id, actor],
    );
    return (rowCount ?? 0) > 0;
  }

  /**
   * An outgoing message in the thread: kind 'staff' for what a coordinator wrote, 'bot' for the notices about
   * the switch. `payload.texts` is what the user reads (the web chat replays it on reconnect).
   */
  async appendOutgoing(
    db: Queryable,
    conversationId: string,
    message: { kind: 'bot' | 'staff'; texts: string[]; lang: Lang; extra?: Record<string, unknown> },
  ): Promise<string> {
    const payload = { texts: message.texts, cards: [], quickReplies: [], ...message.extra };
    const { rows } = await db.query<{ id: string }>(
      `WITH ins AS (
         INSERT INTO chat_messages (conversation_id, direction, kind, text, payload, lang)
         VALUES ($1, 'out', $2, $3, $4::jsonb, $5) RETURNING id),
       touch AS (UPDATE chat_conversations SET last_message_at = now() WHERE id = $1)
       SELECT id FROM ins`,
      [conversationId, message.kind, message.texts.join('\n\n'), JSON.stringify(payload), message.lang],
    );
    return String(rows[0].id);
  }
}

function toSummary(r: SummaryRow): ConversationSummary {
  return {
    id: r.id,
    channel: r.channel,
    isGroup: r.is_group,
    lang: r.lang,
    mode: r.mode,
    needsStaffSince: r.needs_staff_since?.toISOString() ?? null,
    staffTakenBy: r.staff_taken_by,
    staffTakenAt: r.staff_taken_at?.toISOString() ?? null,
    linkedCompanyExternalId: r.linked_company_external_id,
    messageCount: Number(r.message_count),
    lastMessageAt: r.last_message_at.toISOString(),
    createdAt: r.created_at.toISOString(),
  };
}
