import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Lang } from '../companies/company-profile.schema';
import type { Channel } from '../conversation/conversation.types';
import { PG_POOL } from '../database/database.tokens';
import type { Queryable } from '../database/transaction';

export type IntroductionStatus = 'draft' | 'pending' | 'accepted' | 'declined' | 'expired' | 'cancelled';

export interface Introduction {
  id: string;
  requesterUserId?: string;
  requesterChannel: Channel;
  requesterAddress: string;
  requesterCompany?: string;
  /** Web: keyed hash of the network the requester's session was opened from. */
  requesterNetwork?: string;
  requesterLang: Lang;
  targetExternalId: string;
  need?: string;
  message?: string;
  messageLang?: Lang;
  status: IntroductionStatus;
  route?: 'chat' | 'staff';
  declineReason?: string;
  decidedBy?: string;
  decidedAt?: Date;
  needsStaffSince?: Date;
  sentAt?: Date;
  expiresAt?: Date;
  targetNotifiedAt?: Date;
  outcomeNotifiedAt?: Date;
  roomId?: string;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface Recipient {
  chatUserId: string;
  channel: Channel;
  address: string;
  lang: Lang;
}

interface Row {
  id: string;
  requester_user_id: string | null;
  requester_channel: Channel;
  requester_address: string;
  requester_company_external_id: string | null;
  requester_network: string | null;
  requester_lang: Lang;
  target_external_id: string;
  need: string | null;
  message: string | null;
  message_lang: Lang | null;
  status: IntroductionStatus;
  route: 'chat' | 'staff' | null;
  decline_reason: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  needs_staff_since: Date | null;
  sent_at: Date | null;
  expires_at: Date | null;
  target_notified_at: Date | null;
  outcome_notified_at: Date | null;
  room_id: string | null;
  attempts: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `i.id, i.requester_user_id, i.requester_channel, i.requester_address, i.requester_company_external_id,
  i.requester_network, i.requester_lang, i.target_external_id, i.need, i.message, i.message_lang, i.status, i.route, i.decline_reason,
  i.decided_by, i.decided_at, i.needs_staff_since, i.sent_at, i.expires_at, i.target_notified_at,
  i.outcome_notified_at, i.room_id, i.attempts, i.created_at, i.updated_at`;

/** Introduction requests, who was told about each, and the worker's queues (SKIP LOCKED, leases). */
@Injectable()
export class IntroductionRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async get(id: string, db: Queryable = this.pool, forUpdate = false): Promise<Introduction | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const { rows } = await db.query<Row>(
      `SELECT ${COLUMNS} FROM introductions i WHERE i.id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? toIntroduction(rows[0]) : undefined;
  }

  /** The open (draft or pending) request from a thread to a target, if any. */
  async openFor(channel: Channel, address: string, target: string): Promise<Introduction | undefined> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM introductions i
       WHERE i.requester_channel = $1 AND i.requester_address = $2 AND i.target_external_id = $3
         AND i.status IN ('draft', 'pending')`,
      [channel, address, target],
    );
    return rows[0] ? toIntroduction(rows[0]) : undefined;
  }

