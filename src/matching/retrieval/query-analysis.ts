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
  /**
   * Countries the text gives the partner sought ("Thai distributor", "タイの販売代理店", "บริษัทญี่ปุ่น"), as
   * opposed to the seeker's own goods ("for Japanese cosmetics").
   */
  partnerCountries: Country[];
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

/** How close (in characters) a country word must stand to the word for the partner it qualifies. */
const PARTNER_COUNTRY_REACH = 6;

/**
 * The countries that qualify the partner in a request: a country word next to a word for a firm, an activity or
 * a partnership ("Thai distributor", "タイの販売代理店", "ผู้ผลิตญี่ปุ่น", "บริษัทญี่ปุ่น"), rather than next to a
 * product ("Japanese cosmetics"). English and Japanese put the country first, Thai after the noun.
 */
function partnerCountriesIn(text: string, lexicon: Lexicon): Country[] {
  const hits = lexicon.find(text);
  const actors = [
    ...lexicon.findActivities(text),
    ...hits.filter((h) => lexicon.kindOf(h.conceptId) === 'partnership'),
  ];
  const topics = hits.filter(
    (h) => !COUNTRY_CONCEPTS[h.conceptId] && lexicon.kindOf(h.conceptId) !== 'partnership',
  );
  const out = new Set<Country>();
  for (const c of hits) {
    const country = COUNTRY_CONCEPTS[c.conceptId];
    if (!country) continue;
    const nextAfter = [...actors, ...topics]
      .filter((h) => h.start >= c.end && h.start - c.end <= PARTNER_COUNTRY_REACH)
      .sort((a, b) => a.start - b.start)[0];
    const nextBefore = [...actors, ...topics]
      .filter((h) => h.end <= c.start && c.start - h.end <= PARTNER_COUNTRY_REACH)
      .sort((a, b) => b.end - a.end)[0];
    const isThai = /[\u0E00-\u0E7F]/.test(c.term);
    const neighbour = isThai ? (nextBefore ?? nextAfter) : (nextAfter ?? nextBefore);
    if (neighbour && actors.includes(neighbour)) out.add(country);
  }
  return [...out];
}

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
    partnerCountries: partnerCountriesIn(text, lexicon),
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
  // An English query from an unknown seeker: "Thai automotive parts makers" wants Thai firms; "Thai distributor
  // for Japanese cosmetics" names both countries, and wants the one that qualifies the distributor.
  if (query.countriesMentioned.length === 1) return query.countriesMentioned[0];
  return query.partnerCountries.length === 1 ? query.partnerCountries[0] : undefined;
}
