import type { Country, Lang } from '../../companies/company-profile.schema';
import { type DetectedLang, detectLanguage, keywordTokens } from '../../language';
import { COUNTRY_CONCEPTS, type ConceptKind } from '../lexicon/concept';
import type { Lexicon } from '../lexicon/lexicon';

export interface WeightedConcept {
  id: string;
  /** 1 for a concept named in the query, less for broader concepts above it. */
  weight: number;
  /** The concept the user actually named (for explanations). */
  via: string;
}

export interface AnalyzedQuery {
  lang: DetectedLang;
  tokens: string[];
  /** Topic concepts (industries, products, capabilities, partnership types, certifications, regions). */
  concepts: WeightedConcept[];
  /** Concept ids named directly in the text. */
  named: string[];
  /** Countries the text mentions ("タイの…" → TH). */
  countriesMentioned: Country[];
}

// A broader concept says less about what the user wants: "brake pads" → automotive counts, but half as much.
const ANCESTOR_DECAY = 0.5;

/**
 * How much a named concept of each kind says about the partner wanted. What the firm does (industry, product,
 * capability) decides a match; where it is, its certificates and the kind of deal refine it. "Partner",
 * "提携", "พันธมิตร" appear in almost every request and say little on their own.
 */
const KIND_WEIGHT: Record<ConceptKind, number> = {
  industry: 1,
  sector: 1,
  product: 1,
  capability: 0.8,
  certification: 0.6,
  region: 0.5,
  partnership: 0.3,
  // Activity words are read by the business reader, never as concepts of the concept arm.
  activity: 0,
};

export function analyzeQuery(text: string, lexicon: Lexicon, langHint?: Lang): AnalyzedQuery {
  const detected = detectLanguage(text).lang;
  const lang = langHint ?? detected;
  const hits = lexicon.find(text);
  const countries = new Set<Country>();
  const weights = new Map<string, WeightedConcept>();
  const named: string[] = [];
  for (const hit of hits) {
    const country = COUNTRY_CONCEPTS[hit.conceptId];
    if (country) {
      countries.add(country);
      continue;
    }
    if (!named.includes(hit.conceptId)) named.push(hit.conceptId);
    const kindWeight = KIND_WEIGHT[lexicon.kindOf(hit.conceptId) ?? 'industry'];
    for (const [id, depth] of lexicon.ancestors(hit.conceptId)) {
      if (COUNTRY_CONCEPTS[id]) continue;
      const weight = kindWeight * ANCESTOR_DECAY ** depth;
      const current = weights.get(id);
      if (!current || current.weight < weight) weights.set(id, { id, weight, via: hit.conceptId });
    }
  }
  // Country words ("Thai", "ญี่ปุ่น", "タイ") are the target-country filter, not topic words: as keywords they
  // would favour every firm called "Thai …" or "… (Thailand)".
  const countryWords = new Set(
    hits.filter((h) => COUNTRY_CONCEPTS[h.conceptId]).flatMap((h) => keywordTokens(h.term)),
  );
  return {
    lang,
    tokens: [...new Set(keywordTokens(text))].filter((t) => !countryWords.has(t)),
    concepts: [...weights.values()],
    named,
    countriesMentioned: [...countries],
  };
}

/**
 * Which country's firms the seeker wants. The seeker's own country comes from the request, else from the
 * query language (Japanese → a Japanese firm, Thai → a Thai firm); partners are on the other side unless
 * the text names only the seeker's own country.
 */
export function targetCountryFor(seeker: Country | undefined, query: AnalyzedQuery): Country | undefined {
  const seekerCountry = seeker ?? (query.lang === 'ja' ? 'JP' : query.lang === 'th' ? 'TH' : undefined);
  const other = (c: Country): Country => (c === 'JP' ? 'TH' : 'JP');
  if (seekerCountry) {
    const mentioned = query.countriesMentioned;
    if (mentioned.length === 1 && mentioned[0] === seekerCountry && seeker === undefined)
      return seekerCountry;
    return other(seekerCountry);
  }
  // An English query from an unknown seeker: "Thai automotive parts makers" wants Thai firms.
  return query.countriesMentioned.length === 1 ? query.countriesMentioned[0] : undefined;
}
