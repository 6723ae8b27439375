import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { AuditRepository } from '../audit/audit.repository';
import { LOCALIZED_FIELDS } from '../companies/company-profile.schema';
import { type PublicProfile, auditSnapshot, canonicalJson, searchTextOf } from '../companies/company.model';
import { CompanyRepository } from '../companies/company.repository';
import type { Lang } from '../config/app-config';
import { PG_POOL } from '../database/database.tokens';
import { withTransaction } from '../database/transaction';

export type LocalizedField = (typeof LOCALIZED_FIELDS)[number];

export interface ClaimedJob {
  companyId: string;
  externalId: string;
  generation: number;
  attempts: number;
}

/** One machine-translated value to write, with the source it was made from (to detect edits meanwhile). */
export interface Fill {
  field: LocalizedField;
  lang: Lang;
  value: string | string[];
  sourceLang: Lang;
  source: string | string[];
}

export const AUTO_TRANSLATE_ACTOR = 'system:auto-translate';

const ALL = `ARRAY['ja','th','en']`;
/** SQL: the company lacks a language in some localized field it has. */
const MISSING_LANGUAGE = LOCALIZED_FIELDS.map((f) =>
  f === 'names' ? `NOT (c.names ?& ${ALL})` : `(c.${f} IS NOT NULL AND NOT (c.${f} ?& ${ALL}))`,
).join(' OR ');

/**
 * The auto-translation job queue (one row per company, claimed with FOR UPDATE SKIP LOCKED so several
 * instances share the work) and the write of machine translations into a profile. That write is the
 * equivalent of a normal save for these fields: version bump, search text, audit record by
 * 'system:auto-translate'. It touches only the localized columns, never company_contacts.
 */
