import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { COUNTRIES } from '../../companies/company-profile.schema';
import { DATABASE_KIND, PG_POOL } from '../../database/database.tokens';
import type { Database } from '../../database/open-database';
import { type Queryable, withTransaction } from '../../database/transaction';
import type { BusinessPosting, ProfileBusiness } from '../taxonomy/profile-businesses';
import type { ConceptHitInProfile } from './profile-document';

export interface StaleCompany {
  companyId: string;
  externalId: string;
  searchStale: boolean;
  embeddingStale: boolean;
  /** Hash of the text the current vector was made from (unchanged text is not embedded again). */
  embeddedContentHash?: string;
}

export interface SearchRow {
  companyId: string;
  country: string;
  status: string;
  partnershipTypes: string[];
  concepts: string[];
  hits: ConceptHitInProfile[];
  businesses: ProfileBusiness[];
  businessPostings: BusinessPosting[];
  locations: string[];
  /** The profile's external id: ties rank by it, the same on every database. */
  sortKey: string;
  /** When the model's (or staff's) enrichment this document was built with was written. */
  enrichedAt: string | null;
  employees: number | null;
  /** Keyword terms with field-weighted frequencies, and their sum (BM25's document length). */
  terms: Array<{ t: string; f: number }>;
  docLength: number;
  version: number;
  lexiconVersion: string;
}

export interface EmbeddingRow {
  companyId: string;
  country: string;
  status: string;
  embedding: number[];
  contentHash: string;
  version: number;
}

/**
 * A vector as integer components, scaled so the largest is ±2^20: the database parses integers about ten times
 * faster than decimals (the embedded PostgreSQL spent 90 of 150 s of a 31,792-profile indexing run reading
 * vectors written as decimals; measured 17 vs 168 ms per 256 vectors). Only cosine distance is ever computed on
 * these vectors, and it does not change with a vector's length; the rounding moves it by about 1e-6.
 */
export function asIntegerComponents(vector: readonly number[]): string {
  const largest = vector.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const scale = largest > 0 ? 2 ** 20 / largest : 0;
  return `{${vector.map((x) => Math.round(x * scale)).join(',')}}`;
}

// Large enough that a build of 100,000 vectors of 256 dimensions stays in memory (the default is 64 MB).
const HNSW_BUILD_MEMORY = '512MB';
/**
 * Parallel workers for an HNSW build on a server (pgvector ≥ 0.6 builds in parallel); the server's
 * max_worker_processes and max_parallel_workers still cap them.
 */
const HNSW_PARALLEL_WORKERS = 2;

/** Index-name-safe form of a model id (each model has its own partial HNSW index). */
export const vectorIndexName = (modelId: string): string =>
  `company_embeddings_hnsw_${modelId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 36)}`;

