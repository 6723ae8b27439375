import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { Country, Lang, LocalizedText } from '../companies/company-profile.schema';
import { ProblemException, ValidationProblem } from '../common/problem';
import { EMBEDDING_MODEL, type EmbeddingModel } from './embeddings/embedding-model';
import { SearchIndexerService } from './indexing/search-indexer.service';
import { COUNTRY_CONCEPTS } from './lexicon/concept';
import type { Lexicon } from './lexicon/lexicon';
import { LexiconService } from './lexicon/lexicon.service';
import { explainMatch } from './retrieval/explanation';
import {
  type Arm,
  type ArmHit,
  HybridSearchRepository,
  conceptCandidateIds,
  type ResultCard,
  type SearchFilters,
} from './retrieval/hybrid-search.repository';
import { type AnalyzedQuery, analyzeQuery, targetCountryFor } from './retrieval/query-analysis';

export const MAX_QUERY_LENGTH = 2000;
/** The concept arm ignores concepts carried by more than this share of the target firms (they rank no one). */
const MAX_CONCEPT_COVERAGE = 0.25;

/** Which arms to run: the product's matcher, or one arm alone (evaluation baselines). */
export type MatchSystem = 'hybrid' | 'dense' | 'lexical' | 'concept';

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
  explanation: string;
  location?: string;
  industry?: string;
  partnershipTypes: string[];
}

export interface MatchResponse {
  query: {
    lang: Lang;
    targetCountry?: Country;
    concepts: Array<{ id: string; label: string }>;
    system: MatchSystem;
  };
  results: MatchItem[];
  /** True when there may be more results beyond this page. */
  hasMore: boolean;
}

const ARMS_OF: Record<MatchSystem, Arm[]> = {
  hybrid: ['dense', 'keyword', 'concept'],
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
  private frequencies = new Map<string, { total: number; df: Map<string, number> }>();
  private idfStale = true;
  private idfRefresh: Promise<void> | undefined;
  private readonly servedListeners: Array<(response: MatchResponse) => void> = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly search: HybridSearchRepository,
    private readonly lexicon: LexiconService,
    private readonly indexer: SearchIndexerService,
    @Inject(EMBEDDING_MODEL) private readonly model: EmbeddingModel,
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

    const arms = ARMS_OF[system];
    const depth = Math.max(this.config.matching.candidates, offset + limit + (req.exclude?.length ?? 0));
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
            depth: system === 'hybrid' ? Math.min(depth, Math.max(50, offset + limit)) : depth,
          }
        : undefined,
      keyword: arms.includes('keyword') ? { tokens: query.tokens } : undefined,
      concept: arms.includes('concept')
        ? {
            ids: conceptWeights.map((c) => c.id),
            weights: conceptWeights.map((c) => c.w),
            minShareOfBest: this.config.matching.conceptMinShare,
          }
        : undefined,
    });

    const fused = this.fuse(hits, system);
    const excluded = new Set(req.exclude ?? []);
    const { ranked, more } = await this.rankHead(fused, offset + limit, excluded);
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
      },
      results: page
        .filter((r) => cards.has(r.companyId))
        .map((r) => this.toItem(cards.get(r.companyId)!, r.score, r.arms, query, lang, lexicon)),
      hasMore: more || ranked.length > offset + limit,
    };
    for (const listener of this.servedListeners) listener(response);
    return response;
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
    lang: Lang,
    lexicon: Lexicon,
  ): MatchItem {
    // For each concept found in the profile, the most specific concept it shares with the query
    // (a Thai profile's SET sector ยานยนต์ and a Japanese query for 自動車部品 share "automotive").
    const queryConcepts = new Set(query.concepts.map((c) => c.id));
    const matched = new Map<string, Set<string>>();
    for (const hit of card.conceptHits) {
      const shared = [...lexicon.ancestors(hit.conceptId)]
        .sort((a, b) => a[1] - b[1])
        .find(([id]) => queryConcepts.has(id));
      if (!shared) continue;
      const fields = matched.get(shared[0]) ?? new Set<string>();
      fields.add(hit.field);
      matched.set(shared[0], fields);
    }
    // Keep the specific ones: "brake parts" says more than "automotive" and "manufacturing" above it.
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
    const name = card.names[lang] ?? card.names.en ?? Object.values(card.names)[0] ?? card.externalId;
    const industryLabel = card.industries.map((i) => i.label?.[lang] ?? i.label?.en).find((l) => l);
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
      explanation: explainMatch({
        seekerLang: lang,
        country: card.country,
        matched: matchedConcepts.map((m) => ({ label: m.label, kind: lexicon.kindOf(m.id) ?? 'industry' })),
        summary: card.summary,
        offerings: card.offerings,
        seeking: card.seeking,
        keywordOnly: arms.keyword !== undefined,
      }),
      location: card.location?.[lang] ?? card.location?.en ?? Object.values(card.location ?? {})[0],
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
