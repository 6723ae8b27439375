import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.tokens';
import type { Queryable } from '../database/transaction';
import type { GlossaryTerm, GlossaryTermInput } from './glossary.model';

interface TermRow {
  id: string;
  ja: string | null;
  th: string | null;
  en: string | null;
  do_not_translate: boolean;
  note: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, ja, th, en, do_not_translate, note, version, created_at, updated_at';

function toTerm(r: TermRow): GlossaryTerm {
  return {
    id: r.id,
    ...(r.ja !== null ? { ja: r.ja } : {}),
    ...(r.th !== null ? { th: r.th } : {}),
    ...(r.en !== null ? { en: r.en } : {}),
    doNotTranslate: r.do_not_translate,
    ...(r.note !== null ? { note: r.note } : {}),
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** SQL of the glossary. Every write bumps glossary_version in the caller's transaction. */
@Injectable()
export class GlossaryRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async version(db: Queryable = this.pool): Promise<number> {
    const { rows } = await db.query<{ version: string }>('SELECT version FROM glossary_version');
    return Number(rows[0]?.version ?? 1);
  }

  async bumpVersion(db: Queryable): Promise<number> {
    const { rows } = await db.query<{ version: string }>(
      'UPDATE glossary_version SET version = version + 1 RETURNING version',
    );
    return Number(rows[0].version);
  }

  async all(db: Queryable = this.pool): Promise<GlossaryTerm[]> {
    const { rows } = await db.query<TermRow>(
      `SELECT ${COLUMNS} FROM glossary_terms ORDER BY coalesce(lower(en), lower(ja), lower(th)), id`,
    );
    return rows.map(toTerm);
  }

  async list(
    q: string | undefined,
    offset: number,
    limit: number,
  ): Promise<{ items: GlossaryTerm[]; total: number }> {
    const params: unknown[] = [];
    let where = '';
    if (q) {
      params.push(
        `%${q
          .normalize('NFC')
          .toLowerCase()
          .replace(/[\\%_]/g, (m) => '\\' + m)}%`,
      );
      where = `WHERE lower(coalesce(ja, '') || ' ' || coalesce(th, '') || ' ' || coalesce(en, '')) LIKE $1`;
    }
    const total = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM glossary_terms ${where}`,
      params,
    );
    params.push(limit, offset);
    const { rows } = await this.pool.query<TermRow>(
      `SELECT ${COLUMNS} FROM glossary_terms ${where}
       ORDER BY coalesce(lower(en), lower(ja), lower(th)), id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return { items: rows.map(toTerm), total: Number(total.rows[0].n) };
  }

  async find(id: string, db: Queryable = this.pool, forUpdate = false): Promise<GlossaryTerm | undefined> {
    const { rows } = await db.query<TermRow>(
      `SELECT ${COLUMNS} FROM glossary_terms WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? toTerm(rows[0]) : undefined;
  }

  /** Terms sharing any form (case-insensitive) with `input`, other than `exceptId`. */
  async conflicts(db: Queryable, input: GlossaryTermInput, exceptId?: string): Promise<GlossaryTerm[]> {
    const { rows } = await db.query<TermRow>(
      `SELECT ${COLUMNS} FROM glossary_terms
       WHERE (id <> $4 OR $4 IS NULL)
         AND ((ja IS NOT NULL AND lower(ja) = lower($1)) OR (th IS NOT NULL AND lower(th) = lower($2))
              OR (en IS NOT NULL AND lower(en) = lower($3)))`,
      [input.ja ?? null, input.th ?? null, input.en ?? null, exceptId ?? null],
    );
    return rows.map(toTerm);
  }

  async insert(db: Queryable, input: GlossaryTermInput, id?: string): Promise<GlossaryTerm> {
    const { rows } = await db.query<TermRow>(
      `INSERT INTO glossary_terms (id, ja, th, en, do_not_translate, note)
       VALUES (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [
        id ?? null,
        input.ja ?? null,
        input.th ?? null,
        input.en ?? null,
        input.doNotTranslate ?? false,
        input.note ?? null,
      ],
    );
    return toTerm(rows[0]);
  }

  async update(db: Queryable, id: string, input: GlossaryTermInput): Promise<GlossaryTerm> {
    const { rows } = await db.query<TermRow>(
      `UPDATE glossary_terms SET ja = $2, th = $3, en = $4, do_not_translate = $5, note = $6,
         version = version + 1, updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        id,
        input.ja ?? null,
        input.th ?? null,
        input.en ?? null,
        input.doNotTranslate ?? false,
        input.note ?? null,
      ],
    );
    return toTerm(rows[0]);
  }

  async delete(db: Queryable, id: string): Promise<void> {
    await db.query('DELETE FROM glossary_terms WHERE id = $1', [id]);
  }

  async deleteAll(db: Queryable): Promise<number> {
    const { rowCount } = await db.query('DELETE FROM glossary_terms');
    return rowCount ?? 0;
  }
}
