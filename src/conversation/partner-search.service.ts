import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Country, Lang } from '../companies/company-profile.schema';
import { SearchIndexerService } from '../matching/indexing/search-indexer.service';
import {
  type MatchItem,
  type MatchRequest,
  type MatchResponse,
  MatchService,
} from '../matching/match.service';
import type { SearchState } from './conversation-state';
import { PLACES } from './understanding/vocabulary';

export const PAGE_SIZE = 5;
const CACHE_MAX = 1000;
const CACHE_TTL_MS = 5 * 60_000;
/** Results fetched when a place the lexicon does not know narrows by location text instead of a filter. */
const REGION_FALLBACK_DEPTH = 50;

export interface SearchPage {
  items: MatchItem[];
  hasMore: boolean;
  targetCountry?: Country;
}

/**
 * The chat's way to run a partner search: one page at a time, skipping results already shown (so paging never
 * repeats a company even if the index changes meanwhile), with a small cache of identical requests (many users
 * ask the same things; the cache is dropped whenever the search index changes).
 */
@Injectable()
export class PartnerSearchService implements OnApplicationBootstrap {
  private readonly cache = new Map<string, { at: number; value: Promise<MatchResponse> }>();

  constructor(
    private readonly match: MatchService,
    private readonly indexer: SearchIndexerService,
  ) {}

  onApplicationBootstrap(): void {
    this.indexer.onIndexChanged(() => this.cache.clear());
  }

  async page(search: SearchState, seekerCountry: Country | undefined, lang: Lang): Promise<SearchPage> {
    const place = search.filters.regionWords
      ? PLACES.find((p) => p.id === search.filters.regionWords)
      : undefined;
    const request: MatchRequest = {
      text: search.text,
      lang,
      seekerCountry,
      filters: {
        partnershipType: search.filters.partnershipType,
        region: search.filters.region,
        country: search.filters.country ?? place?.country,
      },
      limit: place ? REGION_FALLBACK_DEPTH : PAGE_SIZE,
      exclude: search.shown,
    };
    const response = await this.cached(request);
    let items = response.results;
    if (place) {
      const names = place.names.map((n) => n.toLowerCase());
      items = items.filter((i) => names.some((n) => (i.location ?? '').toLowerCase().includes(n)));
    }
    return {
      items: items.slice(0, PAGE_SIZE),
      hasMore: items.length > PAGE_SIZE || (!place && response.hasMore),
      targetCountry: response.query.targetCountry,
    };
  }

  private cached(request: MatchRequest): Promise<MatchResponse> {
    const key = JSON.stringify(request);
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < CACHE_TTL_MS) return hit.value;
    const value = this.match.findPartners(request);
    // A failed search is not remembered.
    value.catch(() => this.cache.delete(key));
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, { at: now, value });
    return value;
  }
}
