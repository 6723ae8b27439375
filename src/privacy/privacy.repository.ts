import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.tokens';
import type { Queryable } from '../database/transaction';

type Row = Record<string, unknown>;

/**
 * The SQL of the privacy procedures: what "forget me" and company erasure remove beyond the rows their owners
 * delete (the chat engine's own tables; companies and everything with a foreign key to them), and the exports.
 * Tables of optional modules (LINE, deal rooms) are touched only when they exist, each step in a savepoint, so
 * a module that is not installed never breaks an erasure.
 */
@Injectable()
export class PrivacyRepository {
  private readonly logger = new Logger('Privacy');

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** For single statements outside a transaction (audit entries of exports). */
  get queryable(): Queryable {
    return this.pool;
  }

  /** Inside the "forget me" transaction, before the chat engine deletes the user's own rows. */
  async forgetChatUser(
    db: Queryable,
    user: { chatUserId: string; channel: string; channelUserId: string },
  ): Promise<void> {
    // Translations of the user's messages: the cache is content-addressed (no user id), so drop the entries
    // written while the user was chatting (a cache: dropping extra entries only costs a re-translation).
    await this.optional(db, 'translation_cache', 'translation cache', () =>
      db.query(
        `DELETE FROM translation_cache c USING (
           SELECT created_at FROM chat_messages WHERE chat_user_id = $1 AND direction = 'in') m
         WHERE c.created_at BETWEEN m.created_at - interval '1 minute' AND m.created_at + interval '10 minutes'`,
        [user.chatUserId],
      ),
    );
    if (user.channel === 'line') {
      const key = `user:${user.channelUserId}`;
      // Event payloads and sent messages hold message bodies. Rows still being worked on (this very request)
      // are left to their worker; finished ones keep their idempotency key but lose their content.
      await this.optional(db, 'line_inbox', 'LINE inbox', () =>
        db.query(
          `UPDATE line_inbox SET payload = jsonb_build_object('forgotten', true), last_error = NULL,
             conversation_key = 'forgotten', destination = NULL
           WHERE conversation_key = $1 AND status NOT IN ('pending', 'processing')`,
          [key],
        ),
      );
      await this.optional(db, 'line_outbox', 'LINE outbox', () =>
        db.query(
          `UPDATE line_outbox SET messages = '[]'::jsonb, last_error = NULL, conversation_key = 'forgotten',
             to_id = 'forgotten', reply_token = NULL
           WHERE conversation_key = $1 AND status IN ('sent', 'failed')`,
          [key],
        ),
      );
      await this.optional(db, 'line_users', 'LINE user', () =>
        db.query('DELETE FROM line_users WHERE user_id = $1', [user.channelUserId]),
      );
    }
    // Deal rooms: the user's messages stay in the other side's history as removed, without text or files.
    await this.optional(db, 'relay_messages', 'relay messages', () =>
      db.query(
        `UPDATE relay_messages SET text = NULL, translations = '{}'::jsonb, attachment = NULL
         WHERE sender_member_id IN (SELECT id FROM deal_room_members WHERE chat_user_id = $1)`,
        [user.chatUserId],
      ),
    );
    await this.optional(db, 'deal_room_members', 'room membership', () =>
      db.query(
        `UPDATE deal_room_members SET address = 'forgotten:' || id, display_name = NULL,
           left_at = coalesce(left_at, now())
         WHERE chat_user_id = $1`,
        [user.chatUserId],
      ),
    );
    await this.optional(db, 'relay_threads', 'relay thread', () =>
      db.query('DELETE FROM relay_threads WHERE channel = $1 AND address = $2', [
        user.channel,
        user.channelUserId,
      ]),
    );
    await this.optional(db, 'introductions', 'introductions', () =>
      db.query(
        `UPDATE introductions SET message = NULL, need = NULL, decline_reason = NULL,
           requester_address = 'forgotten:' || id,
           status = CASE WHEN status IN ('draft', 'pending') THEN 'cancelled' ELSE status END
         WHERE requester_user_id = $1 OR (requester_channel = $2 AND requester_address = $3)`,
        [user.chatUserId, user.channel, user.channelUserId],
      ),
    );
  }

