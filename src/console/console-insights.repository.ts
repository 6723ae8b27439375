import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { AuditEntry, AuditRecord } from '../audit/audit.repository';
import { PG_POOL } from '../database/database.tokens';
import type { Queryable } from '../database/transaction';

export interface AuditFilter {
  entityType?: AuditEntry['entityType'];
  entityId?: string;
  actor?: string;
  /** Keyset pagination: only records older than this id. */
  beforeId?: number;
  limit: number;
  /** Staff and token records are for admins only. */
  includeAccessRecords: boolean;
}

export interface ChatStats {
  days: number;
  conversations: number;
  requests: number;
  answersWithMatches: number;
  companiesShown: number;
  introductions: Array<{ status: string; count: number }>;
  relayMessages: number;
}

export interface ProfileStats {
  byCountryStatus: Array<{ country: string; status: string; count: number }>;
  pendingReview: number;
  missingNames: Array<{ country: string; lang: string; count: number }>;
}

/** Read models for the console's dashboard and audit pages, plus the one write the review buttons need. */
@Injectable()
export class ConsoleInsightsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async auditPage(filter: AuditFilter): Promise<AuditRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.entityType) add((p) => `entity_type = ${p}`, filter.entityType);
    if (filter.entityId) add((p) => `entity_id = ${p}`, filter.entityId);
    if (filter.actor) add((p) => `actor = ${p}`, filter.actor);
    if (filter.beforeId) add((p) => `id < ${p}`, filter.beforeId);
    if (!filter.includeAccessRecords) where.push(`entity_type NOT IN ('staff', 'api_token')`);
    params.push(filter.limit);
    const { rows } = await this.pool.query<{
      id: string;
      entity_type: AuditEntry['entityType'];
      entity_id: string;
      action: string;
      actor: string;
      changed_fields: string[];
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
      at: Date;
    }>(
      `SELECT id, entity_type, entity_id, action, actor, changed_fields, before, after, at FROM audit_log
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      entityType: r.entity_type,
      entityId: r.entity_id,
      action: r.action,
      actor: r.actor,
      changedFields: r.changed_fields,
      before: r.before,
      after: r.after,
      at: r.at.toISOString(),
    }));
  }

  /** One pass over the profiles (the dashboard must stay fast at tens of thousands of them). */
  async profileStats(): Promise<ProfileStats> {
    const { rows } = await this.pool.query<{
      country: string;
      status: string;
      n: string;
      pending: string;
      no_ja: string;
      no_th: string;
      no_en: string;
    }>(
      `SELECT country, status, count(*) AS n,
         count(*) FILTER (WHERE cardinality(machine_translated) > 0) AS pending,
         count(*) FILTER (WHERE NOT (names ? 'ja')) AS no_ja,
         count(*) FILTER (WHERE NOT (names ? 'th')) AS no_th,
         count(*) FILTER (WHERE NOT (names ? 'en')) AS no_en
       FROM companies GROUP BY country, status ORDER BY country, status`,
    );
    // Archived profiles are out of the curation backlog.
    const current = rows.filter((r) => r.status !== 'archived');
    const missingNames: ProfileStats['missingNames'] = [];
    for (const country of [...new Set(current.map((r) => r.country))]) {
      for (const lang of ['ja', 'th', 'en'] as const) {
        const count = current
          .filter((r) => r.country === country)
          .reduce((sum, r) => sum + Number(r[`no_${lang}`]), 0);
        if (count > 0) missingNames.push({ country, lang, count });
      }
    }
    return {
      byCountryStatus: rows.map((r) => ({ country: r.country, status: r.status, count: Number(r.n) })),
      pendingReview: current.reduce((sum, r) => sum + Number(r.pending), 0),
      missingNames,
    };
  }

  /** Changes per day and entity type over the last `days` days (the curation activity chart). */
  async activityByDay(days: number): Promise<Array<{ day: string; entityType: string; count: number }>> {
    const { rows } = await this.pool.query<{ day: string; entity_type: string; n: string }>(
      `SELECT to_char(date_trunc('day', at), 'YYYY-MM-DD') AS day, entity_type, count(*) AS n FROM audit_log
       WHERE at > now() - make_interval(days => $1) AND entity_type NOT IN ('staff', 'api_token')
       GROUP BY 1, 2 ORDER BY 1, 2`,
      [days],
    );
    return rows.map((r) => ({ day: r.day, entityType: r.entity_type, count: Number(r.n) }));
  }

  /**
   * The chat's figures over the last `days` days: conversations started, requests (messages in), answers that
   * showed companies and how many, introductions by status, and messages relayed in deal rooms.
   */
  async chatStats(days: number): Promise<ChatStats> {
    const { rows } = await this.pool.query<{
      conversations: string;
      requests: string;
      answers_with_matches: string;
      companies_shown: string;
      relay_messages: string;
    }>(
      `SELECT
         (SELECT count(*) FROM chat_conversations WHERE created_at > now() - make_interval(days => $1)) AS conversations,
         count(*) FILTER (WHERE direction = 'in') AS requests,
         count(*) FILTER (WHERE kind = 'bot' AND jsonb_array_length(coalesce(payload->'cards', '[]')) > 0)
           AS answers_with_matches,
         coalesce(sum(jsonb_array_length(coalesce(payload->'cards', '[]'))) FILTER (WHERE kind = 'bot'), 0)
           AS companies_shown,
         (SELECT count(*) FROM relay_messages WHERE created_at > now() - make_interval(days => $1)) AS relay_messages
       FROM chat_messages WHERE created_at > now() - make_interval(days => $1)`,
      [days],
    );
    const intros = await this.pool.query<{ status: string; n: string }>(
      `SELECT status, count(*) AS n FROM introductions WHERE created_at > now() - make_interval(days => $1)
       GROUP BY status ORDER BY status`,
      [days],
    );
    const r = rows[0];
    return {
      days,
      conversations: Number(r.conversations),
      requests: Number(r.requests),
      answersWithMatches: Number(r.answers_with_matches),
      companiesShown: Number(r.companies_shown),
      introductions: intros.rows.map((i) => ({ status: i.status, count: Number(i.n) })),
      relayMessages: Number(r.relay_messages),
    };
  }

  /** Sets a profile's machine-translation marks (review approvals) and bumps its version, like any edit. */
  async setMachineTranslated(db: Queryable, companyId: string, paths: string[]): Promise<number> {
    const { rows } = await db.query<{ version: number }>(
      `UPDATE companies SET machine_translated = $2::text[], version = version + 1, updated_at = now()
       WHERE id = $1 RETURNING version`,
      [companyId, paths],
    );
    return rows[0].version;
  }
}
