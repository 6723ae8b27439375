import { randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { CompanyContact, Lang } from '../companies/company-profile.schema';
import { PG_POOL } from '../database/database.tokens';
import type { Queryable } from '../database/transaction';

export type Side = 'a' | 'b';
export type MemberChannel = 'line' | 'web' | 'console';

export interface Room {
  id: string;
  introductionId?: string;
  aCompany?: string;
  bCompany: string;
  status: 'open' | 'closed';
  mode: 'bot' | 'staff';
  aSharedAt?: Date;
  bSharedAt?: Date;
  contactsRevealedAt?: Date;
  needsStaffSince?: Date;
  reportedAt?: Date;
  deliveredSeq: number;
  createdAt: Date;
  updatedAt: Date;
  closedAt?: Date;
}

export interface RoomMember {
  id: string;
  roomId: string;
  side: Side | 'staff';
  chatUserId?: string;
  channel: MemberChannel;
  address: string;
  displayName?: string;
  /** The reader's language now (the chat user's remembered language wins over the one at joining). */
  lang: Lang;
  joinedAt: Date;
  leftAt?: Date;
}

/** A question of the introduction flow the thread's next message answers. */
export type PendingStep =
  { kind: 'intro-message'; introductionId: string } | { kind: 'decline-reason'; introductionId: string };

export interface ThreadState {
  channel: 'line' | 'web';
  address: string;
  pending?: PendingStep;
  /** The room the thread's messages go to, with the thread's membership in it (absent once left or closed). */
  focus?: { room: Room; member: RoomMember };
  /** A focus that no longer holds (the room closed, the member left or was forgotten). */
  staleFocusRoomId?: string;
}

interface RoomRow {
  id: string;
  introduction_id: string | null;
  a_company_external_id: string | null;
  b_company_external_id: string;
  status: 'open' | 'closed';
  mode: 'bot' | 'staff';
  a_shared_contact_at: Date | null;
  b_shared_contact_at: Date | null;
  contacts_revealed_at: Date | null;
  needs_staff_since: Date | null;
  reported_at: Date | null;
  delivered_seq: string;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

interface MemberRow {
  id: string;
  room_id: string;
  side: Side | 'staff';
  chat_user_id: string | null;
  channel: MemberChannel;
  address: string;
  display_name: string | null;
  lang: Lang;
  joined_at: Date;
  left_at: Date | null;
}

const ROOM_COLUMNS = `r.id, r.introduction_id, r.a_company_external_id, r.b_company_external_id, r.status, r.mode,
  r.a_shared_contact_at, r.b_shared_contact_at, r.contacts_revealed_at, r.needs_staff_since, r.reported_at,
  r.delivered_seq, r.created_at, r.updated_at, r.closed_at`;
// The live reading language: what the chat user chose or writes in now, else what was known at joining.
const MEMBER_COLUMNS = `m.id, m.room_id, m.side, m.chat_user_id, m.channel, m.address, m.display_name,
  COALESCE(cu.lang, m.lang) AS lang, m.joined_at, m.left_at`;

/** Invitation codes: no 0/O or 1/I, so they survive being read out over the phone. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Deal rooms, their members, threads' focus and pending questions, invitations, and (once agreed) contacts. */
@Injectable()
export class RoomRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** The relay's view of a chat thread in one query; undefined when the thread never touched the relay. */
  async thread(channel: 'line' | 'web', address: string): Promise<ThreadState | undefined> {
    const { rows } = await this.pool.query<
      { pending: PendingStep | null; focused_room_id: string | null } & Partial<RoomRow> & {
          m_id: string | null;
          m_side: Side | 'staff' | null;
          m_chat_user_id: string | null;
          m_display_name: string | null;
          m_lang: Lang | null;
          m_joined_at: Date | null;
          m_left_at: Date | null;
          m_forgotten: boolean | null;
        }
    >(
      `SELECT t.pending, t.focused_room_id, ${ROOM_COLUMNS},
         m.id AS m_id, m.side AS m_side, m.chat_user_id AS m_chat_user_id, m.display_name AS m_display_name,
         COALESCE(cu.lang, m.lang) AS m_lang, m.joined_at AS m_joined_at, m.left_at AS m_left_at,
         (m.id IS NOT NULL AND m.chat_user_id IS NULL) AS m_forgotten
       FROM relay_threads t
       LEFT JOIN deal_rooms r ON r.id = t.focused_room_id
       LEFT JOIN deal_room_members m ON m.room_id = r.id AND m.channel = t.channel AND m.address = t.address
       LEFT JOIN chat_users cu ON cu.id = m.chat_user_id
       WHERE t.channel = $1 AND t.address = $2`,
      [channel, address],
    );
    const row = rows[0];
    if (!row) return undefined;
    const state: ThreadState = { channel, address, pending: row.pending ?? undefined };
    if (row.focused_room_id) {
      const usable =
        row.id && row.status === 'open' && row.m_id && !row.m_left_at && !row.m_forgotten && row.m_lang;
      if (usable) {
        state.focus = {
          room: toRoom(row as RoomRow),
          member: {
            id: row.m_id!,
            roomId: row.id!,
            side: row.m_side!,
            chatUserId: row.m_chat_user_id ?? undefined,
            channel,
            address,
            displayName: row.m_display_name ?? undefined,
            lang: row.m_lang!,
            joinedAt: row.m_joined_at!,
          },
        };
      } else state.staleFocusRoomId = row.focused_room_id;
    }
    return state;
  }

  async setFocus(db: Queryable, channel: string, address: string, roomId: string | null): Promise<void> {
    await db.query(
      `INSERT INTO relay_threads (channel, address, focused_room_id) VALUES ($1, $2, $3)
       ON CONFLICT (channel, address) DO UPDATE SET focused_room_id = EXCLUDED.focused_room_id, updated_at = now()`,
      [channel, address, roomId],
    );
  }

  async setPending(
    db: Queryable,
    channel: string,
    address: string,
    pending: PendingStep | null,
  ): Promise<void> {
    await db.query(
      `INSERT INTO relay_threads (channel, address, pending) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (channel, address) DO UPDATE SET pending = EXCLUDED.pending, updated_at = now()`,
      [channel, address, pending ? JSON.stringify(pending) : null],
    );
  }

  async createRoom(
    db: Queryable,
    room: { introductionId?: string; aCompany?: string; bCompany: string },
  ): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO deal_rooms (introduction_id, a_company_external_id, b_company_external_id)
       VALUES ($1, $2, $3) RETURNING id`,
      [room.introductionId ?? null, room.aCompany ?? null, room.bCompany],
    );
    return rows[0].id;
  }

  /** Adds (or brings back) a member; one row per (room, channel, address). */
  async addMember(
    db: Queryable,
    m: {
      roomId: string;
      side: Side | 'staff';
      chatUserId?: string;
      channel: MemberChannel;
      address: string;
      displayName?: string;
      lang: Lang;
    },
  ): Promise<{ id: string; rejoined: boolean; alreadyActive: boolean }> {
    const { rows } = await db.query<{ id: string; was_left: boolean | null; existed: boolean }>(
      `WITH before AS (
         SELECT id, left_at IS NOT NULL AS was_left FROM deal_room_members
         WHERE room_id = $1 AND channel = $4 AND address = $5)
       INSERT INTO deal_room_members (room_id, side, chat_user_id, channel, address, display_name, lang)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (room_id, channel, address) DO UPDATE SET left_at = NULL, side = EXCLUDED.side,
         chat_user_id = COALESCE(EXCLUDED.chat_user_id, deal_room_members.chat_user_id),
         display_name = COALESCE(EXCLUDED.display_name, deal_room_members.display_name), lang = EXCLUDED.lang,
         joined_at = CASE WHEN deal_room_members.left_at IS NULL THEN deal_room_members.joined_at ELSE now() END
       RETURNING id, (SELECT was_left FROM before) AS was_left, EXISTS (SELECT 1 FROM before) AS existed`,
      [m.roomId, m.side, m.chatUserId ?? null, m.channel, m.address, m.displayName ?? null, m.lang],
    );
    const r = rows[0];
    return { id: r.id, rejoined: r.was_left === true, alreadyActive: r.existed && r.was_left === false };
  }

  async room(roomId: string, db: Queryable = this.pool, forUpdate = false): Promise<Room | undefined> {
    const { rows } = await db.query<RoomRow>(
      `SELECT ${ROOM_COLUMNS} FROM deal_rooms r WHERE r.id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [roomId],
    );
    return rows[0] ? toRoom(rows[0]) : undefined;
  }

  async members(roomId: string, db: Queryable = this.pool): Promise<RoomMember[]> {
    const { rows } = await db.query<MemberRow>(
      `SELECT ${MEMBER_COLUMNS} FROM deal_room_members m LEFT JOIN chat_users cu ON cu.id = m.chat_user_id
       WHERE m.room_id = $1 ORDER BY m.joined_at, m.id`,
      [roomId],
    );
    return rows.map(toMember);
  }

  async member(memberId: string): Promise<RoomMember | undefined> {
    const { rows } = await this.pool.query<MemberRow>(
      `SELECT ${MEMBER_COLUMNS} FROM deal_room_members m LEFT JOIN chat_users cu ON cu.id = m.chat_user_id
       WHERE m.id = $1`,
      [memberId],
    );
    return rows[0] ? toMember(rows[0]) : undefined;
  }

  /** The active membership of a thread in a room (postback buttons name the room). */
  async activeMember(
    roomId: string,
    channel: MemberChannel,
    address: string,
    db: Queryable = this.pool,
  ): Promise<{ room: Room; member: RoomMember } | undefined> {
    const { rows } = await db.query<RoomRow & { m: MemberRow }>(
      `SELECT ${ROOM_COLUMNS}, row_to_json(x) AS m FROM deal_rooms r
       JOIN LATERAL (
         SELECT ${MEMBER_COLUMNS} FROM deal_room_members m LEFT JOIN chat_users cu ON cu.id = m.chat_user_id
         WHERE m.room_id = r.id AND m.channel = $2 AND m.address = $3 AND m.left_at IS NULL
           AND (m.chat_user_id IS NOT NULL OR m.channel = 'console')) x ON true
       WHERE r.id = $1`,
      [roomId, channel, address],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { room: toRoom(row), member: toMember(fromJson(row.m)) };
  }

  /** Open rooms a thread is an active member of, newest first. */
  async openRoomsOf(
    channel: MemberChannel,
    address: string,
  ): Promise<Array<{ room: Room; member: RoomMember }>> {
    const { rows } = await this.pool.query<RoomRow & { m: MemberRow }>(
      `SELECT ${ROOM_COLUMNS}, row_to_json(x) AS m FROM deal_rooms r
       JOIN LATERAL (
         SELECT ${MEMBER_COLUMNS} FROM deal_room_members m LEFT JOIN chat_users cu ON cu.id = m.chat_user_id
         WHERE m.room_id = r.id AND m.channel = $1 AND m.address = $2 AND m.left_at IS NULL
           AND m.chat_user_id IS NOT NULL) x ON true
       WHERE r.status = 'open' ORDER BY r.updated_at DESC LIMIT 12`,
      [channel, address],
    );
    return rows.map((r) => ({ room: toRoom(r), member: toMember(fromJson(r.m)) }));
  }

  async leave(db: Queryable, memberId: string): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE deal_room_members SET left_at = now() WHERE id = $1 AND left_at IS NULL`,
      [memberId],
    );
    return (rowCount ?? 0) > 0;
  }

  /**
   * Records a side's "share contact". `first`: this call set it (it was not set before); the room says whether
   * contacts are revealed now. Undefined when the room is closed.
   */
  async markShare(
    db: Queryable,
    roomId: string,
    side: Side,
  ): Promise<{ room: Room; first: boolean; revealedNow: boolean } | undefined> {
    const column = side === 'a' ? 'a_shared_contact_at' : 'b_shared_contact_at';
    // now() is the transaction's time: a column equal to it was set by this very statement.
    const { rows } = await db.query<RoomRow & { first: boolean; revealed_now: boolean }>(
      `UPDATE deal_rooms r SET ${column} = COALESCE(r.${column}, now()), updated_at = now(),
         contacts_revealed_at = CASE
           WHEN r.contacts_revealed_at IS NULL
            AND COALESCE(r.a_shared_contact_at, CASE WHEN $2 = 'a' THEN now() END) IS NOT NULL
            AND COALESCE(r.b_shared_contact_at, CASE WHEN $2 = 'b' THEN now() END) IS NOT NULL THEN now()
           ELSE r.contacts_revealed_at END
       WHERE r.id = $1 AND r.status = 'open'
       RETURNING ${ROOM_COLUMNS}, r.${column} = now() AS first, r.contacts_revealed_at = now() AS revealed_now`,
      [roomId, side],
    );
    const row = rows[0];
    return row ? { room: toRoom(row), first: row.first, revealedNow: row.revealed_now } : undefined;
  }

  async flag(
    db: Queryable,
    roomId: string,
    what: 'needs-staff' | 'reported' | 'staff-mode' | 'bot-mode',
  ): Promise<Room | undefined> {
    const set = {
      'needs-staff': 'needs_staff_since = COALESCE(needs_staff_since, now())',
      reported:
        'reported_at = COALESCE(reported_at, now()), needs_staff_since = COALESCE(needs_staff_since, now())',
      'staff-mode': `mode = 'staff'`,
      'bot-mode': `mode = 'bot', needs_staff_since = NULL`,
    }[what];
    const { rows } = await db.query<RoomRow>(
      `UPDATE deal_rooms r SET ${set}, updated_at = now() WHERE r.id = $1 RETURNING ${ROOM_COLUMNS}`,
      [roomId],
    );
    return rows[0] ? toRoom(rows[0]) : undefined;
  }

  async close(db: Queryable, roomId: string, by: string): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE deal_rooms SET status = 'closed', closed_at = now(), closed_by = $2, updated_at = now(),
         needs_staff_since = NULL
       WHERE id = $1 AND status = 'open'`,
      [roomId, by],
    );
    return (rowCount ?? 0) > 0;
  }

  async createInvite(roomId: string, side: Side, by: string, ttlHours: number): Promise<string> {
    for (;;) {
      const code = Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
      const { rowCount } = await this.pool.query(
        `INSERT INTO room_invites (code, room_id, side, created_by, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5)) ON CONFLICT (code) DO NOTHING`,
        [code, roomId, side, by, ttlHours],
      );
      if (rowCount) return code;
    }
  }

  /** Takes an unused, unexpired invitation (locked until the transaction ends). */
  async takeInvite(db: Queryable, code: string): Promise<{ roomId: string; side: Side } | undefined> {
    const { rows } = await db.query<{ room_id: string; side: Side }>(
      `SELECT i.room_id, i.side FROM room_invites i JOIN deal_rooms r ON r.id = i.room_id
       WHERE i.code = $1 AND i.used_at IS NULL AND i.expires_at > now() AND r.status = 'open'
       FOR UPDATE OF i`,
      [code],
    );
    return rows[0] ? { roomId: rows[0].room_id, side: rows[0].side } : undefined;
  }

  async inviteUsed(db: Queryable, code: string, memberId: string): Promise<void> {
    await db.query(`UPDATE room_invites SET used_at = now(), used_by = $2 WHERE code = $1`, [code, memberId]);
  }

  /**
   * Private contacts of companies, read only to hand them to the other side of a room where both sides agreed
   * (the caller checks contacts_revealed_at). Never logged, never sent to a model.
   */
  async contactsOf(externalIds: string[], db: Queryable = this.pool): Promise<Map<string, CompanyContact>> {
    if (externalIds.length === 0) return new Map();
    const { rows } = await db.query<{
      external_id: string;
      person: string | null;
      email: string | null;
      phone: string | null;
      line_id: string | null;
    }>(
      `SELECT c.external_id, cc.person, cc.email, cc.phone, cc.line_id
       FROM companies c JOIN company_contacts cc ON cc.company_id = c.id WHERE c.external_id = ANY($1::text[])`,
      [externalIds],
    );
    return new Map(
      rows.map((r) => [
        r.external_id,
        {
          ...(r.person ? { person: r.person } : {}),
          ...(r.email ? { email: r.email } : {}),
          ...(r.phone ? { phone: r.phone } : {}),
          ...(r.line_id ? { lineId: r.line_id } : {}),
        },
      ]),
    );
  }

  /** Staff list: rooms newest first, with member counts and the last message time. */
  async list(filter: { status?: 'open' | 'closed'; needsStaff?: boolean; limit: number; offset: number }) {
    const { rows } = await this.pool.query<
      RoomRow & {
        members_a: number;
        members_b: number;
        staff: number;
        messages: string;
        last_at: Date | null;
      }
    >(
      `SELECT ${ROOM_COLUMNS},
         (SELECT count(*)::int FROM deal_room_members m WHERE m.room_id = r.id AND m.side = 'a' AND m.left_at IS NULL) AS members_a,
         (SELECT count(*)::int FROM deal_room_members m WHERE m.room_id = r.id AND m.side = 'b' AND m.left_at IS NULL) AS members_b,
         (SELECT count(*)::int FROM deal_room_members m WHERE m.room_id = r.id AND m.side = 'staff' AND m.left_at IS NULL) AS staff,
         (SELECT count(*) FROM relay_messages x WHERE x.room_id = r.id AND x.sender_kind <> 'system') AS messages,
         (SELECT max(created_at) FROM relay_messages x WHERE x.room_id = r.id) AS last_at
       FROM deal_rooms r
       WHERE ($1::text IS NULL OR r.status = $1) AND (NOT $2::boolean OR r.needs_staff_since IS NOT NULL)
       ORDER BY r.needs_staff_since IS NULL, r.updated_at DESC LIMIT $3 OFFSET $4`,
      [filter.status ?? null, filter.needsStaff === true, filter.limit, filter.offset],
    );
    return rows.map((r) => ({
      ...toRoom(r),
      members: { a: r.members_a, b: r.members_b, staff: r.staff },
      messages: Number(r.messages),
      lastMessageAt: r.last_at ?? undefined,
    }));
  }
}

