import type { PublicProfile } from '../../companies/company.model';
import { LANGS } from '../../companies/company-profile.schema';
import type { BusinessActivity } from '../lexicon/concept';
import type { Enrichment } from '../enrichment/enrichment.repository';
import type { Lexicon } from '../lexicon/lexicon';

/** One kind of business of a profile, as stored beside its search document. */
export interface ProfileBusiness {
  code: string;
  weight: number;
  /** `curated`: a code staff gave the profile; `text`: read from its public text; `model`: an LLM's reading. */
  source: 'curated' | 'text' | 'model';
  /** The concept and activity it was read from, and the words (as in the normalised text), for explanations. */
  conceptId?: string;
  activity?: BusinessActivity;
  terms: string[];
  field?: 'summary' | 'description' | 'offerings' | 'industries' | 'keywords';
}

/**
 * A row of the business arm's postings: a code, the profile's weight for it or anything below it (`w`), and its
 * weight for that code itself (`xw`, 0 when the profile only has narrower codes).
 */
export interface BusinessPosting {
  c: string;
  w: number;
  xw: number;
}

type Field = NonNullable<ProfileBusiness['field']>;

// Offerings are lists of products with no verbs; a firm's own sentences about what it does say more.
const FIELD_WEIGHT: Record<Field, number> = {
  summary: 1,
  description: 0.9,
  offerings: 0.85,
  industries: 1,
  // The model's keywords: machine-made, and nouns with no verb.
  keywords: 0.6,
};
/** A kind of business the model named counts this much of its confidence: less than the firm's own words. */
const MODEL_WEIGHT = 0.8;
/** Each other unrelated business a text names beside its strongest takes this much from every one. */
const SPREAD_PENALTY = 0.15;
/** A second field saying the same counts this much of a vote (fields are not independent witnesses). */
const AGREEING_FIELD = 0.5;
/** How much a broader business backs a narrower one of the same profile (see backedByBroader). */
const BROADER_BACKING = 0.6;
const MAX_BUSINESSES = 12;

/**
 * The kinds of business of a profile: the codes staff curated (industries with a TSIC code, or an industry label
 * such as a SET sector), and what the reader finds in its public text. Each field is read on its own (its
 * languages are translations of one another: the strongest reading counts); fields that agree make a business
 * surer; a curated broader business backs a narrower one read from the text ("Automotive" and "auto parts").
 */
export function readProfileBusinesses(
  p: PublicProfile,
  lexicon: Lexicon,
  enrichment?: Pick<Enrichment, 'businesses' | 'keywords'>,
): ProfileBusiness[] {
  const votes = new Map<string, ProfileBusiness[]>();
  const vote = (b: ProfileBusiness) => votes.set(b.code, [...(votes.get(b.code) ?? []), b]);
  for (const industry of p.industries) {
    const code = industry.code;
    if (code && /^(TSIC|ISIC)/i.test(industry.scheme) && lexicon.taxonomy.has(code))
      vote({ code, weight: 1, source: 'curated', terms: [], field: 'industries' });
  }
  for (const b of enrichment?.businesses ?? []) {
    if (lexicon.taxonomy.has(b.code))
      vote({ code: b.code, weight: b.confidence * MODEL_WEIGHT, source: 'model', terms: [] });
  }
  const readField = (field: Field, texts: Array<string | undefined>, source: ProfileBusiness['source']) => {
    const best = new Map<string, ProfileBusiness>();
    for (const text of texts) {
      if (!text) continue;
      const reading = lexicon.reader.read(text, 'profile').businesses;
      for (const b of backedByBroader(reading, reading, lexicon)) {
        const current = best.get(b.code);
        if (current && current.weight >= b.weight) continue;
        best.set(b.code, {
          code: b.code,
          weight: b.weight,
          source,
          conceptId: b.conceptId,
          activity: b.activity,
          terms: b.terms,
          field,
        });
      }
    }
    // A text that names several unrelated businesses is less surely each of them; a curated label is not.
    const factor = field === 'industries' ? 1 : spreadFactor([...best.values()], lexicon);
    for (const b of best.values()) vote({ ...b, weight: b.weight * FIELD_WEIGHT[field] * factor });
  };
  readField(
    'summary',
    LANGS.map((l) => p.summary?.[l]),
    'text',
  );
  readField(
    'description',
    LANGS.map((l) => p.description?.[l]),
    'text',
  );
  readField(
    'offerings',
    LANGS.map((l) => p.offerings?.[l]?.join(', ')),
    'text',
  );
  // An industry staff gave the profile ("Automotive", a SET or JPX sector) is curated, named by its label.
  for (const industry of p.industries)
    readField(
      'industries',
      LANGS.map((l) => industry.label?.[l]),
      'curated',
    );
  if (enrichment)
    readField(
      'keywords',
      LANGS.map((l) => enrichment.keywords[l]?.join(', ')),
      'model',
    );

  const combined = [...votes.values()].map((list) => {
    const sorted = [...list].sort((a, b) => b.weight - a.weight);
    // A curated reading stays curated, the profile's own text comes before the model's; otherwise the strongest
    // reading's words explain it.
    const head =
      sorted.find((b) => b.source === 'curated') ?? sorted.find((b) => b.source === 'text') ?? sorted[0];
    const rest = sorted.slice(1).reduce((keep, b) => keep * (1 - AGREEING_FIELD * b.weight), 1);
    return { ...head, weight: 1 - (1 - sorted[0].weight) * rest };
  });
  const curated = combined.filter((b) => b.source === 'curated');
  return backedByBroader(combined, curated, lexicon)
    .sort((a, b) => b.weight - a.weight || (a.code < b.code ? -1 : 1))
    .slice(0, MAX_BUSINESSES)
    .map((b) => ({ ...b, weight: Number(b.weight.toFixed(4)) }));
}

