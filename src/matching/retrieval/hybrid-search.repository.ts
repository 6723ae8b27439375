import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { toSql } from 'pgvector';
import { PG_POOL } from '../../database/database.tokens';
import { withTransaction } from '../../database/transaction';
import type { Industry, LocalizedList, LocalizedText } from '../../companies/company-profile.schema';
import type { BusinessLookup } from '../taxonomy/business-match';
import type { ProfileBusiness } from '../taxonomy/profile-businesses';

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
  businesses: ProfileBusiness[];
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

/** The arms fused by reciprocal rank. */
export type RetrievalArm = 'dense' | 'keyword' | 'concept';
/** Every arm a result may come from: the fused ones, and the business arm that ranks before them. */
export type Arm = RetrievalArm | 'business';

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
  keyword?: {
    tokens: string[];
    /** Per country: published profiles and their mean length (BM25's N and avgdl). */
    stats: Record<'JP' | 'TH', { total: number; avgLength: number }>;
  };
  concept?: {
    ids: string[];
    weights: number[];
    minShareOfBest: number;
  };
}

export interface ArmHit {
  companyId: string;
  arm: RetrievalArm;
  rank: number;
  score: number;
}

/** What the business arm is asked: the lookups of the businesses named, and the rest of the request. */
export interface BusinessSearch {
  filters: SearchFilters;
  lookups: BusinessLookup[];
  /** Tier width: business scores are compared in steps of this size. */
  step: number;
  /** The request's other concepts (products, "how"), with weights: they order the firms within a tier. */
  conceptIds: string[];
  conceptWeights: number[];
  /** Regions named in the request: firms there come first (or only, see MatchService). */
  regions: string[];
  onlyInRegions: boolean;
  limit: number;
}