function toRoom(r: RoomRow): Room {
  return {
    id: r.id,
    introductionId: r.introduction_id ?? undefined,
    aCompany: r.a_company_external_id ?? undefined,
    bCompany: r.b_company_external_id,
    status: r.status,
    mode: r.mode,
    aSharedAt: r.a_shared_contact_at ?? undefined,
    bSharedAt: r.b_shared_contact_at ?? undefined,
    contactsRevealedAt: r.contacts_revealed_at ?? undefined,
    needsStaffSince: r.needs_staff_since ?? undefined,
    reportedAt: r.reported_at ?? undefined,
    deliveredSeq: Number(r.delivered_seq),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at ?? undefined,
  };
}

function toMember(r: MemberRow): RoomMember {
  return {
    id: r.id,
    roomId: r.room_id,
    side: r.side,
    chatUserId: r.chat_user_id ?? undefined,
    channel: r.channel,
    address: r.address,
    displayName: r.display_name ?? undefined,
    lang: r.lang,
    joinedAt: r.joined_at,
    leftAt: r.left_at ?? undefined,
  };
}

/** A member row that came back through row_to_json (timestamps as strings). */
function fromJson(m: MemberRow): MemberRow {
  return {
    ...m,
    joined_at: new Date(m.joined_at),
    left_at: m.left_at ? new Date(m.left_at) : null,
  };
}
