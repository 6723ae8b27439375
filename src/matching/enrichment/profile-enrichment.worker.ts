import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { z } from 'zod';
import type { Subscription } from 'rxjs';
import { CompaniesService } from '../../companies/companies.service';
import { LANGS } from '../../companies/company-profile.schema';
import type { PublicProfile } from '../../companies/company.model';
import { CompanyRepository } from '../../companies/company.repository';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { requestContext } from '../../common/request-context';
import { LlmService } from '../../llm/llm.service';
import { LlmUnavailableError } from '../../llm/llm.types';
import { SearchIndexerService } from '../indexing/search-indexer.service';
import { LexiconService } from '../lexicon/lexicon.service';
import type { Lexicon } from '../lexicon/lexicon';
import { readProfileBusinesses } from '../taxonomy/profile-businesses';
import { type ClaimedEnrichment, type Enrichment, EnrichmentRepository } from './enrichment.repository';

const POLL_MS = 5000;
const LEASE_MS = 5 * 60_000;
const BATCH = 4;
/** After a model outage, profiles wait this long before the next try. */
const UNAVAILABLE_RETRY_MS = 60_000;
const FAILED_RETRY_MS = 30_000;
const MAX_KEYWORDS = 8;
const MAX_CANDIDATES = 40;

/** The answer the classify-business prompt asks for. */
export const enrichmentAnswer = z.object({
  businesses: z
    .array(z.object({ code: z.string().regex(/^\d{2,5}$/), confidence: z.number().min(0).max(1) }))
    .max(5),
  keywords: z
    .object({
      ja: z.array(z.string()).optional(),
      th: z.array(z.string()).optional(),
      en: z.array(z.string()).optional(),
    })
    .default({}),
});

/**
 * With an LLM configured, reads every published profile once per version into kinds of business and ja/th/en
 * search keywords (the classify-business prompt), in the background. Only the public profile is sent: contact
 * data never enters the prompt. Results are stored apart (company_enrichments), marked machine-made; staff can
 * correct them in the console, and a corrected one is kept. The search indexer picks them up; matching works the
 * same without them. Claims are leases in the table, so a restart or a second instance carries on.
 */
