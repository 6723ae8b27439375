import type { PublicProfile } from '../../companies/company.model';
import { LANGS } from '../../companies/company-profile.schema';
import type { BusinessActivity } from '../lexicon/concept';
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
  field?: 'summary' | 'description' | 'offerings' | 'industries';
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

// Offerings are lists of products with no verbs; a firm's own sentences about what it does say more.
const FIELD_WEIGHT = { summary: 1, description: 0.9, offerings: 0.85, industries: 1 } as const;
/**
 * A firm that names several unrelated businesses is less surely each of them: its weights are shared out. Each
 * other business within reach of the strongest (at least half its weight) takes this much from every one.
 */
const SPREAD_PENALTY = 0.15;
const MAX_BUSINESSES = 12;

/**
 * The kinds of business of a profile: the codes staff curated (industries with a TSIC code), and what the reader
 * finds in its public text (summary, description, offerings, industry labels), each field and language read on
 * its own and the strongest reading of each code kept.
 */
export function readProfileBusinesses(p: PublicProfile, lexicon: Lexicon): ProfileBusiness[] {
  const found = new Map<string, ProfileBusiness>();
  const keep = (b: ProfileBusiness) => {
    const current = found.get(b.code);
    if (!current || current.weight < b.weight || (current.weight === b.weight && b.source === 'curated'))
      found.set(b.code, b);
  };
  for (const industry of p.industries) {
    const code = industry.code;
    if (code && /^(TSIC|ISIC)/i.test(industry.scheme) && lexicon.taxonomy.has(code))
      keep({ code, weight: 1, source: 'curated', terms: [], field: 'industries' });
  }
  const read = (text: string | undefined, field: ProfileBusiness['field'] & string) => {
    if (!text) return;
    for (const b of lexicon.reader.read(text, 'profile').businesses) {
      keep({
        code: b.code,
        weight: b.weight * FIELD_WEIGHT[field],
        source: 'text',
        conceptId: b.conceptId,
        activity: b.activity,
        terms: b.terms,
        field,
      });
    }
  };
  for (const lang of LANGS) {
    read(p.summary?.[lang], 'summary');
    read(p.description?.[lang], 'description');
    read(p.offerings?.[lang]?.join(', '), 'offerings');
    for (const industry of p.industries) read(industry.label?.[lang], 'industries');
  }
  return spreadWeights([...found.values()], lexicon);
}

/** Shares the weight of a profile's businesses out among the unrelated ones that compete with the strongest. */
function spreadWeights(businesses: ProfileBusiness[], lexicon: Lexicon): ProfileBusiness[] {
  const taxonomy = lexicon.taxonomy;
  const sorted = [...businesses].sort((a, b) => b.weight - a.weight || (a.code < b.code ? -1 : 1));
  const top = sorted[0]?.weight ?? 0;
  // Businesses in one line of the tree (29 and 2930) are one business said twice, not two.
  const heads: ProfileBusiness[] = [];
  for (const b of sorted) {
    if (b.weight < top / 2) break;
    if (!heads.some((h) => taxonomy.isWithin(h.code, b.code) || taxonomy.isWithin(b.code, h.code)))
      heads.push(b);
  }
  const factor = 1 / (1 + SPREAD_PENALTY * Math.max(0, heads.length - 1));
  return sorted
    .slice(0, MAX_BUSINESSES)
    .map((b) => (b.source === 'curated' ? b : { ...b, weight: Number((b.weight * factor).toFixed(4)) }));
}

/** The postings of a profile's businesses: each code, and every broader code with the same weight. */
export function businessPostings(businesses: ProfileBusiness[], lexicon: Lexicon): BusinessPosting[] {
  const byCode = new Map<string, BusinessPosting>();
  for (const b of businesses) {
    lexicon.taxonomy.lineage(b.code).forEach((code, i) => {
      const own = i === 0 ? b.weight : 0;
      const current = byCode.get(code) ?? { c: code, w: 0, xw: 0 };
      byCode.set(code, { c: code, w: Math.max(current.w, b.weight), xw: Math.max(current.xw, own) });
    });
  }
  return [...byCode.values()].sort((a, b) => (a.c < b.c ? -1 : a.c > b.c ? 1 : 0));
}
