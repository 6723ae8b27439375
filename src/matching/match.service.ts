import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { Country, Lang, LocalizedText } from '../companies/company-profile.schema';
import { ProblemException, ValidationProblem } from '../common/problem';
import { EMBEDDING_MODEL, type EmbeddingModel } from './embeddings/embedding-model';
import { SearchIndexerService } from './indexing/search-indexer.service';
import { COUNTRY_CONCEPTS } from './lexicon/concept';
import type { Lexicon } from './lexicon/lexicon';
import { LexiconService } from './lexicon/lexicon.service';
import { RequestClassifierService } from './enrichment/request-classifier.service';
import { explainMatch } from './retrieval/explanation';
import {
  type Arm,
  type ArmHit,
  type BusinessHit,
  HybridSearchRepository,
  conceptCandidateIds,
  type ResultCard,
  type SearchFilters,
} from './retrieval/hybrid-search.repository';
import { BUSINESS_STEP, businessLookups } from './taxonomy/business-match';
import { industryLabel as anyIndustryLabel, industryLabelIn } from './taxonomy/industry-labels';
import type { ReadBusiness } from './taxonomy/business-reader';
import type { ProfileBusiness } from './taxonomy/profile-businesses';
import { type AnalyzedQuery, analyzeQuery, targetCountryFor } from './retrieval/query-analysis';

export const MAX_QUERY_LENGTH = 2000;
/** The concept arm ignores concepts carried by more than this share of the target firms (they rank no one). */
const MAX_CONCEPT_COVERAGE = 0.25;
/**
 * A region named in a request ("in Chonburi") keeps only the firms there when at least this many of the business
 * asked are there; with fewer, every firm of the business is shown, those in the region first.
 */
export const MIN_FIRMS_IN_REGION = 5;
/**
 * Within a business tier, the request's concepts carried by at most this share of the firms order them (or by
 * at most ORDERING_ALWAYS_READ_POSTINGS firms: on a small database every concept is cheap to read).
 */
const ORDERING_MAX_COVERAGE = 0.1;
const ORDERING_ALWAYS_READ_POSTINGS = 1000;

/**
 * Which arms to run: the product's matcher, or one arm alone (evaluation baselines). `business` is the business
 * arm alone: firms of the kinds of business the request names, nothing else.
 */
export type MatchSystem = 'hybrid' | 'business' | 'dense' | 'lexical' | 'concept';

export interface MatchFilters {
  /** Overrides the default (the other side of the seeker). */
  country?: Country;
  /** A concept id (industry.automotive) or words naming it in any language ("自動車"). */
  industry?: string;
  partnershipType?: string;
  /** A concept id (region.chonburi) or a place name in any language. */
  region?: string;
  employeesMin?: number;
  employeesMax?: number;
}

export interface MatchRequest {
  text: string;
  lang?: Lang;
  seekerCountry?: Country;
  filters?: MatchFilters;
  limit?: number;
  /** Results to skip (paging: "show more"). */
  offset?: number;
  system?: MatchSystem;
  /** Company externalIds to leave out (the seeker's own company, results already shown). */
  exclude?: string[];
}

export interface MatchedConcept {
  id: string;
  label: string;
  fields: string[];
}

/** A kind of business of the profile that meets the request, as read from the profile (never from the request). */
export interface MatchedBusiness {
  code: string;
  label: string;
  /** How it is known: staff curated it, or it was read from these words of the profile's own text. */
  source: ProfileBusiness['source'];
  terms: string[];
}

export interface MatchItem {
  externalId: string;
  name: string;
  names: LocalizedText;
  country: Country;
  score: number;
  /** Rank of the profile in each arm that found it. */
  arms: Partial<Record<Arm, number>>;
  matchedConcepts: MatchedConcept[];
  matchedFields: string[];
  /** The profile's kinds of business that meet the request (empty when it was found by other means). */
  matchedBusinesses: MatchedBusiness[];
  /** Which facets of the request this profile meets: what business, where, how. */
  facets: { business: boolean; region?: boolean; how?: boolean };
  explanation: string;
  location?: string;
  industry?: string;
  partnershipTypes: string[];
}