  /** Inside the erasing transaction, before the company row (and all that cascades from it) goes. */
  async eraseCompany(db: Queryable, companyId: string): Promise<void> {
    const { rows } = await db.query<{ external_id: string }>(
      'SELECT external_id FROM companies WHERE id = $1',
      [companyId],
    );
    const externalId = rows[0]?.external_id;
    if (!externalId) return;
    // The audit trail keeps who did what and when, never the erased values.
    await db.query(
      `UPDATE audit_log SET before = NULL, after = NULL
       WHERE entity_type = 'company' AND entity_id = $1 AND (before IS NOT NULL OR after IS NOT NULL)`,
      [externalId],
    );
    await db.query('DELETE FROM chat_introduction_requests WHERE target_external_id = $1', [externalId]);
    await db.query(
      'UPDATE chat_users SET linked_company_external_id = NULL WHERE linked_company_external_id = $1',
      [externalId],
    );
    // Cards of the company shown in chats: the card list goes (the bot's text bubbles stay).
    await db.query(
      `UPDATE chat_messages SET payload = payload - 'cards'
       WHERE payload IS NOT NULL AND payload->'cards' @> jsonb_build_array(jsonb_build_object('externalId', $1::text))`,
      [externalId],
    );
    // The last result page a thread remembers ("the second one") names the company: forget that page.
    await db.query(
      `UPDATE chat_conversations SET state = state - 'lastResults'
       WHERE state->'lastResults' @> jsonb_build_array(jsonb_build_object('externalId', $1::text))`,
      [externalId],
    );
    await this.optional(db, 'introductions', 'introductions', () =>
      db.query(
        `UPDATE introductions SET message = NULL, need = NULL, decline_reason = NULL,
           status = CASE WHEN status IN ('draft', 'pending') THEN 'cancelled' ELSE status END
         WHERE target_external_id = $1`,
        [externalId],
      ),
    );
  }

  /** Everything held about one chat user, as rows per table. */
  async exportChatUser(channel: string, channelUserId: string): Promise<Record<string, Row[]> | undefined> {
    const { rows: users } = await this.pool.query<Row & { id: string }>(
      'SELECT * FROM chat_users WHERE channel = $1 AND channel_user_id = $2',
      [channel, channelUserId],
    );
    const user = users[0];
    if (!user) return undefined;
    const out: Record<string, Row[]> = { chat_users: users };
    const q = async (name: string, sql: string, params: unknown[]) => {
      if (!(await this.exists(this.pool, name))) return;
      out[name] = (await this.pool.query<Row>(sql, params)).rows;
    };
    await q(
      'chat_conversations',
      'SELECT * FROM chat_conversations WHERE chat_user_id = $1 ORDER BY created_at',
      [user.id],
    );
    await q(
      'chat_messages',
      `SELECT m.* FROM chat_messages m
       WHERE m.chat_user_id = $1
          OR m.conversation_id IN (SELECT id FROM chat_conversations WHERE chat_user_id = $1 AND NOT is_group)
       ORDER BY m.id`,
      [user.id],
    );
    await q(
      'chat_introduction_requests',
      'SELECT * FROM chat_introduction_requests WHERE chat_user_id = $1 ORDER BY created_at',
      [user.id],
    );
    if (channel === 'line') {
      const key = `user:${channelUserId}`;
      await q('line_users', 'SELECT * FROM line_users WHERE user_id = $1', [channelUserId]);
      await q('line_inbox', 'SELECT * FROM line_inbox WHERE conversation_key = $1 ORDER BY id', [key]);
      await q('line_outbox', 'SELECT * FROM line_outbox WHERE conversation_key = $1 ORDER BY seq', [key]);
    }
    await q('introductions', 'SELECT * FROM introductions WHERE requester_user_id = $1 ORDER BY created_at', [
      user.id,
    ]);
    await q('deal_room_members', 'SELECT * FROM deal_room_members WHERE chat_user_id = $1', [user.id]);
    await q(
      'relay_messages',
      `SELECT * FROM relay_messages WHERE sender_member_id IN
         (SELECT id FROM deal_room_members WHERE chat_user_id = $1) ORDER BY id`,
      [user.id],
    );
    await q(
      'audit_log',
      `SELECT * FROM audit_log WHERE entity_type = 'chat_user' AND entity_id = $1 ORDER BY id`,
      [user.id],
    );
    return out;
  }

