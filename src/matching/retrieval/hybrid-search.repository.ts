import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { toSql } from 'pgvector';
import { PG_POOL } from '../../database/database.tokens';
import { withTransaction } from '../../database/transaction';
import type { Industry, LocalizedList, LocalizedText } from '../../companies/company-profile.schema';

/** What a match card shows: public profile fields only. */
export interface ResultCard {
  companyId: string;
  externalId: string;
  country: 'JP' | 'TH';
  names: LocalizedText;
  summary?: LocalizedText;
  offerings?: LocalizedList;
  seeking?: LocalizedList;
  location?: LocalizedText;
  industries: Industry[];
  partnershipTypes: string[];
  employees?: number;
  conceptHits: Array<{ conceptId: string; field: string }>;
  concepts: string[];
}

/** Filters applied inside every arm (never after fusion), so a filtered search finds what exists. */
export interface SearchFilters {
  country?: 'JP' | 'TH';
  /** Every listed concept must be on the profile (industry, region, certification… ids). */
  requiredConcepts?: string[];
  partnershipTypes?: string[];
  employeesMin?: number;
  employeesMax?: number;
}

export type Arm = 'dense' | 'keyword' | 'concept';

export interface ArmSearch {
  filters: SearchFilters;
  /** Candidates taken from each arm before fusion. */
  depth: number;
  dense?: {
    modelId: string;
    dimensions: number;
    vector: number[];
    minSimilarity: number;
    /** Nearest neighbours to fetch (default `depth`). */
    depth?: number;
  };
  keyword?: { tokens: string[] };
  concept?: {
    ids: string[];
    weights: number[];
    minShareOfBest: number;
  };
}

export interface ArmHit {
  companyId: string;
  arm: Arm;
  rank: number;
  score: number;
}

/**
 * The three retrieval arms in SQL, each with the filters inside its own scan, run in one short transaction
 * (one round trip per arm). The vector arm uses the model's HNSW index with pgvector 0.8 iterative scans, so
 * a filter that rejects most nearest neighbours still yields results instead of an empty page.
 */