/**
 * A broader business backs a narrower one: the narrower one takes the broader one's weight as another vote, as
 * much as a request for the narrower business credits a firm filed only under the broader one.
 */
function backedByBroader<T extends { code: string; weight: number }>(
  businesses: T[],
  backers: ReadonlyArray<{ code: string; weight: number }>,
  lexicon: Lexicon,
): T[] {
  const byCode = new Map(backers.map((b) => [b.code, b]));
  return businesses.map((b) => {
    let weight = b.weight;
    for (const code of lexicon.taxonomy.lineage(b.code).slice(1)) {
      const broader = byCode.get(code);
      if (broader) weight = 1 - (1 - weight) * (1 - broader.weight * BROADER_BACKING);
    }
    return weight === b.weight ? b : { ...b, weight };
  });
}

/**
 * How much of its weight each business of one text keeps when the text names several unrelated ones that compete
 * with the strongest (at least half its weight): a registered objective listing five trades is filed under one.
 * Businesses in one line of the tree (29 and 2930) are one business said twice, not two.
 */
function spreadFactor(reading: ReadonlyArray<{ code: string; weight: number }>, lexicon: Lexicon): number {
  const taxonomy = lexicon.taxonomy;
  const sorted = [...reading].sort((a, b) => b.weight - a.weight);
  const top = sorted[0]?.weight ?? 0;
  const heads: string[] = [];
  for (const b of sorted) {
    if (b.weight < top / 2) break;
    if (!heads.some((h) => taxonomy.isWithin(h, b.code) || taxonomy.isWithin(b.code, h))) heads.push(b.code);
  }
  return 1 / (1 + SPREAD_PENALTY * Math.max(0, heads.length - 1));
}

/**
 * The postings of a profile's businesses: each code, and every broader code with the same weight. A code counts
 * as the profile's own only when the profile names nothing narrower under it: a firm curated as "Commerce" (46)
 * whose text says it imports food (46319) is a food wholesaler, not perhaps a cosmetics one.
 */
export function businessPostings(businesses: ProfileBusiness[], lexicon: Lexicon): BusinessPosting[] {
  const byCode = new Map<string, BusinessPosting>();
  const taxonomy = lexicon.taxonomy;
  for (const b of businesses) {
    const specified = businesses.some((o) => o.code !== b.code && taxonomy.isWithin(o.code, b.code));
    taxonomy.lineage(b.code).forEach((code, i) => {
      const own = i === 0 && !specified ? b.weight : 0;
      const current = byCode.get(code) ?? { c: code, w: 0, xw: 0 };
      byCode.set(code, { c: code, w: Math.max(current.w, b.weight), xw: Math.max(current.xw, own) });
    });
  }
  return [...byCode.values()].sort((a, b) => (a.c < b.c ? -1 : a.c > b.c ? 1 : 0));
}