/** A firm found by the business arm, with the keys it is ranked by. */
export interface BusinessHit {
  companyId: string;
  externalId: string;
  business: number;
  inRegion: boolean;
  concept: number;
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
        const stats = req.keyword.stats;
        // BM25 (k1 = 1.2, b = 0.75) from the term postings: each term's rarity among the country's published
        // profiles (counted from its postings), its field-weighted frequency, the profile's length.
        const { rows } = await tx.query<{ company_id: string; score: number }>(
          `SELECT company_id, score FROM (${eachCountry(
            country,
            (c) => `SELECT p.company_id, min(p.sort_key) AS sort_key,
                 sum(ln(1 + (${stats[c].total} - d.n + 0.5) / (d.n + 0.5))
                   * p.tf * ${BM25_K1 + 1} / (p.tf + ${BM25_K1} * (${1 - BM25_B} + ${BM25_B} * p.doc_length / ${stats[c].avgLength}))) AS score
               FROM (SELECT t.term, count(*) AS n FROM unnest($1::text[]) AS t(term)
                     JOIN company_terms x ON x.country = '${c}' AND x.term = t.term GROUP BY t.term) d
               JOIN company_terms p ON p.country = '${c}' AND p.term = d.term
               ${f.sql ? `JOIN company_search s ON s.company_id = p.company_id ${f.sql}` : ''}
               GROUP BY p.company_id
               ORDER BY score DESC, sort_key
               LIMIT $2`,
          )}) k
           ORDER BY score DESC, sort_key
           LIMIT $2`,
          [[...new Set(req.keyword.tokens)], req.depth, ...f.params],
        );
        hits.push(
          ...rankWithTies(
            rows.map((r) => ({ companyId: r.company_id, score: Number(r.score) })),
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
           ORDER BY score DESC, min(p.sort_key)
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

  /**
   * The business arm: firms whose kinds of business meet the request's, those in a region the request names
   * first, then by business tier, by the other concepts the request names, and by external id. Everything
   * is ordered in SQL over the whole set, so the page is the same whatever the set's size and the order of the
   * rows on disk: the same request on the same profiles gives the same answer on every database.
   */
  async businessSearch(req: BusinessSearch): Promise<BusinessHit[]> {
    if (req.lookups.length === 0) return [];
    const { country, ...rest } = req.filters;
    const params: unknown[] = [
      req.lookups.map((l) => l.code),
      req.lookups.map((l) => l.rel),
      req.lookups.map((l) => l.own),
      req.conceptIds,
      req.conceptWeights,
      req.regions,
      req.step,
      req.limit,
    ];
    const f = filterSql(rest, params.length + 1, 's', false);
    params.push(...f.params);
    const needsProfile = f.sql !== '' || req.onlyInRegions;
    return withTransaction(this.pool, async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off');
      const { rows } = await tx.query<{
        company_id: string;
        sort_key: string;
        business: number;
        in_region: boolean;
        concept: number;
      }>(
        `WITH q AS (SELECT * FROM unnest($1::text[], $2::float8[], $3::bool[]) AS q(code, rel, own)),
         hits AS (
           SELECT p.company_id, q.rel * p.weight AS score, p.sort_key
           FROM q JOIN company_businesses p ON ${postingCountry('p', country)} AND p.code = q.code
           WHERE NOT q.own
           UNION ALL
           SELECT p.company_id, q.rel * p.exact_weight AS score, p.sort_key
           FROM q JOIN company_businesses p ON ${postingCountry('p', country)} AND p.code = q.code
             AND p.exact_weight > 0
           WHERE q.own
         ), b AS (
           SELECT h.company_id, max(h.score) AS business, min(h.sort_key) AS sort_key
           FROM hits h
           ${needsProfile ? `JOIN company_search s ON s.company_id = h.company_id ${f.sql} ${req.onlyInRegions ? 'AND s.locations && $6::text[]' : ''}` : ''}
           GROUP BY h.company_id
         ), c AS (
           SELECT p.company_id, sum(q.w) AS concept
           FROM unnest($4::text[], $5::float8[]) AS q(c, w)
           JOIN company_concepts p ON ${postingCountry('p', country)} AND p.concept_id = q.c
           GROUP BY p.company_id
         )
         SELECT b.company_id, b.sort_key, b.business, coalesce(c.concept, 0) AS concept,
           ${
             req.regions.length > 0
               ? `EXISTS (SELECT 1 FROM company_search r WHERE r.company_id = b.company_id AND r.locations && $6::text[])`
               : // Typed all the same: PostgreSQL must know every parameter's type.
                 'cardinality($6::text[]) < 0'
           } AS in_region
         FROM b LEFT JOIN c ON c.company_id = b.company_id
         WHERE b.business > 0
         ORDER BY in_region DESC, round(b.business / $7) DESC, concept DESC, b.sort_key
         LIMIT $8`,
        params,
      );
      return rows.map((r) => ({
        companyId: r.company_id,
        externalId: r.sort_key,
        business: Number(r.business),
        inRegion: r.in_region,
        concept: Number(r.concept),
      }));
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
      businesses: ProfileBusiness[] | null;
    }>(
      `SELECT c.id, c.external_id, c.country, c.names, c.summary, c.offerings, c.seeking, c.location, c.industries,
         c.partnership_types, c.employees, s.concept_hits, s.concepts, s.businesses
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
          businesses: r.businesses ?? [],
        },
      ]),
    );
  }

  /**
   * Per country ('' = both): how many published profiles carry each concept, and how many there are. Counted from
   * the narrow postings rather than by unnesting every profile's concept array (0.53 s instead of 0.72 s at 50,000
   * profiles; it runs in the background after index changes).
   */
  async conceptFrequencies(): Promise<
    Map<string, { total: number; avgLength: number; df: Map<string, number> }>
  > {
    const { rows } = await this.pool.query<{ country: string | null; c: string; n: string }>(
      `SELECT country, concept_id AS c, count(*) AS n FROM company_concepts
       GROUP BY GROUPING SETS ((country, concept_id), (concept_id))`,
    );
    const out = new Map<string, { total: number; avgLength: number; df: Map<string, number> }>();
    const entry = (country: string) => {
      let e = out.get(country);
      if (!e) out.set(country, (e = { total: 0, avgLength: 1, df: new Map() }));
      return e;
    };
    const totals = await this.pool.query<{ country: string | null; n: string; len: number | null }>(
      `SELECT country, count(*) AS n, avg(doc_length) AS len FROM company_search WHERE status = 'published'
       GROUP BY ROLLUP (country)`,
    );
    for (const t of totals.rows) {
      const e = entry(t.country ?? '');
      e.total = Number(t.n);
      e.avgLength = Math.max(Number(t.len ?? 1), 1);
    }
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

const BM25_K1 = 1.2;
const BM25_B = 0.75;

/**
 * Competition ranking ("1, 2, 2, 4"): profiles with the same score share a rank, so fusion does not reward or
 * punish a profile for where an arbitrary tie-break put it (twenty automotive firms match "自動車部品" equally).
 */
export function rankWithTies(
  scored: Array<{ companyId: string; score: number }>,
  arm: RetrievalArm,
): ArmHit[] {
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