  /** Everything held about one company profile, as rows per table (embeddings as number arrays). */
  async exportCompany(externalId: string): Promise<Record<string, Row[]> | undefined> {
    const { rows: companies } = await this.pool.query<Row & { id: string }>(
      'SELECT * FROM companies WHERE external_id = $1',
      [externalId],
    );
    const company = companies[0];
    if (!company) return undefined;
    const out: Record<string, Row[]> = { companies };
    const q = async (name: string, sql: string, params: unknown[]) => {
      if (!(await this.exists(this.pool, name))) return;
      out[name] = (await this.pool.query<Row>(sql, params)).rows;
    };
    await q('company_contacts', 'SELECT * FROM company_contacts WHERE company_id = $1', [company.id]);
    await q(
      'company_search',
      `SELECT company_id, country, status, partnership_types, concepts, concept_hits, employees, term_postings,
         doc_length, businesses, locations, indexed_version, lexicon_version, indexed_at
       FROM company_search WHERE company_id = $1`,
      [company.id],
    );
    await q(
      'company_enrichments',
      'SELECT company_id, company_version, businesses, keywords, source, model, status, updated_at, updated_by FROM company_enrichments WHERE company_id = $1',
      [company.id],
    );
    await q(
      'company_embeddings',
      'SELECT company_id, model, dimensions, embedding::text AS embedding, content_hash, indexed_version, indexed_at FROM company_embeddings WHERE company_id = $1',
      [company.id],
    );
    await q('profile_translation_jobs', 'SELECT * FROM profile_translation_jobs WHERE company_id = $1', [
      company.id,
    ]);
    await q(
      'chat_users',
      'SELECT * FROM chat_users WHERE linked_company_external_id = $1 ORDER BY created_at',
      [externalId],
    );
    await q(
      'chat_introduction_requests',
      'SELECT * FROM chat_introduction_requests WHERE target_external_id = $1 ORDER BY created_at',
      [externalId],
    );
    await q(
      'introductions',
      `SELECT * FROM introductions WHERE target_external_id = $1 OR requester_company_external_id = $1
       ORDER BY created_at`,
      [externalId],
    );
    await q(
      'deal_rooms',
      `SELECT * FROM deal_rooms WHERE a_company_external_id = $1 OR b_company_external_id = $1
       ORDER BY created_at`,
      [externalId],
    );
    await q(
      'audit_log',
      `SELECT * FROM audit_log WHERE entity_type = 'company' AND entity_id = $1 ORDER BY id`,
      [externalId],
    );
    for (const e of out.company_embeddings ?? []) e.embedding = JSON.parse(String(e.embedding)) as number[];
    return out;
  }

  private async exists(db: Queryable, table: string): Promise<boolean> {
    const { rows } = await db.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [table]);
    return rows[0]?.t !== null && rows[0]?.t !== undefined;
  }

  /** A step on an optional module's table: skipped when the table is absent; isolated by a savepoint. */
  private async optional(db: Queryable, table: string, what: string, step: () => Promise<unknown>) {
    if (!(await this.exists(db, table))) return;
    await db.query('SAVEPOINT privacy_step');
    try {
      await step();
      await db.query('RELEASE SAVEPOINT privacy_step');
    } catch (err) {
      await db.query('ROLLBACK TO SAVEPOINT privacy_step');
      this.logger.error({ msg: 'privacy step failed', step: what, error: (err as Error).message });
    }
  }
}