@Injectable()
export class HybridSearchRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async search(req: ArmSearch): Promise<ArmHit[]> {
    return withTransaction(this.pool, async (tx) => {
      const hits: ArmHit[] = [];
      // All settings in one round trip. Iterative scans keep walking the HNSW graph past ef_search until LIMIT
      // rows pass the filters. Sequential scans are off because every arm has an index made for it, and the
      // planner has no per-country statistics to see that: words common among Thai profiles made it reckon
      // half the Japanese ones would match a Thai request, and it read them all (9 ms at 10,000 profiles, for
      // no match) where the country's keyword index answers in a tenth of a millisecond (migration 0013).
      await tx.query(
        `SET LOCAL enable_seqscan = off; SET LOCAL hnsw.iterative_scan = 'relaxed_order'; SET LOCAL hnsw.ef_search = 40`,
      );
      if (req.dense) {
        const { country, ...rest } = req.filters;
        const f = filterSql(rest, 4, 'e', true);
        const dims = req.dense.dimensions;
        const distance = `(e.embedding::vector(${dims})) <=> $1::vector(${dims})`;
        const { rows } = await tx.query<{ company_id: string; distance: number }>(
          // relaxed_order may return neighbours slightly out of order: re-sort the small candidate set.
          `SELECT company_id, distance FROM (${eachCountry(
            country,
            (c) => `SELECT e.company_id, ${distance} AS distance
               FROM company_embeddings e
               WHERE e.model = $2 AND e.status = 'published' AND e.country = '${c}' ${f.sql}
               ORDER BY ${distance}
               LIMIT $3`,
          )}) d WHERE distance <= ${1 - req.dense.minSimilarity}
           ORDER BY distance, company_id
           LIMIT $3`,
          [toSql(req.dense.vector), req.dense.modelId, req.dense.depth ?? req.depth, ...f.params],
        );
        rows.forEach((r, i) =>
          hits.push({ companyId: r.company_id, arm: 'dense', rank: i + 1, score: 1 - r.distance }),
        );
      }
      if (req.keyword && req.keyword.tokens.length > 0) {
        const { country, ...rest } = req.filters;
        const f = filterSql(rest, 3, 's', false);
        const { rows } = await tx.query<{ company_id: string; rank: number }>(
          `SELECT company_id, rank FROM (${eachCountry(
            country,
            (c) => `SELECT s.company_id, ts_rank(s.tokens, $1::tsquery) AS rank
               FROM company_search s
               WHERE s.tokens @@ $1::tsquery AND s.status = 'published' AND s.country = '${c}' ${f.sql}
               ORDER BY rank DESC, s.company_id
               LIMIT $2`,
          )}) k
           ORDER BY rank DESC, company_id
           LIMIT $2`,
          [toTsquery(req.keyword.tokens), req.depth, ...f.params],
        );
        hits.push(
          ...rankWithTies(
            rows.map((r) => ({ companyId: r.company_id, score: r.rank })),
            'keyword',
          ),
        );
      }
      if (req.concept && req.concept.ids.length > 0) {
        const { country, ...rest } = req.filters;
        const f = filterSql(rest, 4, 's', false);
        // Scores are summed from the postings of the asked-for concepts (company_concepts, migration 0012); the
        // profile row is read only when a filter needs it.
        const { rows } = await tx.query<{ company_id: string; score: number }>(
          `SELECT p.company_id, sum(q.w) AS score
           FROM unnest($1::text[], $2::float8[]) AS q(c, w)
           JOIN company_concepts p ON ${postingCountry('p', country)} AND p.concept_id = q.c
           ${f.sql ? `JOIN company_search s ON s.company_id = p.company_id ${f.sql}` : ''}
           GROUP BY p.company_id
           ORDER BY score DESC, p.company_id
           LIMIT $3`,
          [req.concept.ids, req.concept.weights, req.depth, ...f.params],
        );
        // A profile that shares only a small part of what was asked (just "manufacturing" of "brake parts
        // manufacturing") is not a concept match: keep candidates within reach of the best score.
        const best = rows.length > 0 ? Number(rows[0].score) : 0;
        const strong = rows.filter((r) => Number(r.score) >= best * req.concept!.minShareOfBest);
        hits.push(
          ...rankWithTies(
            strong.map((r) => ({ companyId: r.company_id, score: Number(r.score) })),
            'concept',
          ),
        );
      }
      return hits;
    });
  }

  async externalIds(companyIds: string[]): Promise<Map<string, string>> {
    if (companyIds.length === 0) return new Map();
    const { rows } = await this.pool.query<{ id: string; external_id: string }>(
      'SELECT id, external_id FROM companies WHERE id = ANY($1::uuid[])',
      [companyIds],
    );
    return new Map(rows.map((r) => [r.id, r.external_id]));
  }

  /** Public card data for result ids (never contacts), with the concepts found in each profile. */
  async loadCards(companyIds: string[]): Promise<Map<string, ResultCard>> {
    if (companyIds.length === 0) return new Map();
    const { rows } = await this.pool.query<{
      id: string;
      external_id: string;
      country: 'JP' | 'TH';
      names: LocalizedText;
      summary: LocalizedText | null;
      offerings: LocalizedList | null;
      seeking: LocalizedList | null;
      location: LocalizedText | null;
      industries: Industry[];
      partnership_types: string[];
      employees: number | null;
      concept_hits: Array<{ conceptId: string; field: string }> | null;
      concepts: string[] | null;
    }>(
      `SELECT c.id, c.external_id, c.country, c.names, c.summary, c.offerings, c.seeking, c.location, c.industries,
         c.partnership_types, c.employees, s.concept_hits, s.concepts
       FROM companies c LEFT JOIN company_search s ON s.company_id = c.id
       WHERE c.id = ANY($1::uuid[])`,
      [companyIds],
    );
    return new Map(
      rows.map((r) => [
        r.id,
        {
          companyId: r.id,
          externalId: r.external_id,
          country: r.country,
          names: r.names,
          summary: r.summary ?? undefined,
          offerings: r.offerings ?? undefined,
          seeking: r.seeking ?? undefined,
          location: r.location ?? undefined,
          industries: r.industries,
          partnershipTypes: r.partnership_types,
          employees: r.employees ?? undefined,
          conceptHits: r.concept_hits ?? [],
          concepts: r.concepts ?? [],
        },
      ]),
    );
  }

  /**
   * Per country ('' = both): how many published profiles carry each concept, and how many there are. Counted from
   * the narrow postings rather than by unnesting every profile's concept array (0.53 s instead of 0.72 s at 50,000
   * profiles; it runs in the background after index changes).
   */
  async conceptFrequencies(): Promise<Map<string, { total: number; df: Map<string, number> }>> {
    const { rows } = await this.pool.query<{ country: string | null; c: string; n: string }>(
      `SELECT country, concept_id AS c, count(*) AS n FROM company_concepts
       GROUP BY GROUPING SETS ((country, concept_id), (concept_id))`,
    );
    const out = new Map<string, { total: number; df: Map<string, number> }>();
    const entry = (country: string) => {
      let e = out.get(country);
      if (!e) out.set(country, (e = { total: 0, df: new Map() }));
      return e;
    };
    const totals = await this.pool.query<{ country: string | null; n: string }>(
      `SELECT country, count(*) AS n FROM company_search WHERE status = 'published' GROUP BY ROLLUP (country)`,
    );
    for (const t of totals.rows) entry(t.country ?? '').total = Number(t.n);
    for (const r of rows) entry(r.country ?? '').df.set(r.c, Number(r.n));
    return out;
  }
}

