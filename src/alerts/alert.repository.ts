import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Lang } from '../companies/company-profile.schema';
import type { Channel } from '../conversation/conversation.types';
import { PG_POOL } from '../database/database.tokens';
import type { Queryable } from '../database/transaction';
import type { AlertCriteria } from '../matching/match.service';

export interface SavedSearchInput {
  chatUserId: string;
  channel: Channel;
  address: string;
  lang: Lang;
  text: string;
  filters: Record<string, unknown>;
  criteria: AlertCriteria;
  ownCompany?: string;
}

/** A user with firms found for them and not yet announced, and whether a message may go to them now. */
export interface PendingAlert {
  chatUserId: string;
  channel: Channel;
  address: string;
  lang: Lang;
  /** The text of the search that found the most firms (named in the message). */
  search: string;
  companyIds: string[];
}

/** saved_searches, alert_matches, alert_digests and the check's watermark. */
@Injectable()
export class AlertRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Saves a search; 'exists' when the same search is already saved, 'full' past `max` per user. */
  async save(s: SavedSearchInput, max: number): Promise<'saved' | 'exists' | 'full'> {
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM saved_searches WHERE chat_user_id = $1 AND stopped_at IS NULL`,
      [s.chatUserId],
    );
    if ((rows[0]?.n ?? 0) >= max) return 'full';
    const c = s.criteria;
    const { rowCount } = await this.pool.query(
      `INSERT INTO saved_searches (chat_user_id, channel, address, lang, text, filters, target_country, business_codes,
         broader_codes, concepts, regions, partnership_type, own_company_external_id)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (chat_user_id, text, filters) WHERE stopped_at IS NULL DO NOTHING`,
      [
        s.chatUserId,
        s.channel,
        s.address,
        s.lang,
        s.text,
        JSON.stringify(s.filters),
        c.targetCountry ?? null,
        c.businessCodes,
        c.broaderCodes,
        c.concepts,
        c.regions,
        c.partnershipType ?? null,
        s.ownCompany ?? null,
      ],
    );
    return rowCount ? 'saved' : 'exists';
  }

  /** Stops every alert of the user; how many searches were stopped. */
  async stopAll(chatUserId: string): Promise<number> {
    const { rowCount } = await this.pool.query(
      `UPDATE saved_searches SET stopped_at = now() WHERE chat_user_id = $1 AND stopped_at IS NULL`,
      [chatUserId],
    );
    await this.pool.query(`DELETE FROM alert_matches WHERE chat_user_id = $1 AND notified_at IS NULL`, [
      chatUserId,
    ]);
    return rowCount ?? 0;
  }

  /**
   * Finds, for the profiles indexed since the last check (alert_queue, filled by a trigger on the search index),
   * the saved searches they meet, and records each (user, firm) once. A profile meets a search when it is
   * published on the side asked, joined after the search was saved, is of a kind of business asked (or filed
   * only under a broader code: its exact one), or carries every business concept asked when the search named no
   * kind of business; and is in a region asked and offers the partnership asked, when the search says. One
   * statement, which also takes the profiles off the queue (a second instance waits for it, then finds them gone).
   */
  async findNewMatches(db: Queryable, limit: number): Promise<{ matched: number; profiles: number }> {
    // With no alert anywhere (most deployments at first), the queue is just emptied: a 30,000-profile import then
    // costs one statement per batch, not a read of every posting.
    const { rows: any } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM saved_searches WHERE stopped_at IS NULL LIMIT 1) x`,
    );
    if ((any[0]?.n ?? 0) === 0) {
      const { rowCount } = await db.query(
        `DELETE FROM alert_queue WHERE company_id IN (SELECT company_id FROM alert_queue LIMIT $1)`,
        [limit],
      );
      return { matched: 0, profiles: rowCount ?? 0 };
    }
    const { rows } = await db.query<{ matched: number; profiles: number }>(
      `WITH taken AS (
         DELETE FROM alert_queue q WHERE q.company_id IN (SELECT company_id FROM alert_queue LIMIT $1)
         RETURNING q.company_id
       ),
       fresh AS (
         SELECT s.company_id, s.country, s.concepts, s.partnership_types, s.locations, s.business_postings,
                c.external_id, c.created_at
         FROM taken t JOIN company_search s ON s.company_id = t.company_id JOIN companies c ON c.id = s.company_id
         WHERE s.status = 'published'
       ),
       -- The fresh profiles' business postings, from their own search rows (code c, exact weight xw).
       postings AS (
         SELECT f.company_id, p->>'c' AS code, (p->>'xw')::real AS exact_weight
         FROM fresh f, jsonb_array_elements(f.business_postings) AS p
       ),
       -- Candidates through the searches' inverted indexes (GIN on their codes and concepts): a probe per business
       -- posting of a fresh profile, not a pass over every saved search for every profile.
       candidates AS (
         SELECT ss.id AS saved_search_id, b.company_id
         FROM postings b
         JOIN saved_searches ss ON ss.stopped_at IS NULL AND ss.business_codes && ARRAY[b.code]
         UNION ALL
         SELECT ss.id, b.company_id
         FROM postings b
         JOIN saved_searches ss ON ss.stopped_at IS NULL AND b.exact_weight > 0 AND ss.broader_codes && ARRAY[b.code]
         UNION ALL
         SELECT ss.id, f.company_id
         FROM fresh f
         JOIN saved_searches ss ON ss.stopped_at IS NULL AND ss.business_codes = '{}' AND ss.concepts <> '{}'
           AND ss.concepts <@ f.concepts
       ),
       hits AS (
         SELECT DISTINCT ON (ss.chat_user_id, f.company_id) ss.chat_user_id, f.company_id, ss.id AS saved_search_id
         FROM candidates c
         JOIN fresh f ON f.company_id = c.company_id
         JOIN saved_searches ss ON ss.id = c.saved_search_id
         WHERE ss.created_at < f.created_at
           AND (ss.target_country IS NULL OR ss.target_country = f.country)
           AND (ss.own_company_external_id IS NULL OR ss.own_company_external_id <> f.external_id)
           AND (ss.partnership_type IS NULL OR ss.partnership_type = ANY (f.partnership_types))
           AND (ss.regions = '{}' OR ss.regions && f.concepts OR ss.regions && f.locations)
         ORDER BY ss.chat_user_id, f.company_id, ss.created_at
       ),
       recorded AS (
         INSERT INTO alert_matches (chat_user_id, company_id, saved_search_id)
         SELECT chat_user_id, company_id, saved_search_id FROM hits
         ON CONFLICT DO NOTHING
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM recorded)::int AS matched, (SELECT count(*) FROM taken)::int AS profiles`,
      [limit],
    );
    return { matched: rows[0]?.matched ?? 0, profiles: rows[0]?.profiles ?? 0 };
  }

  /**
   * Users with firms not yet announced who may be sent a message now (none in the last 24 hours), oldest finds
   * first; LINE users only while the day's push budget lasts. Locks their rows (SKIP LOCKED: another instance
   * takes other users).
   */
  async claimDue(db: Queryable, limit: number, linePushesLeft: number): Promise<PendingAlert[]> {
    const { rows } = await db.query<{
      chat_user_id: string;
      channel: Channel;
      address: string;
      lang: Lang;
      search: string;
      company_ids: string[];
    }>(
      `WITH due AS (
         SELECT m.chat_user_id, min(m.found_at) AS first
         FROM alert_matches m
         JOIN chat_users u ON u.id = m.chat_user_id
         LEFT JOIN alert_digests d ON d.chat_user_id = m.chat_user_id
         WHERE m.notified_at IS NULL AND (d.last_sent_at IS NULL OR d.last_sent_at <= now() - interval '24 hours')
           -- Once the day's LINE budget is spent, LINE users wait and the others are not held up behind them.
           AND ($2::int > 0 OR u.channel <> 'line')
         GROUP BY m.chat_user_id
         ORDER BY first
         LIMIT $1
       ),
       locked AS (
         SELECT m.chat_user_id, m.company_id, m.saved_search_id
         FROM alert_matches m JOIN due USING (chat_user_id)
         WHERE m.notified_at IS NULL
         FOR UPDATE OF m SKIP LOCKED
       ),
       per_user AS (
         SELECT l.chat_user_id, array_agg(l.company_id ORDER BY l.company_id) AS company_ids,
                mode() WITHIN GROUP (ORDER BY l.saved_search_id) AS search_id
         FROM locked l GROUP BY l.chat_user_id
       )
       SELECT p.chat_user_id, s.channel, s.address, s.lang, s.text AS search, p.company_ids
       FROM per_user p JOIN saved_searches s ON s.id = p.search_id`,
      [limit, linePushesLeft],
    );
    let line = linePushesLeft;
    return rows
      .filter((r) => r.channel !== 'line' || line-- > 0)
      .map((r) => ({
        chatUserId: r.chat_user_id,
        channel: r.channel,
        address: r.address,
        lang: r.lang,
        search: r.search,
        companyIds: r.company_ids,
      }));
  }

  /** LINE alert messages sent in the last 24 hours (the day's push budget counts them). */
  async linePushesToday(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM alert_digests WHERE channel = 'line' AND last_sent_at > now() - interval '24 hours'`,
    );
    return rows[0]?.n ?? 0;
  }

  /** Marks the firms of these alerts announced and their users' day begun, in two statements. */
  async markSent(db: Queryable, alerts: PendingAlert[]): Promise<void> {
    if (alerts.length === 0) return;
    const pairs = alerts.flatMap((a) => a.companyIds.map((c) => ({ u: a.chatUserId, c })));
    await db.query(
      `UPDATE alert_matches m SET notified_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS x(u uuid, c uuid)
       WHERE m.chat_user_id = x.u AND m.company_id = x.c`,
      [JSON.stringify(pairs)],
    );
    await db.query(
      `INSERT INTO alert_digests (chat_user_id, channel, last_sent_at)
       SELECT x.u, x.channel, now() FROM jsonb_to_recordset($1::jsonb) AS x(u uuid, channel text)
       ON CONFLICT (chat_user_id) DO UPDATE SET channel = EXCLUDED.channel, last_sent_at = EXCLUDED.last_sent_at`,
      [JSON.stringify(alerts.map((a) => ({ u: a.chatUserId, channel: a.channel })))],
    );
  }
}
