import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Lang } from '../companies/company-profile.schema';
import { PG_POOL } from '../database/database.tokens';
import type { Queryable } from '../database/transaction';

export type RelayKind = 'text' | 'image' | 'file' | 'sticker' | 'notice';
export type SenderKind = 'member' | 'staff' | 'system';

/** Room notices: localized for each reader when delivered (never translated by a model). */
export type NoticeKey =
  | 'opened'
  | 'member-joined'
  | 'member-left'
  | 'staff-joined'
  | 'staff-left'
  | 'share-requested'
  | 'contacts'
  | 'closed';

export interface RelayAttachment {
  /** A stored file (relay_files). */
  fileId?: string;
  fileToken?: string;
  /** LINE content not fetched yet. */
  lineMessageId?: string;
  name?: string;
  contentType?: string;
  size?: number;
  /** image | file | video | audio (the media kind as the sender's channel named it). */
  media?: 'image' | 'file' | 'video' | 'audio';
  keywords?: string[];
  location?: { title?: string; address?: string; latitude?: number; longitude?: number };
  /** The content could not be fetched or stored: readers get a note instead. */
  failed?: boolean;
  /** Notices: which one, for which side (absent: everyone), about which side. */
  notice?: NoticeKey;
  to?: 'a' | 'b';
  about?: 'a' | 'b';
  /** A member the notice is not for (the one who just joined hears it from the reply). */
  except?: string;
}

export interface Translation {
  text: string;
  model?: string;
  /** No model could translate: this is the original, relayed with a note. */
  unavailable?: boolean;
  /** Machine translation whose checks found a minor problem (a term's form, a number): shown with a warning. */
  flagged?: boolean;
}

export interface RelayMessage {
  id: string;
  roomId: string;
  seq: number;
  senderMemberId?: string;
  senderKind: SenderKind;
  kind: RelayKind;
  text?: string;
  lang?: Lang;
  attachment?: RelayAttachment;
  translations: Partial<Record<Lang, Translation>>;
  status: 'pending' | 'ready' | 'delivered';
  attempts: number;
  createdAt: Date;
}

export interface NewRelayMessage {
  roomId: string;
  senderMemberId?: string;
  senderKind: SenderKind;
  kind: RelayKind;
  text?: string;
  lang?: Lang;
  attachment?: RelayAttachment;
  channelMessageId?: string;
  /** Notices and messages that need no translation go straight to 'ready'. */
  ready?: boolean;
}

export interface DeliveryRow {
  messageId: string;
  memberId: string;
  lang: Lang;
  outboxId?: string;
}

interface MessageRow {
  id: string;
  room_id: string;
  seq: string;
  sender_member_id: string | null;
  sender_kind: SenderKind;
  kind: RelayKind;
  text: string | null;
  lang: Lang | null;
  attachment: RelayAttachment | null;
  translations: Partial<Record<Lang, Translation>>;
  status: 'pending' | 'ready' | 'delivered';
  attempts: number;
  created_at: Date;
}

const COLUMNS = `x.id, x.room_id, x.seq, x.sender_member_id, x.sender_kind, x.kind, x.text, x.lang, x.attachment,
  x.translations, x.status, x.attempts, x.created_at`;

/**
 * The relay queue. A message is inserted with the next sequence number of its room (the room row is the lock,
 * so sequence order is commit order), claimed by a worker for translation with FOR UPDATE SKIP LOCKED under a
 * lease, marked ready with all its translations, and delivered in sequence order per room by whoever holds the
 * room row (relay_deliveries records who got what).
 */