/** What a saved search waits for (see MatchService.alertCriteria). */
export interface AlertCriteria {
  lang: Lang;
  /** The side asked for; undefined when neither the request nor the seeker says (either side then). */
  targetCountry?: Country;
  /** Taxonomy codes of the kinds of business asked: a firm posted under one of them matches. */
  businessCodes: string[];
  /** Broader codes: a firm filed only under one of them (its exact business) matches too. */
  broaderCodes: string[];
  /** Business concepts named (used when no kind of business was read): a firm must carry them all. */
  concepts: string[];
  /** Region concepts: a firm must be in one of them. */
  regions: string[];
  partnershipType?: string;
}

export interface MatchResponse {
  query: {
    lang: Lang;
    targetCountry?: Country;
    concepts: Array<{ id: string; label: string }>;
    system: MatchSystem;
    /** The facets understood: the kinds of business asked (primary), the regions (where), the wishes (how). */
    facets: {
      businesses: Array<{ code: string; label: string }>;
      regions: Array<{ id: string; label: string }>;
      how: Array<{ id: string; label: string }>;
      /** True when the regions kept only the firms there (enough of them were); false when they only came first. */
      regionRestricted: boolean;
      /** Who read the kinds of business: the rules, or the model when the rules read none. */
      businessesFrom: 'rules' | 'model';
    };
  };
  results: MatchItem[];
  /** True when there may be more results beyond this page. */
  hasMore: boolean;
}

/** The regions a request names ("in Chonburi"), not the countries (those pick the side). */
function requestRegions(query: AnalyzedQuery, lexicon: Lexicon): string[] {
  return query.named.filter((id) => lexicon.kindOf(id) === 'region' && !COUNTRY_CONCEPTS[id]);
}

const ARMS_OF: Record<MatchSystem, Arm[]> = {
  hybrid: ['dense', 'keyword', 'concept'],
  business: [],
  dense: ['dense'],
  lexical: ['keyword'],
  concept: ['concept'],
};

/**
 * Finds partner companies for a request written in Japanese, Thai or English: understands it (language,
 * business concepts, target country), runs the three retrieval arms with the filters inside each, fuses them by
 * weighted reciprocal rank, and explains each result in the seeker's language from what actually matched.
 * The chat, the staff console's "try matching" and the evaluation all call `findPartners`.
 */