/**
 * SQL for the filters, as extra `AND …` conditions with parameters numbered from `first`. The vector arm
 * reads its filter columns from company_search through a correlated lookup so HNSW stays the access path.
 */
function filterSql(f: SearchFilters, first: number, alias: string, viaSearchTable: boolean) {
  const params: unknown[] = [];
  const conds: string[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${first + params.length - 1}`;
  };
  if (f.country) conds.push(`${alias}.country = ${p(f.country)}`);
  const onSearch: string[] = [];
  if (f.requiredConcepts?.length) onSearch.push(`s2.concepts @> ${p(f.requiredConcepts)}::text[]`);
  if (f.partnershipTypes?.length) onSearch.push(`s2.partnership_types && ${p(f.partnershipTypes)}::text[]`);
  if (f.employeesMin !== undefined) onSearch.push(`s2.employees >= ${p(f.employeesMin)}`);
  if (f.employeesMax !== undefined) onSearch.push(`s2.employees <= ${p(f.employeesMax)}`);
  if (onSearch.length > 0) {
    if (viaSearchTable) {
      conds.push(
        `EXISTS (SELECT 1 FROM company_search s2 WHERE s2.company_id = ${alias}.company_id AND ${onSearch.join(' AND ')})`,
      );
    } else {
      conds.push(...onSearch.map((c) => c.replace(/s2\./g, `${alias}.`)));
    }
  }
  return { sql: conds.map((c) => `AND ${c}`).join(' '), params };
}

/** Any of the tokens, each a quoted lexeme (verbatim: no stemming, Thai and Japanese tokens stay whole). */
export function toTsquery(tokens: string[]): string {
  return tokens.map((t) => `'${t.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' | ');
}

/**
 * Competition ranking ("1, 2, 2, 4"): profiles with the same score share a rank, so fusion does not reward or
 * punish a profile for where an arbitrary tie-break put it (twenty automotive firms match "自動車部品" equally).
 */
export function rankWithTies(scored: Array<{ companyId: string; score: number }>, arm: Arm): ArmHit[] {
  let rank = 0;
  let previous = Number.NaN;
  return scored.map((s, i) => {
    if (i === 0 || Math.abs(s.score - previous) > 1e-9) rank = i + 1;
    previous = s.score;
    return { companyId: s.companyId, arm, rank, score: s.score };
  });
}

/**
 * The concepts worth scanning for: those that on their own carry at least `minShare` of the heaviest concept's
 * weight. A profile that overlaps a request only on weak, generic concepts ("manufacturing", "partner" in a
 * request for food makers) is not a concept match, so scanning for those would only make the arm score every
 * manufacturer in the country for every request. (They still add to the score of the candidates found.)
 */
export function conceptCandidateIds(ids: string[], weights: number[], minShare: number): string[] {
  const max = Math.max(0, ...weights);
  return ids.filter((_, i) => weights[i] >= minShare * max);
}

/** The postings of one country (a literal, for the primary key's leading column), or of both. */
function postingCountry(alias: string, country: string | undefined): string {
  return country === 'JP' || country === 'TH'
    ? `${alias}.country = '${country}'`
    : `${alias}.country IN ('JP', 'TH')`;
}

/**
 * One arm's scan per target country, as literals (a checked enum): each country has its own partial indexes (HNSW
 * and GIN), and the planner can only choose a partial index when the condition is a constant. When the target
 * is open (an English request from an unknown seeker) each country is scanned through its own index and the two
 * lists merged by the caller's ORDER BY: a single scan over both would have no index to use.
 */
function eachCountry(country: string | undefined, scan: (country: 'JP' | 'TH') => string): string {
  const countries: Array<'JP' | 'TH'> = country === 'JP' || country === 'TH' ? [country] : ['JP', 'TH'];
  return countries.map((c) => `(${scan(c)})`).join(' UNION ALL ');
}