  /** Requests a chat user sent in the last 24 hours (the rate limit counts sent ones, not drafts). */
  async sentInLastDay(chatUserId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM introductions
       WHERE requester_user_id = $1 AND sent_at > now() - interval '24 hours'`,
      [chatUserId],
    );
    return rows[0].n;
  }

  /** Requests sent in the last 24 hours from web sessions opened on one network. */
  async sentFromNetworkInLastDay(network: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM introductions
       WHERE requester_network = $1 AND sent_at > now() - interval '24 hours'`,
      [network],
    );
    return rows[0].n;
  }

  async createDraft(d: {
    requesterUserId: string;
    channel: Channel;
    address: string;
    requesterCompany?: string;
    requesterNetwork?: string;
    requesterLang: Lang;
    target: string;
    need?: string;
    message: string;
    messageLang: Lang;
  }): Promise<Introduction> {
    const { rows } = await this.pool.query<Row>(
      `INSERT INTO introductions AS i (requester_user_id, requester_channel, requester_address,
         requester_company_external_id, requester_lang, target_external_id, need, message, message_lang,
         requester_network)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (requester_address, requester_channel, target_external_id) WHERE status IN ('draft', 'pending')
       DO UPDATE SET updated_at = now()
       RETURNING ${COLUMNS}`,
      [
        d.requesterUserId,
        d.channel,
        d.address,
        d.requesterCompany ?? null,
        d.requesterLang,
        d.target,
        d.need?.slice(0, 2000) ?? null,
        d.message,
        d.messageLang,
        d.requesterNetwork ?? null,
      ],
    );
    return toIntroduction(rows[0]);
  }

  async updateMessage(id: string, message: string, lang: Lang | undefined): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE introductions SET message = $2, message_lang = COALESCE($3, message_lang), updated_at = now()
       WHERE id = $1 AND status = 'draft'`,
      [id, message, lang ?? null],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Draft → pending, with its expiry. False when it was not a draft any more. */
  async send(db: Queryable, id: string, ttlHours: number): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE introductions SET status = 'pending', sent_at = now(),
         expires_at = now() + make_interval(hours => $2), available_at = now(), updated_at = now()
       WHERE id = $1 AND status = 'draft'`,
      [id, ttlHours],
    );
    return (rowCount ?? 0) > 0;
  }

  async cancel(db: Queryable, id: string): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE introductions SET status = 'cancelled', updated_at = now() WHERE id = $1 AND status IN ('draft', 'pending')`,
      [id],
    );
    return (rowCount ?? 0) > 0;
  }

  /**
   * Accept or decline a pending, unexpired request. Returns the request as decided, or undefined when it was
   * not pending any more (decided by someone else, expired, cancelled).
   */
  async decide(
    db: Queryable,
    id: string,
    status: 'accepted' | 'declined',
    by: string,
    reason?: string,
  ): Promise<Introduction | undefined> {
    const { rows } = await db.query<Row>(
      `UPDATE introductions i SET status = $2, decided_by = $3, decided_at = now(), decline_reason = $4,
         needs_staff_since = NULL, available_at = now(), attempts = 0, updated_at = now(),
         outcome_notified_at = CASE WHEN $2 = 'accepted' THEN now() ELSE NULL END
       WHERE i.id = $1 AND i.status = 'pending' AND i.expires_at > now()
       RETURNING ${COLUMNS}`,
      [id, status, by, reason?.slice(0, 1000) ?? null],
    );
    return rows[0] ? toIntroduction(rows[0]) : undefined;
  }

  async setRoom(db: Queryable, id: string, roomId: string): Promise<void> {
    await db.query(`UPDATE introductions SET room_id = $2 WHERE id = $1`, [id, roomId]);
  }

  async askStaff(id: string): Promise<void> {
    await this.pool.query(
      `UPDATE introductions SET needs_staff_since = COALESCE(needs_staff_since, now()), updated_at = now()
       WHERE id = $1`,
      [id],
    );
  }

  /** Pending requests past their expiry become 'expired' (the requester is told by the worker). */
  async expireDue(): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `UPDATE introductions SET status = 'expired', available_at = now(), attempts = 0, updated_at = now()
       WHERE status = 'pending' AND expires_at <= now() RETURNING id`,
    );
    return rows.map((r) => r.id);
  }

  /** Work for the worker: sent but not announced to the target, or decided/expired but not reported. */
  async claim(workerId: string, limit: number, leaseSeconds: number): Promise<Introduction[]> {
    const { rows } = await this.pool.query<Row>(
      `WITH next AS (
         SELECT id FROM introductions
         WHERE ((status = 'pending' AND target_notified_at IS NULL)
             OR (status IN ('declined', 'expired') AND outcome_notified_at IS NULL))
           AND available_at <= now() AND (locked_until IS NULL OR locked_until < now())
         ORDER BY available_at LIMIT $2
         FOR UPDATE SKIP LOCKED)
       UPDATE introductions i SET locked_by = $1, locked_until = now() + make_interval(secs => $3),
         attempts = i.attempts + 1
       FROM next WHERE i.id = next.id
       RETURNING ${COLUMNS}`,
      [workerId, limit, leaseSeconds],
    );
    return rows.map(toIntroduction);
  }

  async markTargetNotified(
    db: Queryable,
    id: string,
    workerId: string,
    route: 'chat' | 'staff',
  ): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE introductions SET target_notified_at = now(), route = $3, locked_by = NULL, locked_until = NULL,
         needs_staff_since = CASE WHEN $3 = 'staff' THEN COALESCE(needs_staff_since, now()) ELSE needs_staff_since END,
         last_error = NULL, updated_at = now()
       WHERE id = $1 AND locked_by = $2 AND target_notified_at IS NULL`,
      [id, workerId, route],
    );
    return (rowCount ?? 0) > 0;
  }

  async markOutcomeNotified(db: Queryable, id: string, workerId: string): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE introductions SET outcome_notified_at = now(), locked_by = NULL, locked_until = NULL, last_error = NULL
       WHERE id = $1 AND locked_by = $2 AND outcome_notified_at IS NULL`,
      [id, workerId],
    );
    return (rowCount ?? 0) > 0;
  }

  async retryLater(id: string, workerId: string, delayMs: number, error: string): Promise<void> {
    await this.pool.query(
      `UPDATE introductions SET available_at = now() + make_interval(secs => $3), locked_by = NULL,
         locked_until = NULL, last_error = $4
       WHERE id = $1 AND locked_by = $2`,
      [id, workerId, delayMs / 1000, error.slice(0, 500)],
    );
  }

  async release(workerId: string): Promise<void> {
    await this.pool.query(
      `UPDATE introductions SET locked_by = NULL, locked_until = NULL WHERE locked_by = $1`,
      [workerId],
    );
  }

  /**
   * The chat users who speak for a company: linked to it (host-site identity, staff link), still active, with
   * a 1:1 thread to reach them in.
   */
  async linkedUsers(companyExternalId: string): Promise<Recipient[]> {
    const { rows } = await this.pool.query<{
      id: string;
      channel: Channel;
      channel_user_id: string;
      lang: Lang | null;
      country: string | null;
    }>(
      `SELECT u.id, u.channel, u.channel_user_id, u.lang, u.country FROM chat_users u
       WHERE u.linked_company_external_id = $1 AND u.status = 'active'
         AND EXISTS (SELECT 1 FROM chat_conversations c
                     WHERE c.channel = u.channel AND c.channel_conversation_id = u.channel_user_id AND NOT c.is_group)
       ORDER BY u.last_seen_at DESC LIMIT 20`,
      [companyExternalId],
    );
    return rows.map((r) => ({
      chatUserId: r.id,
      channel: r.channel,
      address: r.channel_user_id,
      lang: r.lang ?? 'en',
    }));
  }

  async addRecipients(db: Queryable, id: string, recipients: Recipient[]): Promise<void> {
    if (recipients.length === 0) return;
    await db.query(
      `INSERT INTO introduction_recipients (introduction_id, chat_user_id, channel, address, lang)
       SELECT $1, (r->>'chatUserId')::uuid, r->>'channel', r->>'address', r->>'lang'
       FROM jsonb_array_elements($2::jsonb) AS r
       ON CONFLICT DO NOTHING`,
      [id, JSON.stringify(recipients)],
    );
  }

  async recipients(id: string, db: Queryable = this.pool): Promise<Recipient[]> {
    const { rows } = await db.query<{ chat_user_id: string; channel: Channel; address: string; lang: Lang }>(
      `SELECT r.chat_user_id, r.channel, r.address, COALESCE(u.lang, r.lang) AS lang
       FROM introduction_recipients r JOIN chat_users u ON u.id = r.chat_user_id
       WHERE r.introduction_id = $1 AND u.status = 'active' ORDER BY r.notified_at`,
      [id],
    );
    return rows.map((r) => ({
      chatUserId: r.chat_user_id,
      channel: r.channel,
      address: r.address,
      lang: r.lang,
    }));
  }

  /** The chat user behind a thread, with the company it speaks for. */
  async chatUser(
    channel: Channel,
    address: string,
  ): Promise<{ id: string; lang?: Lang; company?: string } | undefined> {
    const { rows } = await this.pool.query<{
      id: string;
      lang: Lang | null;
      linked_company_external_id: string | null;
    }>(
      `SELECT id, lang, linked_company_external_id FROM chat_users WHERE channel = $1 AND channel_user_id = $2`,
      [channel, address],
    );
    const r = rows[0];
    return r
      ? { id: r.id, lang: r.lang ?? undefined, company: r.linked_company_external_id ?? undefined }
      : undefined;
  }

  /** Staff link a chat user to the company they speak for (they are then reached for its introductions). */
  async linkChatUser(
    channel: Channel,
    channelUserId: string,
    company: string | null,
  ): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ id: string }>(
      `UPDATE chat_users SET linked_company_external_id = $3, updated_at = now()
       WHERE channel = $1 AND channel_user_id = $2 RETURNING id`,
      [channel, channelUserId, company],
    );
    return rows[0]?.id;
  }

  /** Staff list, newest first, with the number of people told. */
  async list(filter: {
    status?: IntroductionStatus;
    needsStaff?: boolean;
    target?: string;
    limit: number;
    offset: number;
  }) {
    const { rows } = await this.pool.query<Row & { recipients: number; total: string }>(
      `SELECT ${COLUMNS},
         (SELECT count(*)::int FROM introduction_recipients r WHERE r.introduction_id = i.id) AS recipients,
         count(*) OVER () AS total
       FROM introductions i
       WHERE ($1::text IS NULL OR i.status = $1) AND (NOT $2::boolean OR i.needs_staff_since IS NOT NULL)
         AND ($3::text IS NULL OR i.target_external_id = $3)
       ORDER BY i.created_at DESC LIMIT $4 OFFSET $5`,
      [filter.status ?? null, filter.needsStaff === true, filter.target ?? null, filter.limit, filter.offset],
    );
    return {
      total: rows[0] ? Number(rows[0].total) : 0,
      items: rows.map((r) => ({ ...toIntroduction(r), recipients: r.recipients })),
    };
  }
}

function toIntroduction(r: Row): Introduction {
  const u = <T>(v: T | null): T | undefined => (v === null ? undefined : v);
  return {
    id: r.id,
    requesterUserId: u(r.requester_user_id),
    requesterChannel: r.requester_channel,
    requesterAddress: r.requester_address,
    requesterCompany: u(r.requester_company_external_id),
    requesterNetwork: u(r.requester_network),
    requesterLang: r.requester_lang,
    targetExternalId: r.target_external_id,
    need: u(r.need),
    message: u(r.message),
    messageLang: u(r.message_lang),
    status: r.status,
    route: u(r.route),
    declineReason: u(r.decline_reason),
    decidedBy: u(r.decided_by),
    decidedAt: u(r.decided_at),
    needsStaffSince: u(r.needs_staff_since),
    sentAt: u(r.sent_at),
    expiresAt: u(r.expires_at),
    targetNotifiedAt: u(r.target_notified_at),
    outcomeNotifiedAt: u(r.outcome_notified_at),
    roomId: u(r.room_id),
    attempts: r.attempts,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