@Injectable()
export class MatchService implements OnApplicationBootstrap {
  /** By target country ('' = both): published profiles, and how many carry each concept. */
  private frequencies = new Map<string, { total: number; avgLength: number; df: Map<string, number> }>();
  private idfStale = true;
  private idfRefresh: Promise<void> | undefined;
  private readonly servedListeners: Array<(response: MatchResponse) => void> = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly search: HybridSearchRepository,
    private readonly lexicon: LexiconService,
    private readonly indexer: SearchIndexerService,
    @Inject(EMBEDDING_MODEL) private readonly model: EmbeddingModel,
    private readonly classifier: RequestClassifierService,
  ) {}

  onApplicationBootstrap(): void {
    // Recompute concept weights in the background after the index changes, so no user query pays for it.
    this.indexer.onIndexChanged(() => {
      this.idfStale = true;
      this.refreshIdf().catch(() => undefined);
    });
  }

  analyze(text: string, lang?: Lang): AnalyzedQuery {
    return analyzeQuery(text, this.lexicon.current(), lang);
  }

  async findPartners(req: MatchRequest): Promise<MatchResponse> {
    const text = req.text?.trim() ?? '';
    if (text.length === 0) throw new ValidationProblem([{ path: 'text', message: 'must not be empty' }]);
    if (text.length > MAX_QUERY_LENGTH) {
      throw new ValidationProblem([
        { path: 'text', message: `must be at most ${MAX_QUERY_LENGTH} characters` },
      ]);
    }
    const lexicon = this.lexicon.current();
    const query = analyzeQuery(text, lexicon, req.lang);
    if (query.lang === 'und') {
      throw new ProblemException(
        400,
        'unsupported-language',
        'Unsupported language',
        'Write the request in Japanese, Thai or English.',
        {
          errors: [{ path: 'text', message: 'no Japanese, Thai or English words found' }],
        },
      );
    }
    const lang: Lang = query.lang;
    const system = req.system ?? 'hybrid';
    const limit = Math.min(Math.max(req.limit ?? 10, 1), 50);
    const offset = Math.max(req.offset ?? 0, 0);
    const filters = this.resolveFilters(req, query, lexicon);
    await this.refreshIdf();
    const excluded = new Set(req.exclude ?? []);
    const wanted = offset + limit;

    // What business the request names is primary: when it names one, the firms of that business come first, in
    // tiers; where and how order them within a tier. Without one, the three arms are fused as before.
    let requested =
      system === 'hybrid' || system === 'business' ? this.requestedBusinesses(text, lexicon) : [];
    // Wording the rules do not know: with an LLM configured, the model names the kind of business.
    let businessesFrom: 'rules' | 'model' = 'rules';
    if (requested.length === 0 && system === 'hybrid' && query.tokens.length > 0 && this.classifier.enabled) {
      requested = await this.classifier.classify(text, lexicon);
      if (requested.length > 0) businessesFrom = 'model';
    }
    const regions = requestRegions(query, lexicon);
    // "How": partnership wishes, and capabilities that are one ("OEM production").
    const how = query.named.filter(
      (id) => lexicon.kindOf(id) === 'partnership' || lexicon.get(id)?.partnershipType !== undefined,
    );
    let ranked: Array<{
      companyId: string;
      externalId: string;
      score: number;
      arms: Partial<Record<Arm, number>>;
      inRegion?: boolean;
    }> = [];
    let more = false;
    let regionRestricted = false;
    if (requested.length > 0) {
      const found = await this.byBusiness(
        requested,
        regions,
        filters,
        query,
        wanted + excluded.size + 1,
        lexicon,
      );
      regionRestricted = found.regionRestricted;
      ranked = found.hits
        .filter((h) => !excluded.has(h.externalId))
        .map((h, i) => ({
          companyId: h.companyId,
          externalId: h.externalId,
          score: h.business,
          arms: { business: i + 1 },
          inRegion: regions.length > 0 ? h.inRegion : undefined,
        }));
      more = ranked.length > wanted;
      // Too few firms of the business asked: the other arms fill the page after them, never before. The exact
      // arms only: the approximate vector index could order the tail differently on another database.
      if (ranked.length < wanted && system === 'hybrid' && !regionRestricted) {
        const seen = new Set([...ranked.map((r) => r.externalId), ...excluded]);
        const rest = await this.fusedSearch(text, query, filters, 'hybrid', wanted - ranked.length, seen, [
          'keyword',
          'concept',
        ]);
        ranked.push(...rest.ranked.map((r) => ({ ...r, score: 0 })));
        more = rest.more;
      }
    } else if (system !== 'business') {
      const fused = await this.fusedSearch(text, query, filters, system, wanted, excluded);
      ranked = fused.ranked;
      more = fused.more;
    }

    const page = ranked.slice(offset, offset + limit);
    const cards = await this.search.loadCards(page.map((p) => p.companyId));
    const response: MatchResponse = {
      query: {
        lang,
        targetCountry: filters.country,
        concepts: query.named
          .filter((id) => !COUNTRY_CONCEPTS[id])
          .map((id) => ({ id, label: lexicon.label(id, lang) })),
        system,
        facets: {
          businesses: requested.map((b) => ({ code: b.code, label: lexicon.taxonomy.label(b.code, lang) })),
          regions: regions.map((id) => ({ id, label: lexicon.label(id, lang) })),
          how: how.map((id) => ({ id, label: lexicon.label(id, lang) })),
          regionRestricted,
          businessesFrom,
        },
      },
      results: page
        .filter((r) => cards.has(r.companyId))
        .map((r) =>
          this.toItem(
            cards.get(r.companyId)!,
            r.score,
            r.arms,
            query,
            requested,
            how,
            regions,
            r.inRegion,
            lang,
            lexicon,
          ),
        ),
      hasMore: more || ranked.length > offset + limit,
    };
    for (const listener of this.servedListeners) listener(response);
    return response;
  }

  /**
   * What a saved search waits for, read as findPartners reads the request: the country on the other side, the
   * kinds of business asked (with the broader codes a firm may be filed under), the business concepts named when
   * no kind of business was read, the regions, and the partnership type. A new profile that meets these is one
   * the search would rank first (the business arm's firms).
   */
  async alertCriteria(req: MatchRequest): Promise<AlertCriteria> {
    const text = req.text?.trim() ?? '';
    const lexicon = this.lexicon.current();
    const query = analyzeQuery(text, lexicon, req.lang);
    const filters = this.resolveFilters(req, query, lexicon);
    let requested = this.requestedBusinesses(text, lexicon);
    if (requested.length === 0 && query.tokens.length > 0 && this.classifier.enabled)
      requested = await this.classifier.classify(text, lexicon);
    const { near } = businessLookups(requested, lexicon.taxonomy);
    const regions = requestRegions(query, lexicon);
    const concepts = query.concepts
      .map((c) => c.id)
      .filter((id) => !['region', 'partnership'].includes(lexicon.kindOf(id) ?? ''));
    return {
      lang: query.lang === 'und' ? (req.lang ?? 'en') : query.lang,
      targetCountry: filters.country,
      businessCodes: near.filter((l) => !l.own).map((l) => l.code),
      broaderCodes: near.filter((l) => l.own).map((l) => l.code),
      concepts: [...new Set([...concepts, ...(filters.requiredConcepts ?? [])])].filter(
        (id) => lexicon.kindOf(id) !== 'region',
      ),
      regions: [
        ...new Set([
          ...regions,
          ...(filters.requiredConcepts ?? []).filter((id) => lexicon.kindOf(id) === 'region'),
        ]),
      ],
      partnershipType: filters.partnershipTypes?.[0],
    };
  }

  /** The kinds of business a request names (codes of the taxonomy), strongest first. */
  private requestedBusinesses(text: string, lexicon: Lexicon): ReadBusiness[] {
    return lexicon.reader.read(text, 'request').businesses;
  }

  /**
   * The firms of the businesses asked, in order: the business itself (and firms filed only under a broader code),
   * then, when too few, its neighbours. A region named in the request keeps only the firms there when at least
   * MIN_FIRMS_IN_REGION of them are; otherwise the firms there come first within each tier.
   */
  private async byBusiness(
    requested: ReadBusiness[],
    regions: string[],
    filters: SearchFilters,
    query: AnalyzedQuery,
    wanted: number,
    lexicon: Lexicon,
  ): Promise<{ hits: BusinessHit[]; regionRestricted: boolean }> {
    const { near, far } = businessLookups(requested, lexicon.taxonomy);
    // The request's products and wishes (not its regions: those are "where") order firms within a tier. A wish
    // named as a capability ("OEM production") also finds the firms that list that partnership type.
    const ordering = query.concepts.filter((c) => lexicon.kindOf(c.id) !== 'region');
    for (const c of [...ordering]) {
      const type = lexicon.get(c.id)?.partnershipType;
      const partnership = type ? lexicon.partnershipConcept(type) : undefined;
      if (partnership && !ordering.some((o) => o.id === partnership.id))
        ordering.push({ id: partnership.id, weight: c.weight, via: c.via });
    }
    const target = filters.country ?? '';
    const { total, df } = this.frequencies.get(target) ?? { total: 0, df: new Map<string, number>() };
    // Weighted by rarity. A concept carried by many firms hardly orders them (on ../shared/eval/sme-dev.json p@10
    // 0.803 with concepts carried by up to 5% of the firms, 0.807 up to 25%), and reading its postings is most of
    // the arm's time.
    const weighted = ordering
      .filter(
        (c) =>
          (df.get(c.id) ?? 0) > 0 &&
          df.get(c.id)! <= Math.max(ORDERING_MAX_COVERAGE * total, ORDERING_ALWAYS_READ_POSTINGS),
      )
      .map((c) => ({ id: c.id, w: c.weight * Math.log(1 + total / df.get(c.id)!) }));
    const base = {
      filters,
      step: BUSINESS_STEP,
      conceptIds: weighted.map((c) => c.id),
      conceptWeights: weighted.map((c) => c.w),
      regions,
      limit: wanted,
    };
    if (regions.length > 0) {
      const there = await this.search.businessSearch({ ...base, lookups: near, onlyInRegions: true });
      if (there.length >= MIN_FIRMS_IN_REGION) {
        if (there.length < wanted) {
          const seen = new Set(there.map((h) => h.companyId));
          const neighbours = await this.search.businessSearch({ ...base, lookups: far, onlyInRegions: true });
          there.push(...neighbours.filter((h) => !seen.has(h.companyId)));
        }
        return { hits: there.slice(0, wanted), regionRestricted: true };
      }
    }
    const hits = await this.search.businessSearch({ ...base, lookups: near, onlyInRegions: false });
    if (hits.length < wanted && far.length > 0) {
      const seen = new Set(hits.map((h) => h.companyId));
      const neighbours = await this.search.businessSearch({ ...base, lookups: far, onlyInRegions: false });
      hits.push(...neighbours.filter((h) => !seen.has(h.companyId)));
    }
    return { hits: hits.slice(0, wanted), regionRestricted: false };
  }

  /** The three retrieval arms fused by weighted reciprocal rank (requests that name no kind of business). */
  private async fusedSearch(
    text: string,
    query: AnalyzedQuery,
    filters: SearchFilters,
    system: MatchSystem,
    wanted: number,
    excluded: Set<string>,
    arms: Arm[] = ARMS_OF[system],
  ): Promise<{
    ranked: Array<{
      companyId: string;
      externalId: string;
      score: number;
      arms: Partial<Record<Arm, number>>;
    }>;
    more: boolean;
  }> {
    const depth = Math.max(this.config.matching.candidates, wanted + excluded.size);
    const target = filters.country ?? '';
    const { total, df } = this.frequencies.get(target) ?? { total: 0, df: new Map<string, number>() };
    const carrying = (id: string) => df.get(id) ?? 0;
    const weighted = query.concepts
      // Rarity among the profiles that can match (inverse document frequency): a concept no firm of the target
      // country has weighs nothing.
      .map((c) => ({ id: c.id, w: carrying(c.id) > 0 ? c.weight * Math.log(1 + total / carrying(c.id)) : 0 }))
      .filter((c) => c.w > 0);
    // A concept most of those firms carry ("manufacturing" among Thai makers) tells none of them apart: next to
    // a telling concept the arm would read every firm's posting only to add the same small weight to nearly
    // all. Only when nothing else was asked do the common concepts count.
    const telling = weighted.filter((c) => carrying(c.id) <= MAX_CONCEPT_COVERAGE * total);
    const asked = telling.length > 0 ? telling : weighted;
    // The arm scores the strong concepts only. Weaker ones ("manufacturing" beside "brake parts") used to add to
    // the score of the profiles found, but reading their postings cost more than the strong ones' and changed no
    // ranking on ../shared/eval (p@10 and nDCG@10 1.000 either way, paraphrases too).
    const strong = new Set(
      conceptCandidateIds(
        asked.map((c) => c.id),
        asked.map((c) => c.w),
        this.config.matching.conceptMinShare,
      ),
    );
    const conceptWeights = asked.filter((c) => strong.has(c.id));
    const hits = await this.search.search({
      filters,
      depth,
      dense: arms.includes('dense')
        ? {
            modelId: this.model.modelId,
            dimensions: this.model.dimensions,
            vector: await this.model.embedQuery(text),
            minSimilarity: this.config.matching.denseMinSimilarity,
            // In fusion a neighbour ranked past 50 adds at most w/(k+50): fetch fewer, spend less.
            depth: system === 'hybrid' ? Math.min(depth, Math.max(50, wanted)) : depth,
          }
        : undefined,
      keyword: arms.includes('keyword')
        ? {
            tokens: query.tokens,
            stats: {
              JP: this.frequencies.get('JP') ?? { total: 0, avgLength: 1 },
              TH: this.frequencies.get('TH') ?? { total: 0, avgLength: 1 },
            },
          }
        : undefined,
      concept: arms.includes('concept')
        ? {
            ids: conceptWeights.map((c) => c.id),
            weights: conceptWeights.map((c) => c.w),
            minShareOfBest: this.config.matching.conceptMinShare,
          }
        : undefined,
    });
    return this.rankHead(this.fuse(hits, system), wanted, excluded);
  }

  /** Operations hook: told of every answered request (the metrics count matches served). */
  onServed(listener: (response: MatchResponse) => void): void {
    this.servedListeners.push(listener);
  }

  /**
   * The fused list ranked as far as a page needs: by score, ties broken by externalId (stable across databases),
   * excluded and vanished (erased meanwhile) profiles dropped. External ids are looked up for the head only (the
   * best `wanted` and everything tied with the last of them), not for the hundreds of candidates the arms
   * returned. `more`: fused candidates past the head exist.
   */
  private async rankHead(
    fused: ReturnType<MatchService['fuse']>,
    wanted: number,
    excluded: Set<string>,
  ): Promise<{ ranked: Array<(typeof fused)[number] & { externalId: string }>; more: boolean }> {
    const byScore = [...fused].sort((a, b) => b.score - a.score);
    let take = wanted + excluded.size;
    for (;;) {
      let end = Math.min(take, byScore.length);
      // Ties at the cut are ordered by externalId, so all of them are needed to know which come first.
      while (end > 0 && end < byScore.length && byScore[end].score === byScore[end - 1].score) end++;
      const head = byScore.slice(0, end);
      const externalIds = await this.search.externalIds(head.map((f) => f.companyId));
      const ranked = head
        .flatMap((f) => {
          const externalId = externalIds.get(f.companyId);
          return externalId !== undefined && !excluded.has(externalId) ? [{ ...f, externalId }] : [];
        })
        .sort((a, b) => b.score - a.score || (a.externalId < b.externalId ? -1 : 1));
      const more = end < byScore.length;
      // Profiles erased since they were indexed leave the head short: look further down.
      if (ranked.length >= wanted || !more) return { ranked, more };
      take = end * 2;
    }
  }

  private fuse(hits: ArmHit[], system: MatchSystem) {
    const { rrfK, weights } = this.config.matching;
    const byCompany = new Map<
      string,
      { companyId: string; score: number; arms: Partial<Record<Arm, number>> }
    >();
    for (const h of hits) {
      const entry = byCompany.get(h.companyId) ?? { companyId: h.companyId, score: 0, arms: {} };
      // A single-arm system keeps that arm's own order; hybrid fuses by weighted reciprocal rank.
      entry.score += system === 'hybrid' ? weights[h.arm] / (rrfK + h.rank) : 1 / h.rank;
      entry.arms[h.arm] = h.rank;
      byCompany.set(h.companyId, entry);
    }
    return [...byCompany.values()];
  }

  private resolveFilters(req: MatchRequest, query: AnalyzedQuery, lexicon: Lexicon): SearchFilters {
    const f = req.filters ?? {};
    const required: string[] = [];
    const resolve = (value: string, path: string, kinds: string[]) => {
      if (lexicon.get(value)) return value;
      const hit = lexicon.find(value).find((h) => kinds.includes(lexicon.kindOf(h.conceptId) ?? ''));
      if (!hit)
        throw new ValidationProblem([{ path, message: `no ${kinds.join('/')} concept matches "${value}"` }]);
      return hit.conceptId;
    };
    if (f.industry)
      required.push(resolve(f.industry, 'filters.industry', ['industry', 'sector', 'product', 'capability']));
    if (f.region) required.push(resolve(f.region, 'filters.region', ['region']));
    return {
      country: f.country ?? targetCountryFor(req.seekerCountry, query),
      requiredConcepts: required,
      partnershipTypes: f.partnershipType ? [f.partnershipType] : undefined,
      employeesMin: f.employeesMin,
      employeesMax: f.employeesMax,
    };
  }

  private toItem(
    card: ResultCard,
    score: number,
    arms: Partial<Record<Arm, number>>,
    query: AnalyzedQuery,
    requested: ReadBusiness[],
    how: string[],
    regions: string[],
    inRegion: boolean | undefined,
    lang: Lang,
    lexicon: Lexicon,
  ): MatchItem {
    const taxonomy = lexicon.taxonomy;
    // The profile's own businesses that meet the request: what it was read (or curated) as, never the request's
    // words, so the explanation says only what the profile says.
    // Only what the profile says or staff curated: the model's reading ranks, but is not quoted as the firm's.
    const meeting = card.businesses.filter(
      (b) =>
        b.source !== 'model' &&
        requested.some((r) => taxonomy.isWithin(b.code, r.code) || taxonomy.isWithin(r.code, b.code)),
    );
    const matchedBusinesses: MatchedBusiness[] = meeting
      // "Steel and metal products" beside "steel" names one business twice: keep the more specific.
      .filter((b) => !meeting.some((o) => o !== b && o.code !== b.code && taxonomy.isWithin(o.code, b.code)))
      .slice(0, 2)
      .map((b) => ({ code: b.code, label: taxonomy.label(b.code, lang), source: b.source, terms: b.terms }));
    // Concepts found in the profile's public text that the request named, or that lie above or below one it named
    // ("brake pads" asked, "auto parts" found): named by the profile's concept, which its text holds.
    const named = new Set(
      query.named.filter((id) => !COUNTRY_CONCEPTS[id] && lexicon.kindOf(id) !== 'region'),
    );
    const matched = new Map<string, Set<string>>();
    for (const hit of card.conceptHits) {
      if (lexicon.kindOf(hit.conceptId) === 'region' || COUNTRY_CONCEPTS[hit.conceptId]) continue;
      const related = [...named].some(
        (id) => lexicon.ancestors(hit.conceptId).has(id) || lexicon.ancestors(id).has(hit.conceptId),
      );
      if (!related) continue;
      const fields = matched.get(hit.conceptId) ?? new Set<string>();
      fields.add(hit.field);
      matched.set(hit.conceptId, fields);
    }
    // Keep the specific ones: "brake parts" says more than "auto parts" above it.
    for (const id of [...matched.keys()]) {
      const broader = [...matched.keys()].some((other) => other !== id && lexicon.ancestors(other).has(id));
      if (broader) matched.delete(id);
    }
    const matchedConcepts = [...matched.entries()].map(([id, fields]) => ({
      id,
      label: lexicon.label(id, lang),
      fields: [...fields],
    }));
    const matchedFields = [...new Set(matchedConcepts.flatMap((m) => m.fields))];
    const howMet =
      how.length > 0
        ? how.some(
            (id) =>
              matched.has(id) ||
              card.conceptHits.some((h) => h.conceptId === id) ||
              card.partnershipTypes.some((t) => t === lexicon.get(id)?.partnershipType),
          )
        : undefined;
    const name = card.names[lang] ?? card.names.en ?? Object.values(card.names)[0] ?? card.externalId;
    const location = card.location?.[lang] ?? card.location?.en ?? Object.values(card.location ?? {})[0];
    // The region asked for, as the profile's location names it, in the reader's language.
    const regionMet = card.conceptHits.find(
      (h) => h.field === 'location' && regions.some((r) => lexicon.ancestors(h.conceptId).has(r)),
    );
    // The card's industry in the reader's language: the profile's strongest kind of business when it has one.
    const topBusiness = card.businesses[0];
    const topBusinessLabel = topBusiness ? taxonomy.label(topBusiness.code, lang) : undefined;
    const industryLabel =
      card.industries.map((i) => industryLabelIn(i, lang, lexicon)).find((l) => l) ??
      (topBusinessLabel !== topBusiness?.code ? topBusinessLabel : undefined) ??
      card.industries.map((i) => anyIndustryLabel(i, lang, lexicon)).find((l) => l);
    const industryConcept = card.concepts.find((c) => lexicon.kindOf(c) === 'industry');
    return {
      externalId: card.externalId,
      name,
      names: card.names,
      country: card.country,
      score: Number(score.toFixed(6)),
      arms,
      matchedConcepts,
      matchedFields,
      matchedBusinesses,
      facets: { business: matchedBusinesses.length > 0, region: inRegion, how: howMet },
      explanation: explainMatch({
        seekerLang: lang,
        country: card.country,
        businesses: matchedBusinesses.map((b) => b.label),
        matched: matchedConcepts
          .filter((m) => lexicon.kindOf(m.id) !== 'activity')
          .map((m) => ({ label: m.label, kind: lexicon.kindOf(m.id) ?? 'industry' })),
        location: inRegion && regionMet ? lexicon.label(regionMet.conceptId, lang) : undefined,
        summary: card.summary,
        offerings: card.offerings,
        seeking: card.seeking,
        keywordOnly: arms.keyword !== undefined && matchedBusinesses.length === 0,
      }),
      location,
      industry: industryLabel ?? (industryConcept ? lexicon.label(industryConcept, lang) : undefined),
      partnershipTypes: card.partnershipTypes,
    };
  }

  /** Concept weights follow rarity (inverse document frequency), recomputed after the index changes. */
  private refreshIdf(): Promise<void> {
    if (!this.idfStale && this.idfRefresh) return this.idfRefresh;
    this.idfStale = false;
    this.idfRefresh = this.search.conceptFrequencies().then(
      (byCountry) => {
        this.frequencies = byCountry;
      },
      (err: unknown) => {
        this.idfStale = true;
        throw err;
      },
    );
    return this.idfRefresh;
  }
}
