import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { AuditRepository } from '../../audit/audit.repository';
import { LANGS, type Lang } from '../../companies/company-profile.schema';
import { ProblemException, ValidationProblem } from '../../common/problem';
import { PG_POOL } from '../../database/database.tokens';
import { SearchIndexerService } from '../indexing/search-indexer.service';
import { LexiconService } from '../lexicon/lexicon.service';
import { type Enrichment, EnrichmentRepository } from './enrichment.repository';

/** An enrichment as the console shows it: each kind of business with its names. */
export interface EnrichmentView extends Omit<Enrichment, 'businesses'> {
  businesses: Array<{ code: string; confidence: number; labels: Record<Lang, string> }>;
  /** `model`: machine-made and not yet checked; `staff`: corrected (or written) by staff, kept across edits. */
  source: Enrichment['source'];
}

/**
 * Staff's side of the model's reading of profiles: see it with the names of its codes, correct it (the codes must
 * be in the taxonomy), or hand it back to the model. Every change is audited and re-indexes the profile.
 */
@Injectable()
export class EnrichmentService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly repository: EnrichmentRepository,
    private readonly lexicon: LexiconService,
    private readonly indexer: SearchIndexerService,
    private readonly audit: AuditRepository,
  ) {}

  async get(externalId: string): Promise<EnrichmentView | null> {
    const e = await this.repository.forExternalId(externalId);
    if (!e) {
      const { rows } = await this.pool.query('SELECT 1 FROM companies WHERE external_id = $1', [externalId]);
      if (rows.length === 0) throw notFound(externalId);
      return null;
    }
    return this.view(e);
  }

  async save(
    externalId: string,
    input: {
      businesses: Array<{ code: string; confidence?: number }>;
      keywords: Partial<Record<Lang, string[]>>;
    },
    actor: string,
  ): Promise<EnrichmentView> {
    const taxonomy = this.lexicon.current().taxonomy;
    const unknown = input.businesses
      .map((b, i) => ({ b, i }))
      .filter(({ b }) => !taxonomy.has(b.code))
      .map(({ b, i }) => ({
        path: `businesses[${i}].code`,
        message: `${b.code} is not a code of the taxonomy`,
      }));
    if (unknown.length > 0) throw new ValidationProblem(unknown);
    const value = {
      businesses: input.businesses.map((b) => ({ code: b.code, confidence: b.confidence ?? 1 })),
      keywords: Object.fromEntries(
        LANGS.flatMap((l) => {
          const words = [...new Set((input.keywords[l] ?? []).map((w) => w.trim()).filter(Boolean))];
          return words.length > 0 ? [[l, words]] : [];
        }),
      ),
    };
    if (!(await this.repository.saveByStaff(externalId, value, actor))) throw notFound(externalId);
    await this.audit.record(this.pool, [
      {
        entityType: 'company',
        entityId: externalId,
        action: 'enrichment-edit',
        actor,
        changedFields: ['enrichment'],
      },
    ]);
    this.indexer.trigger();
    return this.view((await this.repository.forExternalId(externalId))!);
  }

  /** Hands the profile back to the model (it is read again). */
  async reset(externalId: string, actor: string): Promise<void> {
    if (!(await this.repository.saveByStaff(externalId, undefined, actor))) throw notFound(externalId);
    await this.audit.record(this.pool, [
      {
        entityType: 'company',
        entityId: externalId,
        action: 'enrichment-reset',
        actor,
        changedFields: ['enrichment'],
      },
    ]);
    this.indexer.trigger();
  }

  private view(e: Enrichment): EnrichmentView {
    const taxonomy = this.lexicon.current().taxonomy;
    return {
      ...e,
      businesses: e.businesses.map((b) => ({
        ...b,
        labels: {
          ja: taxonomy.label(b.code, 'ja'),
          th: taxonomy.label(b.code, 'th'),
          en: taxonomy.label(b.code, 'en'),
        },
      })),
    };
  }
}

function notFound(externalId: string): ProblemException {
  return new ProblemException(
    404,
    'not-found',
    'Not found',
    `No company profile with externalId "${externalId}".`,
  );
}
