import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Pool } from 'pg';
import type { Subscription } from 'rxjs';
import { CompaniesService } from '../../companies/companies.service';
import { CompanyRepository } from '../../companies/company.repository';
import { DATABASE_KIND, PG_POOL } from '../../database/database.tokens';
import type { Database } from '../../database/open-database';
import { withTransaction } from '../../database/transaction';
import { EMBEDDING_MODEL, type EmbeddingModel } from '../embeddings/embedding-model';
import { EnrichmentRepository } from '../enrichment/enrichment.repository';
import { LexiconService } from '../lexicon/lexicon.service';
import { buildProfileDocument } from './profile-document';
import { type EmbeddingRow, SearchIndexRepository, type SearchRow } from './search-index.repository';

/** A batch read and made ready to write: its search documents and vectors, and where the next batch starts. */
interface PreparedBatch {
  searchRows: SearchRow[];
  unchanged: Array<Omit<EmbeddingRow, 'embedding'>>;
  embedded: EmbeddingRow[];
  last?: string;
  full: boolean;
}

// Profiles per batch: one load, one embedding call (batched further by the model), one short transaction.
const BATCH = 256;
const BATCH_PAUSE_MS = 20;
// Stale vectors at which a pass rebuilds the model's HNSW index instead of inserting into it.
const BULK_REBUILD_THRESHOLD = 2000;
const POLL_MS = 5000;

/**
 * Keeps the search index in step with the profiles, in the background: a profile change, a lexicon change or
 * an embedding-model change makes rows stale, and this worker rebuilds them in batches. State lives in the
 * database (versions and model ids), so a restart or a second instance simply carries on. API calls never wait
 * for it; `GET /api/index/status` shows its progress.
 */