/** Reads profiles that need (re)indexing and writes the search documents and vectors. */
@Injectable()
export class SearchIndexRepository {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(DATABASE_KIND) private readonly kind: Database['kind'],
  ) {}

  /**
   * Profiles whose search document or vector is missing or stale: older than the profile, built with another
   * lexicon, or made by another model. `after` continues a pass from the last external id seen, in that order, so
   * each batch starts where the last one stopped instead of scanning past every profile already indexed (quadratic
   * in a bulk load: 14.6 s of a 31,792-profile run). External ids, unlike company ids, are the same on every
   * database holding the same profiles, so vectors enter the index in the same order.
   */
  async staleCompanies(
    lexiconVersion: string,
    modelId: string,
    limit: number,
    after?: string,
  ): Promise<StaleCompany[]> {
    const { rows } = await this.pool.query<{
      id: string;
      external_id: string;
      search_stale: boolean;
      embed_stale: boolean;
      content_hash: string | null;
    }>(
      `SELECT c.id, c.external_id,
         (s.company_id IS NULL OR s.indexed_version <> c.version OR s.lexicon_version <> $1
           OR date_trunc('milliseconds', x.updated_at) IS DISTINCT FROM s.enriched_at) AS search_stale,
         (e.company_id IS NULL OR e.indexed_version <> c.version) AS embed_stale,
         e.content_hash
       FROM companies c
       LEFT JOIN company_search s ON s.company_id = c.id
       LEFT JOIN company_embeddings e ON e.company_id = c.id AND e.model = $2
       LEFT JOIN company_enrichments x ON x.company_id = c.id AND x.status = 'done'
       WHERE (s.company_id IS NULL OR s.indexed_version <> c.version OR s.lexicon_version <> $1
          OR date_trunc('milliseconds', x.updated_at) IS DISTINCT FROM s.enriched_at
          OR e.company_id IS NULL OR e.indexed_version <> c.version)
         AND ($4::text IS NULL OR c.external_id > $4::text)
       ORDER BY c.external_id
       LIMIT $3`,
      [lexiconVersion, modelId, limit, after ?? null],
    );
    return rows.map((r) => ({
      companyId: r.id,
      externalId: r.external_id,
      searchStale: r.search_stale,
      embeddingStale: r.embed_stale,
      embeddedContentHash: r.content_hash ?? undefined,
    }));
  }

  /**
   * Of these profiles, those that still exist, locked against erasure until the transaction ends. A profile erased
   * while its batch was being prepared is skipped. Checking in the INSERT alone was not enough on a server: an
   * erasure not yet committed passes the check, then the foreign key waits for it and fails the whole batch.
   */
  async lockExisting(tx: Queryable, companyIds: string[]): Promise<Set<string>> {
    if (companyIds.length === 0) return new Set();
    const { rows } = await tx.query<{ id: string }>(
      'SELECT id FROM companies WHERE id = ANY($1::uuid[]) ORDER BY id FOR KEY SHARE',
      [companyIds],
    );
    return new Set(rows.map((r) => r.id));
  }

  async writeSearchDocuments(db: Queryable, rows: SearchRow[]): Promise<void> {
    if (rows.length === 0) return;
    await db.query(
      `INSERT INTO company_search (company_id, country, status, partnership_types, concepts, concept_hits, employees,
         term_postings, doc_length, businesses, business_postings, locations, sort_key, enriched_at,
         indexed_version, lexicon_version, indexed_at)
       SELECT x.company_id, x.country, x.status, ARRAY(SELECT jsonb_array_elements_text(x.partnership_types)),
         ARRAY(SELECT jsonb_array_elements_text(x.concepts)), x.hits, x.employees, x.terms, x.doc_length,
         x.businesses, x.business_postings, ARRAY(SELECT jsonb_array_elements_text(x.locations)), x.sort_key,
         x.enriched_at, x.version, x.lexicon_version, now()
       FROM jsonb_to_recordset($1::jsonb) AS x(company_id uuid, country text, status text, partnership_types jsonb,
         concepts jsonb, hits jsonb, employees integer, terms jsonb, doc_length real, businesses jsonb,
         business_postings jsonb, locations jsonb, sort_key text, enriched_at timestamptz, version integer,
         lexicon_version text)
       -- A profile erased while it was being indexed has no row to join: skip it instead of failing the batch.
       WHERE EXISTS (SELECT 1 FROM companies c WHERE c.id = x.company_id)
       ON CONFLICT (company_id) DO UPDATE SET country = EXCLUDED.country, status = EXCLUDED.status,
         partnership_types = EXCLUDED.partnership_types, concepts = EXCLUDED.concepts,
         concept_hits = EXCLUDED.concept_hits, employees = EXCLUDED.employees,
         term_postings = EXCLUDED.term_postings, doc_length = EXCLUDED.doc_length,
         businesses = EXCLUDED.businesses, business_postings = EXCLUDED.business_postings,
         locations = EXCLUDED.locations, sort_key = EXCLUDED.sort_key, enriched_at = EXCLUDED.enriched_at,
         indexed_version = EXCLUDED.indexed_version, lexicon_version = EXCLUDED.lexicon_version,
         indexed_at = now()`,
      [
        JSON.stringify(
          rows.map((r) => ({
            company_id: r.companyId,
            country: r.country,
            status: r.status,
            partnership_types: r.partnershipTypes,
            concepts: r.concepts,
            hits: r.hits,
            employees: r.employees,
            terms: r.terms,
            doc_length: r.docLength,
            businesses: r.businesses,
            business_postings: r.businessPostings,
            locations: r.locations,
            sort_key: r.sortKey,
            enriched_at: r.enrichedAt,
            version: r.version,
            lexicon_version: r.lexiconVersion,
          })),
        ),
      ],
    );
  }

  async writeEmbeddings(
    db: Queryable,
    modelId: string,
    dimensions: number,
    rows: EmbeddingRow[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await db.query(
      `INSERT INTO company_embeddings (company_id, model, dimensions, embedding, country, status, content_hash,
         indexed_version, indexed_at)
       SELECT x.company_id, $1, $2, x.embedding::int[]::vector, x.country, x.status, x.content_hash, x.version, now()
       FROM jsonb_to_recordset($3::jsonb) AS x(company_id uuid, embedding text, country text, status text,
         content_hash text, version integer)
       WHERE EXISTS (SELECT 1 FROM companies c WHERE c.id = x.company_id)
       ON CONFLICT (company_id, model) DO UPDATE SET embedding = EXCLUDED.embedding, country = EXCLUDED.country,
         status = EXCLUDED.status, content_hash = EXCLUDED.content_hash, indexed_version = EXCLUDED.indexed_version,
         dimensions = EXCLUDED.dimensions, indexed_at = now()`,
      [
        modelId,
        dimensions,
        JSON.stringify(
          rows.map((r) => ({
            company_id: r.companyId,
            embedding: asIntegerComponents(r.embedding),
            country: r.country,
            status: r.status,
            content_hash: r.contentHash,
            version: r.version,
          })),
        ),
      ],
    );
  }

  /** Same text, new version (e.g. a status change): move the vector along without calling the model. */
  async refreshEmbeddingMeta(
    db: Queryable,
    modelId: string,
    rows: Array<Omit<EmbeddingRow, 'embedding'>>,
  ): Promise<void> {
    if (rows.length === 0) return;
    await db.query(
      `UPDATE company_embeddings e SET country = x.country, status = x.status, indexed_version = x.version,
         indexed_at = now()
       FROM jsonb_to_recordset($2::jsonb) AS x(company_id uuid, country text, status text, version integer)
       WHERE e.company_id = x.company_id AND e.model = $1`,
      [
        modelId,
        JSON.stringify(
          rows.map((r) => ({
            company_id: r.companyId,
            country: r.country,
            status: r.status,
            version: r.version,
          })),
        ),
      ],
    );
  }

  async countStaleEmbeddings(modelId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM companies c
       LEFT JOIN company_embeddings e ON e.company_id = c.id AND e.model = $1
       WHERE e.company_id IS NULL OR e.indexed_version <> c.version`,
      [modelId],
    );
    return Number(rows[0].n);
  }

  /** On a server without blocking searches meanwhile (CONCURRENTLY: the table stays readable and writable). */
  async dropVectorIndex(modelId: string): Promise<void> {
    const concurrently = this.kind === 'server' ? 'CONCURRENTLY' : '';
    for (const country of COUNTRIES) {
      await this.pool.query(
        `DROP INDEX ${concurrently} IF EXISTS ${vectorIndexName(modelId)}_${country.toLowerCase()}`,
      );
    }
  }

  async analyze(): Promise<void> {
    await this.pool.query(
      'ANALYZE company_search, company_embeddings, company_concepts, company_businesses, company_terms',
    );
  }

  /**
   * Marks the concept postings' pages all-visible, so the concept arm reads them from the primary key alone (an
   * index-only scan) instead of visiting a heap page per posting: 43 → 22 ms for a four-concept request at 50,000
   * profiles. A server's autovacuum does this in time; the embedded database has no autovacuum. Pages already
   * all-visible are skipped, so after a single edit this is quick.
   */
  async vacuumPostings(): Promise<void> {
    // A server's autovacuum does it (insert-driven since PostgreSQL 13), at a time the server chooses.
    if (this.kind === 'server') return;
    await this.pool.query('VACUUM company_concepts');
    await this.pool.query('VACUUM company_businesses');
    await this.pool.query('VACUUM company_terms');
  }

  /**
   * Moves what GIN indexes hold in their pending lists (fast insertion) into the indexes proper. Until then every
   * search through them scans the whole list: after a 10,000-profile load that was 246 pages, 5 ms for a keyword
   * query that matched nothing. A server's autovacuum does this; the embedded database has no autovacuum. The
   * profiles' own GIN indexes (the console's industry filter) are flushed too: an indexer pass follows every
   * import.
   */
  async flushGinPendingLists(): Promise<void> {
    await this.pool.query(
      `SELECT gin_clean_pending_list(i.indexrelid::regclass)
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
       WHERE i.indrelid IN ('company_search'::regclass, 'companies'::regclass) AND am.amname = 'gin'`,
    );
  }

  /**
   * Partial HNSW indexes for this model's vectors (cosine), one per country. Searches always want the other
   * side of the border, and with one shared graph a Japanese query's nearest neighbours are Japanese profiles:
   * the iterative scan then walked thousands of them (measured: 4,800 of 5,000 rows filtered out) before
   * reaching a Thai one. Per-country graphs start in the right country.
   */
  async ensureVectorIndex(modelId: string, dimensions: number): Promise<void> {
    for (const country of COUNTRIES) {
      const name = `${vectorIndexName(modelId)}_${country.toLowerCase()}`;
      const definition = `ON company_embeddings
           USING hnsw ((embedding::vector(${dimensions})) vector_cosine_ops) WITH (m = 12, ef_construction = 48)
           WHERE model = '${modelId.replace(/'/g, "''")}' AND country = '${country}'`;
      if (this.kind === 'server') {
        await this.buildConcurrently(name, definition);
        continue;
      }
      await withTransaction(this.pool, async (tx) => {
        // pgvector builds the graph in memory when it fits in maintenance_work_mem, and much more slowly once it
        // spills to disk.
        await tx.query(`SET LOCAL maintenance_work_mem = '${HNSW_BUILD_MEMORY}'`);
        await tx.query(`CREATE INDEX IF NOT EXISTS ${name} ${definition}`);
      });
    }
  }

  /**
   * On a server the graph is built while the product serves: CREATE INDEX CONCURRENTLY takes no lock that blocks
   * writes (new profiles keep being indexed), with pgvector's parallel build and the build memory set for this
   * session only (a transaction-mode pooler cannot carry them: the build runs on one client from start to end).
   * A concurrent build that failed leaves an invalid index behind, which IF NOT EXISTS would keep: it is dropped
   * first. Two instances asking at once: the second waits for the first's build and finds it.
   */
  private async buildConcurrently(name: string, definition: string): Promise<void> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ valid: boolean }>(
        `SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1`,
        [name],
      );
      if (rows[0]?.valid) return;
      if (rows[0]) await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
      await client.query(
        `SET statement_timeout = 0; SET maintenance_work_mem = '${HNSW_BUILD_MEMORY}';
         SET max_parallel_maintenance_workers = ${HNSW_PARALLEL_WORKERS}`,
      );
      await client.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${name} ${definition}`);
    } finally {
      await client.query('RESET ALL').catch(() => undefined);
      client.release();
    }
  }

  /** Vectors of models other than the current one are dropped once the current model covers every profile. */
  async dropOtherModels(modelId: string): Promise<number> {
    const { rowCount } = await this.pool.query('DELETE FROM company_embeddings WHERE model <> $1', [modelId]);
    return rowCount ?? 0;
  }

  async status(modelId: string, lexiconVersion: string) {
    const { rows } = await this.pool.query<{
      total: string;
      searchable: string;
      search_pending: string;
      embedded: string;
      embed_pending: string;
      other_models: string;
    }>(
      `SELECT
         (SELECT count(*) FROM companies) AS total,
         (SELECT count(*) FROM companies c JOIN company_search s ON s.company_id = c.id
            WHERE s.indexed_version = c.version AND s.lexicon_version = $2) AS searchable,
         (SELECT count(*) FROM companies c LEFT JOIN company_search s ON s.company_id = c.id
            WHERE s.company_id IS NULL OR s.indexed_version <> c.version OR s.lexicon_version <> $2) AS search_pending,
         (SELECT count(*) FROM companies c JOIN company_embeddings e ON e.company_id = c.id AND e.model = $1
            WHERE e.indexed_version = c.version) AS embedded,
         (SELECT count(*) FROM companies c LEFT JOIN company_embeddings e ON e.company_id = c.id AND e.model = $1
            WHERE e.company_id IS NULL OR e.indexed_version <> c.version) AS embed_pending,
         (SELECT count(DISTINCT model) FROM company_embeddings WHERE model <> $1) AS other_models`,
      [modelId, lexiconVersion],
    );
    const r = rows[0];
    return {
      total: Number(r.total),
      searchDocuments: { indexed: Number(r.searchable), pending: Number(r.search_pending) },
      embeddings: {
        model: modelId,
        indexed: Number(r.embedded),
        pending: Number(r.embed_pending),
        otherModels: Number(r.other_models),
      },
    };
  }
}