@Injectable()
export class ProfileTranslationRepository {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly companies: CompanyRepository,
    private readonly audit: AuditRepository,
  ) {}

  /** (Re)queues these profiles; a job already running keeps running and is redone after (generation bump). */
  async enqueue(externalIds: string[]): Promise<number> {
    if (externalIds.length === 0) return 0;
    const { rowCount } = await this.pool.query(
      `INSERT INTO profile_translation_jobs (company_id)
       SELECT c.id FROM companies c WHERE c.external_id = ANY($1::text[]) AND c.status <> 'archived'
       ON CONFLICT (company_id) DO UPDATE SET
         status = CASE WHEN profile_translation_jobs.status = 'running'
                        AND profile_translation_jobs.locked_until > now() THEN 'running' ELSE 'pending' END,
         generation = profile_translation_jobs.generation + 1, attempts = 0, run_after = now(), updated_at = now()`,
      [externalIds],
    );
    return rowCount ?? 0;
  }

  /** Queues every saved profile that lacks a language and has no job yet, and retries failed ones. */
  async sweep(): Promise<number> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO profile_translation_jobs (company_id)
       SELECT c.id FROM companies c WHERE c.status <> 'archived' AND (${MISSING_LANGUAGE})
       ON CONFLICT (company_id) DO UPDATE SET status = 'pending', attempts = 0, run_after = now(), updated_at = now()
       WHERE profile_translation_jobs.status = 'failed'`,
    );
    return rowCount ?? 0;
  }

  async claim(lockMs: number): Promise<ClaimedJob | undefined> {
    const { rows } = await this.pool.query<{
      company_id: string;
      external_id: string;
      generation: number;
      attempts: number;
    }>(
      `UPDATE profile_translation_jobs j
       SET status = 'running', attempts = j.attempts + 1, updated_at = now(),
           locked_until = now() + $1 * interval '1 millisecond'
       FROM companies c
       WHERE c.id = j.company_id AND j.company_id = (
         SELECT company_id FROM profile_translation_jobs
         WHERE (status = 'pending' AND run_after <= now()) OR (status = 'running' AND locked_until < now())
         ORDER BY run_after LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING j.company_id, c.external_id, j.generation, j.attempts`,
      [lockMs],
    );
    const r = rows[0];
    return r
      ? { companyId: r.company_id, externalId: r.external_id, generation: r.generation, attempts: r.attempts }
      : undefined;
  }

  async complete(job: ClaimedJob, filled: string[]): Promise<void> {
    await this.pool.query(
      `UPDATE profile_translation_jobs SET
         status = CASE WHEN generation = $2 THEN 'done' ELSE 'pending' END,
         filled = $3, last_error = NULL, locked_until = NULL, run_after = now(), updated_at = now()
       WHERE company_id = $1`,
      [job.companyId, job.generation, filled],
    );
  }

  /** retryAt undefined: give up ('failed'). countAttempt false: the attempt does not count (provider down). */
  async fail(job: ClaimedJob, error: string, retryAt: Date | undefined, countAttempt = true): Promise<void> {
    await this.pool.query(
      `UPDATE profile_translation_jobs SET
         status = CASE WHEN generation <> $2 THEN 'pending' WHEN $4::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
         attempts = CASE WHEN $5 THEN attempts ELSE greatest(attempts - 1, 0) END,
         last_error = $3, locked_until = NULL, run_after = coalesce($4::timestamptz, now()), updated_at = now()
       WHERE company_id = $1`,
      [job.companyId, job.generation, error.slice(0, 200), retryAt?.toISOString() ?? null, countAttempt],
    );
  }

  /** Hands a job back (shutdown): it is claimed again on the next start. */
  async release(job: ClaimedJob): Promise<void> {
    await this.pool.query(
      `UPDATE profile_translation_jobs SET status = 'pending', attempts = greatest(attempts - 1, 0),
         locked_until = NULL, updated_at = now() WHERE company_id = $1 AND status = 'running'`,
      [job.companyId],
    );
  }

  async counts(): Promise<Record<string, number>> {
    const { rows } = await this.pool.query<{ status: string; n: string }>(
      'SELECT status, count(*) AS n FROM profile_translation_jobs GROUP BY status',
    );
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  /**
   * Writes the fills that still apply (target still missing, source unchanged) in one short transaction:
   * localized columns, machine_translated marks, search text, version + 1, and an audit record.
   * Returns the paths written ('names.ja', ...).
   */
  async applyFills(externalId: string, fills: Fill[]): Promise<string[]> {
    return withTransaction(this.pool, async (tx) => {
      const current = await this.companies.findByExternalId(externalId, tx, true);
      if (!current) return [];
      const next: PublicProfile = structuredClone(current);
      const written: string[] = [];
      for (const fill of fills) {
        const field = (
          next as unknown as Record<LocalizedField, Partial<Record<Lang, string | string[]>> | undefined>
        )[fill.field];
        if (!field || field[fill.lang] !== undefined) continue;
        if (canonicalJson(field[fill.sourceLang] ?? null) !== canonicalJson(fill.source)) continue;
        field[fill.lang] = fill.value;
        written.push(`${fill.field}.${fill.lang}`);
      }
      if (written.length === 0) return [];
      const fields = [...new Set(written.map((p) => p.split('.')[0]))];
      const marks = [...new Set([...current.machineTranslated, ...written])].sort();
      await tx.query(
        `UPDATE companies SET names = $2::jsonb, summary = $3::jsonb, description = $4::jsonb, offerings = $5::jsonb,
           seeking = $6::jsonb, location = $7::jsonb, machine_translated = $8, search_text = $9,
           version = version + 1, updated_at = now()
         WHERE id = $1`,
        [
          current.id,
          JSON.stringify(next.names),
          json(next.summary),
          json(next.description),
          json(next.offerings),
          json(next.seeking),
          json(next.location),
          marks,
          searchTextOf(next),
        ],
      );
      await this.audit.record(tx, [
        {
          entityType: 'company',
          entityId: externalId,
          action: 'auto-translate',
          actor: AUTO_TRANSLATE_ACTOR,
          changedFields: fields,
          before: auditSnapshot(current, fields),
          after: auditSnapshot(next, fields),
        },
      ]);
      return written;
    });
  }
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