@Injectable()
export class RelayMessageRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Stores a message once: a repeat of the same channel message from the same member returns the first one.
   * Returns undefined when the room is closed.
   */
  async insert(
    m: NewRelayMessage,
    db: Queryable = this.pool,
  ): Promise<{ id: string; seq: number; duplicate: boolean } | undefined> {
    const { rows } = await db.query<{ id: string; seq: string; duplicate: boolean }>(
      `WITH dup AS (
         SELECT id, seq FROM relay_messages
         WHERE $9::text IS NOT NULL AND sender_member_id = $2 AND channel_message_id = $9),
       r AS (
         UPDATE deal_rooms SET next_seq = next_seq + 1, updated_at = now()
         WHERE id = $1 AND status = 'open' AND NOT EXISTS (SELECT 1 FROM dup)
         RETURNING id, next_seq),
       ins AS (
         INSERT INTO relay_messages (room_id, seq, sender_member_id, sender_kind, kind, text, lang, attachment,
           channel_message_id, status, ready_at)
         SELECT r.id, r.next_seq, $2, $3, $4, $5, $6, $7::jsonb, $9,
           CASE WHEN $8::boolean THEN 'ready' ELSE 'pending' END, CASE WHEN $8::boolean THEN now() END
         FROM r
         ON CONFLICT (sender_member_id, channel_message_id) WHERE channel_message_id IS NOT NULL DO NOTHING
         RETURNING id, seq)
       SELECT id, seq, false AS duplicate FROM ins UNION ALL SELECT id, seq, true FROM dup`,
      [
        m.roomId,
        m.senderMemberId ?? null,
        m.senderKind,
        m.kind,
        m.text ?? null,
        m.lang ?? null,
        m.attachment ? JSON.stringify(m.attachment) : null,
        m.ready === true,
        m.channelMessageId ?? null,
      ],
    );
    const row = rows[0];
    return row ? { id: String(row.id), seq: Number(row.seq), duplicate: row.duplicate } : undefined;
  }

  /** Pending messages that are due and not held by a live lease, oldest first. */
  /**
   * Claims due pending messages, with the languages their readers read now (active members other than the
   * sender, staff aside): what the worker must translate into.
   */
  async claim(
    workerId: string,
    limit: number,
    leaseSeconds: number,
  ): Promise<Array<RelayMessage & { readerLangs: Lang[] }>> {
    const { rows } = await this.pool.query<MessageRow & { reader_langs: Lang[] | null }>(
      `WITH next AS (
         SELECT id FROM relay_messages
         WHERE status = 'pending' AND available_at <= now() AND (locked_until IS NULL OR locked_until < now())
         ORDER BY id LIMIT $2
         FOR UPDATE SKIP LOCKED)
       UPDATE relay_messages x SET locked_by = $1, locked_until = now() + make_interval(secs => $3),
         attempts = x.attempts + 1
       FROM next WHERE x.id = next.id
       RETURNING ${COLUMNS},
         (SELECT array_agg(DISTINCT COALESCE(cu.lang, m.lang)) FROM deal_room_members m
          LEFT JOIN chat_users cu ON cu.id = m.chat_user_id
          WHERE m.room_id = x.room_id AND m.left_at IS NULL AND m.side <> 'staff'
            AND m.id IS DISTINCT FROM x.sender_member_id) AS reader_langs`,
      [workerId, limit, leaseSeconds],
    );
    return rows
      .map((r) => ({ ...toMessage(r), readerLangs: r.reader_langs ?? [] }))
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  async renewLeases(workerId: string, ids: string[], leaseSeconds: number): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query(
      `UPDATE relay_messages SET locked_until = now() + make_interval(secs => $3)
       WHERE id = ANY($2::bigint[]) AND locked_by = $1 AND status = 'pending'`,
      [workerId, ids, leaseSeconds],
    );
  }

  /** Hands claimed messages back (shutdown): the next worker takes them at once. */
  async release(workerId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query(
      `UPDATE relay_messages SET locked_by = NULL, locked_until = NULL, attempts = GREATEST(attempts - 1, 0)
       WHERE id = ANY($2::bigint[]) AND locked_by = $1 AND status = 'pending'`,
      [workerId, ids],
    );
  }

  /** Records the translations (and a fetched attachment); false when the lease was lost meanwhile. */
  async markReady(
    id: string,
    workerId: string,
    update: { translations: Partial<Record<Lang, Translation>>; attachment?: RelayAttachment },
  ): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE relay_messages SET status = 'ready', ready_at = now(), translations = translations || $3::jsonb,
         attachment = COALESCE($4::jsonb, attachment), locked_by = NULL, locked_until = NULL, last_error = NULL
       WHERE id = $1 AND locked_by = $2 AND status = 'pending'`,
      [
        id,
        workerId,
        JSON.stringify(update.translations),
        update.attachment ? JSON.stringify(update.attachment) : null,
      ],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Keeps what was done so far (translations, a fetched file) and tries again after `delayMs`. */
  async retryLater(
    id: string,
    workerId: string,
    delayMs: number,
    error: string,
    partial: { translations?: Partial<Record<Lang, Translation>>; attachment?: RelayAttachment } = {},
  ): Promise<void> {
    await this.pool.query(
      `UPDATE relay_messages SET available_at = now() + make_interval(secs => $3), locked_by = NULL,
         locked_until = NULL, last_error = $4, translations = translations || $5::jsonb,
         attachment = COALESCE($6::jsonb, attachment)
       WHERE id = $1 AND locked_by = $2 AND status = 'pending'`,
      [
        id,
        workerId,
        delayMs / 1000,
        error.slice(0, 500),
        JSON.stringify(partial.translations ?? {}),
        partial.attachment ? JSON.stringify(partial.attachment) : null,
      ],
    );
  }

  /** A message that was ready but met a reader whose language it lacks: back to translation. */
  async needsMoreTranslation(db: Queryable, id: string): Promise<void> {
    await db.query(
      `UPDATE relay_messages SET status = 'pending', available_at = now(), locked_by = NULL, locked_until = NULL
       WHERE id = $1 AND status = 'ready'`,
      [id],
    );
  }

  /** Locks the room for delivery; its delivered_seq and status. */
  async lockRoom(
    db: Queryable,
    roomId: string,
  ): Promise<{ deliveredSeq: number; status: 'open' | 'closed' } | undefined> {
    const { rows } = await db.query<{ delivered_seq: string; status: 'open' | 'closed' }>(
      `SELECT delivered_seq, status FROM deal_rooms WHERE id = $1 FOR UPDATE`,
      [roomId],
    );
    return rows[0] ? { deliveredSeq: Number(rows[0].delivered_seq), status: rows[0].status } : undefined;
  }

  /** Messages after `afterSeq`, in order, up to the first one not ready yet. */
  async readyRun(db: Queryable, roomId: string, afterSeq: number, limit = 100): Promise<RelayMessage[]> {
    const { rows } = await db.query<MessageRow>(
      `SELECT ${COLUMNS} FROM relay_messages x WHERE x.room_id = $1 AND x.seq > $2 ORDER BY x.seq LIMIT $3`,
      [roomId, afterSeq, limit],
    );
    const run: RelayMessage[] = [];
    for (const r of rows) {
      if (r.status === 'pending') break;
      run.push(toMessage(r));
    }
    return run;
  }

  async insertDeliveries(db: Queryable, rows: DeliveryRow[]): Promise<Array<DeliveryRow & { id: string }>> {
    if (rows.length === 0) return [];
    const { rows: inserted } = await db.query<{
      id: string;
      message_id: string;
      member_id: string;
      lang: Lang;
      outbox_id: string | null;
    }>(
      `INSERT INTO relay_deliveries (message_id, member_id, lang, outbox_id)
       SELECT (r->>'messageId')::bigint, (r->>'memberId')::uuid, r->>'lang', (r->>'outboxId')::uuid
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(r, n) ORDER BY n
       ON CONFLICT (message_id, member_id) DO NOTHING
       RETURNING id, message_id, member_id, lang, outbox_id`,
      [JSON.stringify(rows)],
    );
    return inserted.map((r) => ({
      id: String(r.id),
      messageId: String(r.message_id),
      memberId: r.member_id,
      lang: r.lang,
      outboxId: r.outbox_id ?? undefined,
    }));
  }

  async markDelivered(db: Queryable, roomId: string, ids: string[], lastSeq: number): Promise<void> {
    await db.query(
      `WITH d AS (UPDATE relay_messages SET status = 'delivered', delivered_at = now()
                  WHERE id = ANY($2::bigint[]) RETURNING id)
       UPDATE deal_rooms SET delivered_seq = GREATEST(delivered_seq, $3), updated_at = now() WHERE id = $1`,
      [roomId, ids, lastSeq],
    );
  }

  /**
   * Rooms with messages ready for a few seconds but not delivered (recovery after a crash or a failed delivery
   * between the two steps; a fresh ready message is being delivered by whoever readied it).
   */
  async roomsWithReadyMessages(limit = 50): Promise<string[]> {
    const { rows } = await this.pool.query<{ room_id: string }>(
      `SELECT DISTINCT room_id FROM relay_messages
       WHERE status = 'ready' AND ready_at < now() - interval '3 seconds' LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.room_id);
  }

  /** What a web visitor's members received after delivery id `afterId`, oldest first. */
  async deliveriesForWeb(
    visitorId: string,
    afterId: string,
    limit = 200,
  ): Promise<Array<{ deliveryId: string; memberId: string; message: RelayMessage }>> {
    const { rows } = await this.pool.query<MessageRow & { delivery_id: string; member_id: string }>(
      `SELECT d.id AS delivery_id, d.member_id, ${COLUMNS}
       FROM deal_room_members m
       JOIN relay_deliveries d ON d.member_id = m.id
       JOIN relay_messages x ON x.id = d.message_id
       WHERE m.channel = 'web' AND m.address = $1 AND d.id > $2::bigint
       ORDER BY d.id LIMIT $3`,
      [visitorId, afterId, limit],
    );
    return rows.map((r) => ({
      deliveryId: String(r.delivery_id),
      memberId: r.member_id,
      message: toMessage(r),
    }));
  }

  /** A message as one member received it (for "show original"): only messages delivered to that member. */
  async deliveredTo(memberIds: string[], messageId?: string): Promise<RelayMessage | undefined> {
    if (memberIds.length === 0) return undefined;
    const { rows } = await this.pool.query<MessageRow>(
      `SELECT ${COLUMNS} FROM relay_deliveries d JOIN relay_messages x ON x.id = d.message_id
       WHERE d.member_id = ANY($1::uuid[]) AND ($2::bigint IS NULL OR x.id = $2::bigint)
         AND x.kind <> 'notice'
       ORDER BY d.id DESC LIMIT 1`,
      [memberIds, messageId ?? null],
    );
    return rows[0] ? toMessage(rows[0]) : undefined;
  }

  /** A room's messages for staff, newest last. */
  async roomMessages(roomId: string, limit: number, beforeSeq?: number): Promise<RelayMessage[]> {
    const { rows } = await this.pool.query<MessageRow>(
      `SELECT ${COLUMNS} FROM relay_messages x WHERE x.room_id = $1 AND ($2::bigint IS NULL OR x.seq < $2)
       ORDER BY x.seq DESC LIMIT $3`,
      [roomId, beforeSeq ?? null, limit],
    );
    return rows.map(toMessage).reverse();
  }

  async insertFile(
    f: { roomId?: string; name?: string; contentType: string; bytes: Buffer; token: string },
    db: Queryable = this.pool,
  ): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO relay_files (room_id, name, content_type, size, bytes, token)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [f.roomId ?? null, f.name ?? null, f.contentType, f.bytes.length, f.bytes, f.token],
    );
    return rows[0].id;
  }

  async file(
    id: string,
    token: string,
  ): Promise<{ name?: string; contentType: string; bytes: Buffer } | undefined> {
    const { rows } = await this.pool.query<{ name: string | null; content_type: string; bytes: Buffer }>(
      `SELECT name, content_type, bytes FROM relay_files WHERE id = $1 AND token = $2`,
      [id, token],
    );
    const r = rows[0];
    return r
      ? { name: r.name ?? undefined, contentType: r.content_type, bytes: Buffer.from(r.bytes) }
      : undefined;
  }

  async fileMeta(
    id: string,
  ): Promise<
    { roomId?: string; name?: string; contentType: string; size: number; token: string } | undefined
  > {
    const { rows } = await this.pool.query<{
      room_id: string | null;
      name: string | null;
      content_type: string;
      size: number;
      token: string;
    }>(`SELECT room_id, name, content_type, size, token FROM relay_files WHERE id = $1`, [id]);
    const r = rows[0];
    return r
      ? {
          roomId: r.room_id ?? undefined,
          name: r.name ?? undefined,
          contentType: r.content_type,
          size: r.size,
          token: r.token,
        }
      : undefined;
  }

  async deleteFile(id: string): Promise<void> {
    await this.pool.query(`DELETE FROM relay_files WHERE id = $1`, [id]);
  }

  async attachFile(db: Queryable, fileId: string, roomId: string): Promise<void> {
    await db.query(`UPDATE relay_files SET room_id = $2 WHERE id = $1`, [fileId, roomId]);
  }
}

function toMessage(r: MessageRow): RelayMessage {
  return {
    id: String(r.id),
    roomId: r.room_id,
    seq: Number(r.seq),
    senderMemberId: r.sender_member_id ?? undefined,
    senderKind: r.sender_kind,
    kind: r.kind,
    text: r.text ?? undefined,
    lang: r.lang ?? undefined,
    attachment: r.attachment ?? undefined,
    translations: r.translations ?? {},
    status: r.status,
    attempts: r.attempts,
    createdAt: r.created_at,
  };
}
