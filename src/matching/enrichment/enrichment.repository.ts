import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Lang } from '../../companies/company-profile.schema';
import { PG_POOL } from '../../database/database.tokens';
import type { Queryable } from '../../database/transaction';

/** What the model read from a profile (or staff made of it): kinds of business and search keywords. */
export interface Enrichment {
  businesses: Array<{ code: string; confidence: number }>;
  keywords: Partial<Record<Lang, string[]>>;
  source: 'model' | 'staff';
  model?: string;
  updatedAt: string;
  updatedBy?: string;
}

/** A profile claimed for enrichment by one worker until `claimedUntil`. */
export interface ClaimedEnrichment {
  companyId: string;
  externalId: string;
  version: number;
  attempts: number;
}

/** Attempts per profile before it is left as failed (a new profile version tries again). */
export const MAX_ENRICHMENT_ATTEMPTS = 3;

/** A finished row of company_enrichments as read back. */
interface EnrichmentRow {
  businesses: Enrichment['businesses'];
  keywords: Enrichment['keywords'];
  source: Enrichment['source'];
  model: string | null;
  updated_at: Date;
  updated_by: string | null;
}

@Injectable()
export class EnrichmentRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Claims up to `limit` published profiles the model has not read at their current version (and staff have not
   * taken over), in external-id order. A claim is a lease: a worker that dies leaves it to expire, and the next
   * claim takes the profile over. INSERT … ON CONFLICT with the lease test makes two instances claim disjoint sets.
   */
  async claim(limit: number, leaseMs: number): Promise<ClaimedEnrichment[]> {
    const { rows } = await this.pool.query<{
      company_id: string;
      external_id: string;
      version: number;
      attempts: number;
    }>(
      `WITH due AS (
         SELECT c.id, c.version, coalesce(e.attempts, 0) AS attempts
         FROM companies c LEFT JOIN company_enrichments e ON e.company_id = c.id
         WHERE c.status = 'published'
           AND (e.company_id IS NULL
             OR (e.source = 'model' AND e.status <> 'failed' AND e.company_version < c.version
                 AND (e.claimed_until IS NULL OR e.claimed_until < now()))
             OR (e.status = 'pending' AND e.claimed_until < now()))
         ORDER BY c.external_id
         LIMIT $1
       ), claimed AS (
         INSERT INTO company_enrichments (company_id, company_version, status, attempts, claimed_until)
         SELECT id, version, 'pending', attempts, now() + make_interval(secs => $2::float8 / 1000) FROM due
         ON CONFLICT (company_id) DO UPDATE SET status = 'pending', claimed_until = EXCLUDED.claimed_until,
           company_version = EXCLUDED.company_version
         WHERE company_enrichments.claimed_until IS NULL OR company_enrichments.claimed_until < now()
           OR company_enrichments.status = 'done'
         RETURNING company_id, company_version AS version, attempts
       )
       SELECT k.company_id, c.external_id, k.version, k.attempts
       FROM claimed k JOIN companies c ON c.id = k.company_id ORDER BY c.external_id`,
      [limit, leaseMs],
    );
    return rows.map((r) => ({
      companyId: r.company_id,
      externalId: r.external_id,
      version: r.version,
      attempts: r.attempts,
    }));
  }

  /** Stores what the model read; a profile staff took over meanwhile keeps staff's version. */
  async complete(
    claim: ClaimedEnrichment,
    result: Pick<Enrichment, 'businesses' | 'keywords'> & { model: string; promptVersion: string },
  ): Promise<void> {
    await this.pool.query(
      `UPDATE company_enrichments SET businesses = $2, keywords = $3, model = $4, prompt_version = $5,
         status = 'done', source = 'model', attempts = 0, claimed_until = NULL, company_version = $6,
         updated_at = now(), updated_by = NULL
       WHERE company_id = $1 AND source = 'model'`,
      [
        claim.companyId,
        JSON.stringify(result.businesses),
        JSON.stringify(result.keywords),
        result.model,
        result.promptVersion,
        claim.version,
      ],
    );
  }

  /** A failed attempt: counted, and the profile left for a later pass (or as failed after the last attempt). */
  async failed(claim: ClaimedEnrichment, retryAfterMs: number): Promise<void> {
    await this.pool.query(
      `UPDATE company_enrichments SET attempts = attempts + 1,
         status = CASE WHEN attempts + 1 >= $2 THEN 'failed' ELSE 'pending' END,
         claimed_until = now() + make_interval(secs => $3::float8 / 1000)
       WHERE company_id = $1 AND status = 'pending'`,
      [claim.companyId, MAX_ENRICHMENT_ATTEMPTS, retryAfterMs],
    );
  }

  /** Gives a claim back untouched (shutdown, or no model reachable right now). */
  async release(claim: ClaimedEnrichment, retryAfterMs = 0): Promise<void> {
    await this.pool.query(
      `UPDATE company_enrichments SET claimed_until = now() + make_interval(secs => $2::float8 / 1000)
       WHERE company_id = $1 AND status = 'pending'`,
      [claim.companyId, retryAfterMs],
    );
  }

  /** Finished enrichments by company id, for the indexer. */
  async forCompanies(companyIds: string[], db: Queryable = this.pool): Promise<Map<string, Enrichment>> {
    if (companyIds.length === 0) return new Map();
    const { rows } = await db.query<EnrichmentRow & { company_id: string }>(
      `SELECT company_id, businesses, keywords, source, model, updated_at, updated_by FROM company_enrichments
       WHERE company_id = ANY($1::uuid[]) AND status = 'done'`,
      [companyIds],
    );
    return new Map(rows.map((r) => [r.company_id, toEnrichment(r)]));
  }

  async forExternalId(externalId: string): Promise<Enrichment | undefined> {
    const { rows } = await this.pool.query<EnrichmentRow>(
      `SELECT e.businesses, e.keywords, e.source, e.model, e.updated_at, e.updated_by
       FROM company_enrichments e JOIN companies c ON c.id = e.company_id
       WHERE c.external_id = $1 AND e.status = 'done'`,
      [externalId],
    );
    return rows[0] ? toEnrichment(rows[0]) : undefined;
  }

  /**
   * Staff's version replaces the model's and is kept when the profile changes; `undefined` (a reset) hands the
   * profile back to the model. Returns false when there is no such profile.
   */
  async saveByStaff(
    externalId: string,
    value: Pick<Enrichment, 'businesses' | 'keywords'> | undefined,
    actor: string,
  ): Promise<boolean> {
    const { rowCount } = value
      ? await this.pool.query(
          `INSERT INTO company_enrichments (company_id, company_version, businesses, keywords, source, status,
             updated_at, updated_by)
           SELECT c.id, c.version, $2, $3, 'staff', 'done', now(), $4 FROM companies c WHERE c.external_id = $1
           ON CONFLICT (company_id) DO UPDATE SET businesses = EXCLUDED.businesses, keywords = EXCLUDED.keywords,
             source = 'staff', status = 'done', claimed_until = NULL, attempts = 0, updated_at = now(),
             updated_by = EXCLUDED.updated_by`,
          [externalId, JSON.stringify(value.businesses), JSON.stringify(value.keywords), actor],
        )
      : await this.pool.query(
          `DELETE FROM company_enrichments e USING companies c WHERE c.id = e.company_id AND c.external_id = $1`,
          [externalId],
        );
    if (value) return (rowCount ?? 0) > 0;
    const { rows } = await this.pool.query('SELECT 1 FROM companies WHERE external_id = $1', [externalId]);
    return rows.length > 0;
  }
}

function toEnrichment(r: EnrichmentRow): Enrichment {
  return {
    businesses: r.businesses,
    keywords: r.keywords,
    source: r.source,
    ...(r.model ? { model: r.model } : {}),
    updatedAt: new Date(r.updated_at).toISOString(),
    ...(r.updated_by ? { updatedBy: r.updated_by } : {}),
  };
}
