import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../database/database.tokens';
import { withTransaction } from '../../database/transaction';
import type { Concept } from './concept';

@Injectable()
export class LexiconRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Replaces the seed concepts with `concepts` (staff-added ones stay), in one transaction. */
  async syncSeed(concepts: readonly Concept[]): Promise<void> {
    await withTransaction(this.pool, async (tx) => {
      await tx.query(`DELETE FROM lexicon_concepts WHERE source = 'seed' AND NOT (id = ANY($1::text[]))`, [
        concepts.map((c) => c.id),
      ]);
      await tx.query(
        `INSERT INTO lexicon_concepts (id, kind, parents, labels, synonyms, codes, partnership_type, business, parts,
           source)
         SELECT x.id, x.kind, ARRAY(SELECT jsonb_array_elements_text(x.parents)), x.labels, x.synonyms, x.codes,
           x.partnership_type, x.business, x.parts, 'seed'
         FROM jsonb_to_recordset($1::jsonb) AS x(id text, kind text, parents jsonb, labels jsonb, synonyms jsonb,
           codes jsonb, partnership_type text, business jsonb, parts text)
         ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, parents = EXCLUDED.parents, labels = EXCLUDED.labels,
           synonyms = EXCLUDED.synonyms, codes = EXCLUDED.codes, partnership_type = EXCLUDED.partnership_type,
           business = EXCLUDED.business, parts = EXCLUDED.parts, updated_at = now()
         WHERE lexicon_concepts.source = 'seed'
           AND (lexicon_concepts.kind, lexicon_concepts.parents, lexicon_concepts.labels, lexicon_concepts.synonyms,
                lexicon_concepts.codes, lexicon_concepts.partnership_type, lexicon_concepts.business,
                lexicon_concepts.parts)
           IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.parents, EXCLUDED.labels, EXCLUDED.synonyms, EXCLUDED.codes,
                EXCLUDED.partnership_type, EXCLUDED.business, EXCLUDED.parts)`,
        [
          JSON.stringify(
            concepts.map((c) => ({
              id: c.id,
              kind: c.kind,
              parents: c.parents ?? [],
              labels: c.labels,
              synonyms: c.synonyms ?? {},
              codes: c.codes ?? {},
              partnership_type: c.partnershipType ?? null,
              business: c.business ?? {},
              parts: c.parts ?? null,
            })),
          ),
        ],
      );
    });
  }

  async all(): Promise<Concept[]> {
    const { rows } = await this.pool.query<{
      id: string;
      kind: Concept['kind'];
      parents: string[];
      labels: Concept['labels'];
      synonyms: NonNullable<Concept['synonyms']>;
      codes: Record<string, string>;
      partnership_type: Concept['partnershipType'] | null;
      business: NonNullable<Concept['business']>;
      parts: string | null;
    }>(
      `SELECT id, kind, parents, labels, synonyms, codes, partnership_type, business, parts
       FROM lexicon_concepts ORDER BY id`,
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      ...(r.parents.length ? { parents: r.parents } : {}),
      labels: r.labels,
      synonyms: r.synonyms,
      ...(Object.keys(r.codes).length ? { codes: r.codes } : {}),
      ...(r.partnership_type ? { partnershipType: r.partnership_type } : {}),
      ...(Object.keys(r.business).length ? { business: r.business } : {}),
      ...(r.parts ? { parts: r.parts } : {}),
    }));
  }
}
