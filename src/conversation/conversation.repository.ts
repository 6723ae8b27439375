import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { AuditRepository } from '../audit/audit.repository';
import type { Country, Lang } from '../companies/company-profile.schema';
import { PG_POOL } from '../database/database.tokens';
import { type Queryable, withTransaction } from '../database/transaction';
import { type ConversationState, parseState } from './conversation-state';
import type { Channel, ReplyAction, ReplyCard } from './conversation.types';

/** See ConversationRepository.onForget. */
export type ForgetHook = (
  db: Queryable,
  user: { chatUserId: string; channel: Channel; channelUserId: string },
) => Promise<void>;

export type LangSource = 'chosen' | 'channel' | 'detected';

export interface ChatUser {
  id: string;
  channel: Channel;
  channelUserId: string;
  lang?: Lang;
  langSource?: LangSource;
  country?: Country;
  linkedCompanyExternalId?: string;
  status: 'active' | 'inactive';
}

export interface Conversation {
  id: string;
  channel: Channel;
  channelConversationId: string;
  isGroup: boolean;
  state: ConversationState;
  mode: 'bot' | 'staff';
  needsStaff: boolean;
}

export interface InboundRecord {
  kind: 'text' | 'postback';
  text?: string;
  postback?: string;
  lang?: Lang;
  channelMessageId?: string;
}

/** A stored bot reply, as the channels need it again (web chat replays it on reconnect). */
export interface StoredReply {
  id: string;
  conversationId: string;
  /** The channel message id of the message it answers (web: the clientMessageId). */
  replyToChannelMessageId?: string;
  lang?: Lang;
  texts: string[];
  cards: ReplyCard[];
  quickReplies: ReplyAction[];
  generated: boolean;
  createdAt: string;
}

export interface BeginResult {
  user: ChatUser;
  conversation: Conversation;
  inboundId: string;
  /** Set when this channel message id was already received: the earlier inbound message and its reply. */
  duplicateOf?: { inboundId: string; reply?: StoredReply };
}

export interface TurnUpdate {
  conversationId: string;
  userId: string;
  inboundId?: string;
  state: ConversationState;
  lang: Lang;
  userLang?: { lang: Lang; source: LangSource };
  needsStaff?: boolean;
  reply?: { texts: string[]; cards?: ReplyCard[]; quickReplies?: ReplyAction[]; generated?: boolean };
}

interface UserRow {
  id: string;
  channel: Channel;
  channel_user_id: string;
  lang: Lang | null;
  lang_source: LangSource | null;
  country: Country | null;
  linked_company_external_id: string | null;
  status: 'active' | 'inactive';
}

interface ConversationRow {
  id: string;
  channel: Channel;
  channel_conversation_id: string;
  is_group: boolean;
  state: unknown;
  mode: 'bot' | 'staff';
  needs_staff_since: Date | null;
}

interface ReplyRow {
  id: string;
  conversation_id: string;
  lang: Lang | null;
  payload: { texts?: string[]; cards?: ReplyCard[]; quickReplies?: ReplyAction[] } | null;
  generated: boolean;
  created_at: Date;
  reply_to_channel_message_id: string | null;
}