@Injectable()
export class ProfileEnrichmentWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ProfileEnrichment');
  private timer: NodeJS.Timeout | undefined;
  private subscription: Subscription | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly abort = new AbortController();
  private readonly active = new Set<ClaimedEnrichment>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly llm: LlmService,
    private readonly repository: EnrichmentRepository,
    private readonly companies: CompanyRepository,
    private readonly companiesService: CompaniesService,
    private readonly lexicon: LexiconService,
    private readonly indexer: SearchIndexerService,
  ) {}

  get enabled(): boolean {
    return this.llm.configured && this.config.llm.enrichProfiles;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) {
      this.logger.log({
        msg: this.llm.configured
          ? 'profile enrichment is off (LLM_ENRICH_PROFILES=false)'
          : 'profile enrichment is off: no LLM configured',
      });
      return;
    }
    this.subscription = this.companiesService.changes.subscribe(() => this.wake());
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    if (this.timer) clearInterval(this.timer);
    this.abort.abort(new Error('shutting down'));
    await this.running?.catch(() => undefined);
    for (const claim of this.active) await this.repository.release(claim).catch(() => undefined);
  }

  /** Starts a pass unless one runs. */
  wake(): void {
    if (this.stopped || this.running) return;
    this.running = this.pass()
      .then(() => undefined)
      .catch((err: Error) => this.logger.warn({ msg: 'enrichment pass failed', error: err.message }))
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Waits for the pass under way (if any), then reads every profile still due. Tests and scripts call this. */
  async drain(): Promise<number> {
    await this.running?.catch(() => undefined);
    return this.pass();
  }

  private async pass(): Promise<number> {
    let done = 0;
    while (!this.stopped) {
      const claims = await this.repository.claim(BATCH, LEASE_MS);
      if (claims.length === 0) break;
      let changed = false;
      for (const claim of claims) {
        if (this.stopped) break;
        this.active.add(claim);
        try {
          await requestContext.run({ requestId: `enrich:${claim.externalId}` }, () => this.enrich(claim));
          changed = true;
          done++;
        } catch (err) {
          if (err instanceof LlmUnavailableError) {
            // No model reachable: give every claim back for later and stop this pass.
            for (const c of claims.filter((c) => !this.active.has(c) || c === claim))
              await this.repository.release(c, UNAVAILABLE_RETRY_MS);
            this.active.delete(claim);
            return done;
          }
          this.logger.warn({
            msg: 'profile enrichment failed',
            externalId: claim.externalId,
            error: (err as Error).message,
          });
          await this.repository.failed(claim, FAILED_RETRY_MS);
        } finally {
          this.active.delete(claim);
        }
      }
      if (changed) this.indexer.trigger();
    }
    return done;
  }

  private async enrich(claim: ClaimedEnrichment): Promise<void> {
    const [profile] = await this.companies.findManyByIds([claim.companyId]);
    if (!profile) return this.repository.release(claim);
    const lexicon = this.lexicon.current();
    const result = await this.llm.extract(
      'classify-business',
      { candidates: candidateList(profile, lexicon), profile: publicText(profile) },
      enrichmentAnswer,
      { signal: this.abort.signal },
    );
    const answer = result.value;
    const businesses = answer.businesses
      .filter((b) => lexicon.taxonomy.has(b.code))
      .slice(0, 3)
      .map((b) => ({ code: b.code, confidence: Number(b.confidence.toFixed(3)) }));
    const keywords: Enrichment['keywords'] = {};
    for (const lang of LANGS) {
      const words = (answer.keywords[lang] ?? [])
        .map((w) => w.trim())
        .filter((w) => w.length > 0 && w.length <= 60)
        .slice(0, MAX_KEYWORDS);
      if (words.length > 0) keywords[lang] = [...new Set(words)];
    }
    await this.repository.complete(claim, {
      businesses,
      keywords,
      model: result.completion?.model ?? 'unknown',
      promptVersion: result.completion?.promptVersion ?? 'unknown',
    });
    this.logger.log({ msg: 'profile enriched', externalId: claim.externalId, codes: businesses.length });
  }
}

/** The profile's public text for the prompt: names, what it says of itself, its industries. Never contacts. */
export function publicText(p: PublicProfile): string {
  const lines: string[] = [];
  for (const lang of LANGS) {
    if (p.names[lang]) lines.push(`name (${lang}): ${p.names[lang]}`);
    if (p.summary?.[lang]) lines.push(`summary (${lang}): ${p.summary[lang]}`);
    if (p.description?.[lang]) lines.push(`description (${lang}): ${p.description[lang]}`);
    if (p.offerings?.[lang]?.length) lines.push(`offerings (${lang}): ${p.offerings[lang].join('; ')}`);
  }
  for (const i of p.industries)
    lines.push(`industry: ${[i.code, ...Object.values(i.label ?? {})].filter(Boolean).join(' / ')}`);
  return lines.join('\n');
}

/**
 * Codes the model may choose from: what the rules read from the profile, the codes around them (parent and
 * siblings), in English. An empty list when the rules read nothing: the model names any code.
 */
function candidateList(p: PublicProfile, lexicon: Lexicon): string {
  const taxonomy = lexicon.taxonomy;
  const read = readProfileBusinesses(p, lexicon).map((b) => b.code);
  const codes = new Set<string>();
  for (const code of read) {
    for (const c of taxonomy.lineage(code)) if (/^\d/.test(c)) codes.add(c);
    const parent = taxonomy.parent(code);
    if (parent)
      for (const c of taxonomy.codes)
        if (taxonomy.parent(c.code) === parent && codes.size < MAX_CANDIDATES) codes.add(c.code);
  }
  return (
    [...codes]
      .slice(0, MAX_CANDIDATES)
      .map((c) => `${c}: ${taxonomy.label(c, 'en')}`)
      .join('\n') || '(none)'
  );
}