@Injectable()
export class SearchIndexerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SearchIndexerService.name);
  private running: Promise<void> | undefined;
  private rerun = false;
  private timer: NodeJS.Timeout | undefined;
  private subscription: Subscription | undefined;
  private stopped = false;
  private vectorIndexReady = false;
  private rowsSinceAnalyze = 0;
  /** Listeners told when a pass changed the index (the retrieval service refreshes its concept weights). */
  private readonly listeners: Array<() => void> = [];

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(DATABASE_KIND) private readonly databaseKind: Database['kind'],
    private readonly repository: SearchIndexRepository,
    private readonly companies: CompanyRepository,
    private readonly lexicon: LexiconService,
    @Inject(EMBEDDING_MODEL) private readonly model: EmbeddingModel,
    private readonly companiesService: CompaniesService,
    private readonly enrichments: EnrichmentRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.companiesService.changes.subscribe(() => this.trigger());
    this.timer = setInterval(() => this.trigger(), POLL_MS);
    this.timer.unref();
    this.trigger();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  onIndexChanged(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Starts a pass unless one runs; if one runs, asks for another pass after it. */
  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = this.drain()
      .then(() => undefined)
      .catch((err: Error) =>
        this.logger.error({ msg: 'indexing pass failed; will retry', error: err.message }),
      )
      .finally(() => {
        this.running = undefined;
        if (this.rerun && !this.stopped) {
          this.rerun = false;
          this.trigger();
        }
      });
  }

  /** Indexes until nothing is stale. Tests and the evaluation call this to wait for a complete index. */
  async drain(): Promise<{ searchDocuments: number; embeddings: number }> {
    const total = { searchDocuments: 0, embeddings: 0 };
    // Building an HNSW graph in one go is several times faster than inserting thousands of vectors into it one
    // by one (measured: 10k vectors, 15 s against 69 s), so a bulk load drops the model's index and builds it
    // afterwards. Meanwhile the vector arm answers by exact scan: slower, still correct. The decision is taken
    // once there is work, not when the pass starts: a pass that started while an import was being written sees
    // the whole import only when its transaction commits (inserting 31,792 vectors into the graph took 92 s).
    if (!this.vectorIndexReady) {
      const stale = await this.repository.countStaleEmbeddings(this.model.modelId);
      if (stale < BULK_REBUILD_THRESHOLD) {
        await this.repository.ensureVectorIndex(this.model.modelId, this.model.dimensions);
        this.vectorIndexReady = true;
      }
    }
    let bulkChecked = false;
    // A pass walks the profiles in id order, then once more from the start for those that turned stale behind it
    // (later changes trigger a pass of their own).
    // On a server the next batch is read and prepared (CPU in this process) while the current one is written (CPU
    // in the database): 313 → 422 profiles/s at 10,000 on two cores (`bench:retrieval -- --database-url`). The
    // embedded database has one connection, which the API shares: there batches go one after the other, with a
    // pause between them.
    const pipelined = this.databaseKind === 'server';
    let after: string | undefined;
    let walks = 0;
    let next: Promise<PreparedBatch> | undefined;
    for (;;) {
      if (this.stopped) break;
      const batch = await (next ?? this.prepareBatch(after));
      next = undefined;
      if (batch.last === undefined) {
        if (after === undefined || ++walks > 1) break;
        after = undefined;
        continue;
      }
      after = batch.last;
      // Prepared from `after` on: it does not need this batch's writes (stale rows are found by key order).
      if (pipelined) next = this.prepareBatch(after);
      const n = await this.writeBatch(batch).catch(async (err: unknown) => {
        await next?.catch(() => undefined);
        throw err;
      });
      const full = batch.full;
      if (!bulkChecked && full && this.vectorIndexReady) {
        bulkChecked = true;
        if ((await this.repository.countStaleEmbeddings(this.model.modelId)) >= BULK_REBUILD_THRESHOLD) {
          await this.repository.dropVectorIndex(this.model.modelId);
          this.vectorIndexReady = false;
        }
      }
      total.searchDocuments += n.searchDocuments;
      total.embeddings += n.embeddings;
      this.rowsSinceAnalyze += n.searchDocuments + n.embeddings;
      // Let requests in between batches: with the embedded database, the indexer shares the one connection and
      // the event loop with the API, and must not hold them for a whole bulk load.
      if (!pipelined) await new Promise((resolve) => setTimeout(resolve, BATCH_PAUSE_MS));
    }
    await next?.catch(() => undefined);
    if (!this.vectorIndexReady && !this.stopped) {
      await this.repository.ensureVectorIndex(this.model.modelId, this.model.dimensions);
      this.vectorIndexReady = true;
    }
    if (this.stopped) return total;
    // Once every profile has a vector of the current model, vectors of earlier models are dead weight.
    if (total.embeddings > 0) await this.repository.dropOtherModels(this.model.modelId);
    if (total.searchDocuments > 0) {
      await this.repository.flushGinPendingLists();
      await this.repository.vacuumPostings();
    }
    // Fresh statistics keep the planner on the GIN and HNSW indexes after bulk loads.
    if (this.rowsSinceAnalyze > 1000) {
      await this.repository.analyze();
      this.rowsSinceAnalyze = 0;
    }
    if (total.searchDocuments + total.embeddings > 0) for (const l of this.listeners) l();
    return total;
  }

  /** Waits for the current pass (if any) and runs one more to completion. */
  async waitUntilIdle(): Promise<void> {
    await this.running?.catch(() => undefined);
    await this.drain();
  }

  /** Reads the next batch after `after` and makes its rows (documents, vectors); writes nothing. */
  private async prepareBatch(after: string | undefined): Promise<PreparedBatch> {
    const lexicon = this.lexicon.current();
    const stale = await this.repository.staleCompanies(lexicon.version, this.model.modelId, BATCH, after);
    if (stale.length === 0) return { searchRows: [], unchanged: [], embedded: [], full: false };
    const last = stale[stale.length - 1].externalId;
    const profiles = new Map(
      (await this.companies.findManyByIds(stale.map((s) => s.companyId))).map((p) => [p.id, p]),
    );
    const enrichments = await this.enrichments.forCompanies(stale.map((s) => s.companyId));
    const searchRows: SearchRow[] = [];
    const unchanged: Array<Omit<EmbeddingRow, 'embedding'>> = [];
    const toEmbed: Array<Omit<EmbeddingRow, 'embedding'> & { text: string }> = [];
    for (const s of stale) {
      const p = profiles.get(s.companyId);
      if (!p) continue;
      const enrichment = enrichments.get(p.id);
      const doc = buildProfileDocument(p, lexicon, enrichment);
      if (s.searchStale) {
        searchRows.push({
          companyId: p.id,
          country: p.country,
          status: p.status,
          partnershipTypes: p.partnershipTypes,
          concepts: doc.concepts,
          hits: doc.hits,
          businesses: doc.businesses,
          businessPostings: doc.businessPostings,
          locations: doc.locations,
          sortKey: p.externalId,
          enrichedAt: enrichment?.updatedAt ?? null,
          employees: p.employees ?? null,
          terms: doc.terms,
          docLength: doc.docLength,
          version: p.version,
          lexiconVersion: lexicon.version,
        });
      }
      if (s.embeddingStale) {
        const row = {
          companyId: p.id,
          country: p.country,
          status: p.status,
          contentHash: doc.contentHash,
          version: p.version,
        };
        if (s.embeddedContentHash === doc.contentHash) unchanged.push(row);
        else toEmbed.push({ ...row, text: doc.embeddingText });
      }
    }
    // The model call happens outside any transaction: PGlite has one connection, and a slow embedding server
    // must not block the API.
    const vectors = toEmbed.length > 0 ? await this.model.embedDocuments(toEmbed.map((t) => t.text)) : [];
    return {
      searchRows,
      unchanged,
      embedded: toEmbed.map(({ text: _text, ...t }, i) => ({ ...t, embedding: vectors[i] })),
      last,
      full: stale.length === BATCH,
    };
  }

  /** Writes a prepared batch in one short transaction, leaving out profiles erased since it was read. */
  private async writeBatch(batch: PreparedBatch): Promise<{ searchDocuments: number; embeddings: number }> {
    return withTransaction(this.pool, async (tx) => {
      const ids = [...batch.searchRows, ...batch.unchanged, ...batch.embedded].map((r) => r.companyId);
      const existing = await this.repository.lockExisting(tx, [...new Set(ids)]);
      const live = <T extends { companyId: string }>(rows: T[]) =>
        rows.filter((r) => existing.has(r.companyId));
      const searchRows = live(batch.searchRows);
      const unchanged = live(batch.unchanged);
      const embedded = live(batch.embedded);
      await this.repository.writeSearchDocuments(tx, searchRows);
      await this.repository.refreshEmbeddingMeta(tx, this.model.modelId, unchanged);
      await this.repository.writeEmbeddings(tx, this.model.modelId, this.model.dimensions, embedded);
      return { searchDocuments: searchRows.length, embeddings: unchanged.length + embedded.length };
    });
  }

  async status() {
    const lexicon = this.lexicon.current();
    const s = await this.repository.status(this.model.modelId, lexicon.version);
    return {
      ...s,
      lexicon: { version: lexicon.version, concepts: lexicon.size },
      busy: this.running !== undefined,
    };
  }
}
