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

  async profileStats(): Promise<ProfileStats> {
    const [byCountryStatus, pending, missing] = await Promise.all([
      this.pool.query<{ country: string; status: string; n: string }>(
        'SELECT country, status, count(*) AS n FROM companies GROUP BY country, status ORDER BY country, status',
      ),
      this.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM companies WHERE cardinality(machine_translated) > 0 AND status <> 'archived'`,
      ),
      this.pool.query<{ country: string; lang: string; n: string }>(
        `SELECT c.country, l.lang, count(*) AS n FROM companies c
         CROSS JOIN (VALUES ('ja'), ('th'), ('en')) AS l(lang)
         WHERE c.status <> 'archived' AND NOT (c.names ? l.lang) GROUP BY c.country, l.lang ORDER BY 1, 2`,
      ),
    ]);
    return {
      byCountryStatus: byCountryStatus.rows.map((r) => ({
        country: r.country,
        status: r.status,
        count: Number(r.n),
      })),
      pendingReview: Number(pending.rows[0].n),
      missingNames: missing.rows.map((r) => ({ country: r.country, lang: r.lang, count: Number(r.n) })),
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