/** Conversation state and history: chat_users, chat_conversations, chat_messages, chat_introduction_requests. */
@Injectable()
export class ConversationRepository {
  private readonly forgetHooks: ForgetHook[] = [];

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly audit: AuditRepository,
  ) {}

  /**
   * Opens a turn: the user and the thread (created on first contact) and the inbound message, in one statement
   * (atomic, one round trip: the chat's hot path). A channel message id seen before is not stored twice: the
   * earlier message and its reply come back.
   */
  async begin(
    who: {
      channel: Channel;
      channelUserId: string;
      channelConversationId: string;
      isGroup: boolean;
      linkedCompanyExternalId?: string;
      country?: Country;
    },
    inbound: InboundRecord,
  ): Promise<BeginResult> {
    const { rows } = await this.pool.query<
      UserRow & {
        conv_id: string;
        conv_channel_conversation_id: string;
        conv_is_group: boolean;
        conv_state: unknown;
        conv_mode: 'bot' | 'staff';
        conv_needs_staff_since: Date | null;
        inbound_id: string | null;
      }
    >(
      `WITH u AS (
         INSERT INTO chat_users (channel, channel_user_id, linked_company_external_id, country)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (channel, channel_user_id) DO UPDATE SET
           last_seen_at = now(), status = 'active',
           linked_company_external_id = COALESCE(EXCLUDED.linked_company_external_id, chat_users.linked_company_external_id),
           country = COALESCE(EXCLUDED.country, chat_users.country)
         RETURNING id, channel, channel_user_id, lang, lang_source, country, linked_company_external_id, status),
       c AS (
         INSERT INTO chat_conversations (channel, channel_conversation_id, chat_user_id, is_group)
         SELECT $1, $5, u.id, $6 FROM u
         ON CONFLICT (channel, channel_conversation_id) DO UPDATE SET last_message_at = now(),
           chat_user_id = COALESCE(chat_conversations.chat_user_id, EXCLUDED.chat_user_id)
         RETURNING id, channel_conversation_id, is_group, state, mode, needs_staff_since),
       m AS (
         INSERT INTO chat_messages (conversation_id, chat_user_id, direction, kind, text, payload, lang, channel_message_id)
         SELECT c.id, u.id, 'in', $7, $8, $9, $10, $11 FROM c, u
         ON CONFLICT (conversation_id, channel_message_id) WHERE channel_message_id IS NOT NULL DO NOTHING
         RETURNING id)
       SELECT u.*, c.id AS conv_id, c.channel_conversation_id AS conv_channel_conversation_id,
         c.is_group AS conv_is_group, c.state AS conv_state, c.mode AS conv_mode,
         c.needs_staff_since AS conv_needs_staff_since, (SELECT id FROM m) AS inbound_id
       FROM u, c`,
      [
        who.channel,
        who.channelUserId,
        who.linkedCompanyExternalId ?? null,
        who.country ?? null,
        who.channelConversationId,
        who.isGroup,
        inbound.kind,
        inbound.text ?? null,
        inbound.postback !== undefined ? JSON.stringify({ postback: inbound.postback }) : null,
        inbound.lang ?? null,
        inbound.channelMessageId ?? null,
      ],
    );
    const row = rows[0];
    const user = toUser(row);
    const conversation = toConversation({
      id: row.conv_id,
      channel: who.channel,
      channel_conversation_id: row.conv_channel_conversation_id,
      is_group: row.conv_is_group,
      state: row.conv_state,
      mode: row.conv_mode,
      needs_staff_since: row.conv_needs_staff_since,
    });
    if (row.inbound_id) return { user, conversation, inboundId: String(row.inbound_id) };
    // The same channel message again (a resend, a redelivery): find the first one and what answered it.
    const { rows: earlier } = await this.pool.query<{ id: string }>(
      `SELECT id FROM chat_messages WHERE conversation_id = $1 AND channel_message_id = $2`,
      [conversation.id, inbound.channelMessageId],
    );
    const inboundId = String(earlier[0].id);
    const { rows: replies } = await this.pool.query<ReplyRow>(
      `SELECT r.id, r.conversation_id, r.lang, r.payload, r.generated, r.created_at, $2::text AS reply_to_channel_message_id
       FROM chat_messages r WHERE r.reply_to = $1 AND r.direction = 'out' ORDER BY r.id LIMIT 1`,
      [inboundId, inbound.channelMessageId],
    );
    return {
      user,
      conversation,
      inboundId,
      duplicateOf: { inboundId, reply: replies[0] ? toReply(replies[0]) : undefined },
    };
  }

  /**
   * Closes a turn in one statement: new state, remembered language, staff flag and the bot's reply (if any).
   */
  async finish(update: TurnUpdate): Promise<StoredReply | undefined> {
    const payload = update.reply
      ? {
          texts: update.reply.texts,
          cards: update.reply.cards ?? [],
          quickReplies: update.reply.quickReplies ?? [],
        }
      : null;
    const { rows } = await this.pool.query<ReplyRow>(
      `WITH conv AS (
         UPDATE chat_conversations SET state = $2, last_lang = $3, updated_at = now(),
           needs_staff_since = CASE WHEN $4::boolean THEN COALESCE(needs_staff_since, now()) ELSE needs_staff_since END
         WHERE id = $1 RETURNING id),
       usr AS (
         UPDATE chat_users SET lang = $6, lang_source = $7, updated_at = now()
         WHERE id = $5 AND $6::text IS NOT NULL RETURNING id),
       ins AS (
         INSERT INTO chat_messages (conversation_id, direction, kind, text, payload, lang, reply_to, generated)
         SELECT $1, 'out', 'bot', $8, $9::jsonb, $3, $10, $11 WHERE $9::jsonb IS NOT NULL
         -- Not the payload: it is what was just sent (cards are large, parsing them back cost every turn).
         RETURNING id, conversation_id, lang, NULL::jsonb AS payload, generated, created_at)
       SELECT ins.*, (SELECT channel_message_id FROM chat_messages WHERE id = $10) AS reply_to_channel_message_id,
         (SELECT count(*) FROM conv) + (SELECT count(*) FROM usr) AS touched
       FROM ins`,
      [
        update.conversationId,
        JSON.stringify(update.state),
        update.lang,
        update.needsStaff === true,
        update.userId,
        update.userLang?.lang ?? null,
        update.userLang?.source ?? null,
        update.reply ? update.reply.texts.join('\n\n') : null,
        payload ? JSON.stringify(payload) : null,
        update.inboundId ?? null,
        update.reply?.generated === true,
      ],
    );
    return rows[0] ? toReply({ ...rows[0], payload }) : undefined;
  }

  /**
   * The user and their 1:1 thread, created when this is their first contact (someone joins a deal room with an
   * invitation code before ever talking to the bot). No message is stored.
   */
  async ensureUser(channel: Channel, channelUserId: string, lang?: Lang): Promise<ChatUser> {
    const { rows } = await this.pool.query<UserRow>(
      `WITH u AS (
         INSERT INTO chat_users (channel, channel_user_id, lang, lang_source)
         VALUES ($1, $2, $3, CASE WHEN $3::text IS NULL THEN NULL ELSE 'channel' END)
         ON CONFLICT (channel, channel_user_id) DO UPDATE SET last_seen_at = now(), status = 'active',
           lang = COALESCE(chat_users.lang, EXCLUDED.lang), lang_source = COALESCE(chat_users.lang_source, EXCLUDED.lang_source)
         RETURNING id, channel, channel_user_id, lang, lang_source, country, linked_company_external_id, status),
       c AS (
         INSERT INTO chat_conversations (channel, channel_conversation_id, chat_user_id)
         SELECT $1, $2, u.id FROM u
         ON CONFLICT (channel, channel_conversation_id) DO NOTHING)
       SELECT * FROM u`,
      [channel, channelUserId, lang ?? null],
    );
    return toUser(rows[0]);
  }

  /**
   * Bot messages not answering anything (notices), appended to existing threads in one statement (an alert run
   * sends thousands): the id of each, in the order given; undefined where the thread does not exist.
   */
  async appendBotMessages(
    notices: Array<{
      channel: Channel;
      conversationId: string;
      reply: { lang: Lang; texts: string[]; cards?: ReplyCard[]; quickReplies?: ReplyAction[] };
    }>,
    db: Queryable = this.pool,
  ): Promise<Array<string | undefined>> {
    if (notices.length === 0) return [];
    const { rows } = await db.query<{ id: string; conversation_id: string }>(
      `INSERT INTO chat_messages (conversation_id, direction, kind, text, payload, lang)
       SELECT c.id, 'out', 'bot', x.text, x.payload, x.lang
       FROM jsonb_to_recordset($1::jsonb) AS x(channel text, thread text, text text, payload jsonb, lang text,
         n integer)
       JOIN chat_conversations c ON c.channel = x.channel AND c.channel_conversation_id = x.thread
       ORDER BY x.n
       RETURNING id, conversation_id`,
      [
        JSON.stringify(
          notices.map((n, i) => ({
            n: i,
            channel: n.channel,
            thread: n.conversationId,
            text: n.reply.texts.join('\n\n'),
            payload: {
              texts: n.reply.texts,
              cards: n.reply.cards ?? [],
              quickReplies: n.reply.quickReplies ?? [],
            },
            lang: n.reply.lang,
          })),
        ),
      ],
    );
    if (rows.length === notices.length) return rows.map((r) => String(r.id));
    // Some threads do not exist: match the ids back through the threads that do.
    const { rows: threads } = await db.query<{ id: string; channel: string; thread: string }>(
      `SELECT id, channel, channel_conversation_id AS thread FROM chat_conversations WHERE id = ANY ($1::uuid[])`,
      [[...new Set(rows.map((r) => r.conversation_id))]],
    );
    const key = new Map(threads.map((t) => [t.id, `${t.channel}|${t.thread}`]));
    const ids = new Map<string, string[]>();
    for (const r of [...rows].sort((a, b) => Number(a.id) - Number(b.id))) {
      const k = key.get(r.conversation_id)!;
      ids.set(k, [...(ids.get(k) ?? []), String(r.id)]);
    }
    return notices.map((n) => ids.get(`${n.channel}|${n.conversationId}`)?.shift());
  }

  /** Bot replies in a thread after `afterId` (web chat reconnect), oldest first. */
  async repliesAfter(
    channel: Channel,
    channelConversationId: string,
    afterId: string,
    limit = 100,
  ): Promise<StoredReply[]> {
    const { rows } = await this.pool.query<ReplyRow>(
      `SELECT m.id, m.conversation_id, m.lang, m.payload, m.generated, m.created_at,
         q.channel_message_id AS reply_to_channel_message_id
       FROM chat_conversations c
       JOIN chat_messages m ON m.conversation_id = c.id
       LEFT JOIN chat_messages q ON q.id = m.reply_to
       WHERE c.channel = $1 AND c.channel_conversation_id = $2 AND m.direction = 'out' AND m.id > $3::bigint
       ORDER BY m.id LIMIT $4`,
      [channel, channelConversationId, afterId, limit],
    );
    return rows.map(toReply);
  }

  /** The last messages of a thread, oldest first, for the model's context. Text only, no payloads. */
  async recentHistory(
    conversationId: string,
    limit: number,
  ): Promise<Array<{ direction: 'in' | 'out'; text: string }>> {
    const { rows } = await this.pool.query<{ direction: 'in' | 'out'; text: string | null }>(
      `SELECT direction, text FROM chat_messages
       WHERE conversation_id = $1 AND status <> 'unsent' AND text IS NOT NULL
       ORDER BY id DESC LIMIT $2`,
      [conversationId, limit],
    );
    return rows.reverse().map((r) => ({ direction: r.direction, text: r.text ?? '' }));
  }

  /** Every name (every language) of every published company: the grounding check's list of real companies. */
  async allCompanyNames(): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string }>(
      `SELECT DISTINCT v.value AS name FROM companies c, jsonb_each_text(c.names) AS v WHERE c.status = 'published'`,
    );
    return rows.map((r) => r.name);
  }

  async findUser(channel: Channel, channelUserId: string): Promise<ChatUser | undefined> {
    const { rows } = await this.pool.query<UserRow>(
      `SELECT id, channel, channel_user_id, lang, lang_source, country, linked_company_external_id, status
       FROM chat_users WHERE channel = $1 AND channel_user_id = $2`,
      [channel, channelUserId],
    );
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  /** Records an introduction request once per (user, target). Returns false when it already existed. */
  async recordIntroductionRequest(req: {
    userId: string;
    conversationId: string;
    targetExternalId: string;
    need?: string;
  }): Promise<boolean> {
    const { rows } = await this.pool.query<{ created: boolean }>(
      `INSERT INTO chat_introduction_requests (chat_user_id, conversation_id, target_external_id, need)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (chat_user_id, target_external_id) DO UPDATE SET need = COALESCE(EXCLUDED.need, chat_introduction_requests.need)
       RETURNING (xmax = 0) AS created`,
      [req.userId, req.conversationId, req.targetExternalId, req.need ?? null],
    );
    return rows[0]?.created === true;
  }

  /**
   * "Forget me": deletes the user's messages, their own threads with everything in them, the bot's replies to
   * them in group threads, their introduction requests and the user row. The audit log records that it happened
   * and how much went, never what.
   */
  /**
   * Privacy hook: runs inside the "forget me" transaction, before the user's rows go, for data other modules
   * hold about the user (LINE inbox/outbox payloads, translations of their messages).
   */
  onForget(hook: ForgetHook): void {
    this.forgetHooks.push(hook);
  }

  async forget(
    channel: Channel,
    channelUserId: string,
  ): Promise<{ messages: number; conversations: number } | undefined> {
    return withTransaction(this.pool, async (tx) => {
      const { rows: users } = await tx.query<{ id: string }>(
        `SELECT id FROM chat_users WHERE channel = $1 AND channel_user_id = $2 FOR UPDATE`,
        [channel, channelUserId],
      );
      const userId = users[0]?.id;
      if (!userId) return undefined;
      for (const hook of this.forgetHooks) await hook(tx, { chatUserId: userId, channel, channelUserId });
      const { rows: replies } = await tx.query<{ n: string }>(
        `WITH gone AS (
           DELETE FROM chat_messages r USING chat_messages q
           WHERE r.reply_to = q.id AND q.chat_user_id = $1 RETURNING r.id)
         SELECT count(*) AS n FROM gone`,
        [userId],
      );
      const { rows: own } = await tx.query<{ n: string }>(
        `WITH gone AS (DELETE FROM chat_messages WHERE chat_user_id = $1 RETURNING id) SELECT count(*) AS n FROM gone`,
        [userId],
      );
      const { rows: threads } = await tx.query<{ n: string; messages: string }>(
        `WITH doomed AS (SELECT id FROM chat_conversations WHERE chat_user_id = $1 AND NOT is_group),
           msgs AS (DELETE FROM chat_messages WHERE conversation_id IN (SELECT id FROM doomed) RETURNING id),
           convs AS (DELETE FROM chat_conversations WHERE id IN (SELECT id FROM doomed) RETURNING id)
         SELECT (SELECT count(*) FROM convs) AS n, (SELECT count(*) FROM msgs) AS messages`,
        [userId],
      );
      await tx.query(`DELETE FROM chat_users WHERE id = $1`, [userId]);
      const result = {
        messages: Number(replies[0].n) + Number(own[0].n) + Number(threads[0].messages),
        conversations: Number(threads[0].n),
      };
      await this.audit.record(tx, [
        {
          entityType: 'chat_user',
          entityId: userId,
          action: 'forget',
          actor: `chat:${channel}`,
          after: { messagesDeleted: result.messages, conversationsDeleted: result.conversations },
        },
      ]);
      return result;
    });
  }

  /** LINE unsend: the message is kept as a placeholder (ordering, replies) but its content is removed. */
  async markUnsent(channel: Channel, channelMessageId: string): Promise<number> {
    const { rowCount } = await this.pool.query(
      `UPDATE chat_messages m SET status = 'unsent', text = NULL, payload = NULL, edited_at = now()
       FROM chat_conversations c
       WHERE m.conversation_id = c.id AND c.channel = $1 AND m.channel_message_id = $2 AND m.direction = 'in'`,
      [channel, channelMessageId],
    );
    return rowCount ?? 0;
  }

  async markEdited(channel: Channel, channelMessageId: string, text: string): Promise<number> {
    const { rowCount } = await this.pool.query(
      `UPDATE chat_messages m SET status = 'edited', text = $3, edited_at = now()
       FROM chat_conversations c
       WHERE m.conversation_id = c.id AND c.channel = $1 AND m.channel_message_id = $2 AND m.direction = 'in'`,
      [channel, channelMessageId, text],
    );
    return rowCount ?? 0;
  }

  async setUserStatus(
    channel: Channel,
    channelUserId: string,
    status: 'active' | 'inactive',
  ): Promise<number> {
    const { rowCount } = await this.pool.query(
      `UPDATE chat_users SET status = $3, updated_at = now() WHERE channel = $1 AND channel_user_id = $2`,
      [channel, channelUserId, status],
    );
    return rowCount ?? 0;
  }
}

function toUser(r: UserRow): ChatUser {
  return {
    id: r.id,
    channel: r.channel,
    channelUserId: r.channel_user_id,
    lang: r.lang ?? undefined,
    langSource: r.lang_source ?? undefined,
    country: r.country ?? undefined,
    linkedCompanyExternalId: r.linked_company_external_id ?? undefined,
    status: r.status,
  };
}

function toConversation(r: ConversationRow): Conversation {
  return {
    id: r.id,
    channel: r.channel,
    channelConversationId: r.channel_conversation_id,
    isGroup: r.is_group,
    state: parseState(r.state),
    mode: r.mode,
    needsStaff: r.needs_staff_since !== null,
  };
}

function toReply(r: ReplyRow): StoredReply {
  return {
    id: String(r.id),
    conversationId: r.conversation_id,
    replyToChannelMessageId: r.reply_to_channel_message_id ?? undefined,
    lang: r.lang ?? undefined,
    texts: r.payload?.texts ?? [],
    cards: r.payload?.cards ?? [],
    quickReplies: r.payload?.quickReplies ?? [],
    generated: r.generated,
    createdAt: r.created_at.toISOString(),
  };
}
