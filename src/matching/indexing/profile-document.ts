import { createHash } from 'node:crypto';
import type { PublicProfile } from '../../companies/company.model';
import { LANGS } from '../../companies/company-profile.schema';
import { keywordTokens } from '../../language';
import type { Enrichment } from '../enrichment/enrichment.repository';
import type { Lexicon } from '../lexicon/lexicon';
import {
  type BusinessPosting,
  businessPostings,
  type ProfileBusiness,
  readProfileBusinesses,
} from '../taxonomy/profile-businesses';

/** Where in a profile a concept was found; explanations say "matched on its offerings" etc. */
export type ProfileField =
  | 'names'
  | 'summary'
  | 'description'
  | 'industries'
  | 'offerings'
  | 'seeking'
  | 'partnershipTypes'
  | 'location'
  | 'certifications';

export interface ConceptHitInProfile {
  conceptId: string;
  field: ProfileField;
}

/** Everything the three retrieval arms index for one profile. Built from public fields only. */
export interface ProfileDocument {
  /** Keyword terms with their field-weighted frequency (BM25's tf), and the document's length in the same unit. */
  terms: Array<{ t: string; f: number }>;
  docLength: number;
  /** Direct hits and every ancestor concept (so "brake pads" also files the profile under automotive). */
  concepts: string[];
  hits: ConceptHitInProfile[];
  /** Kinds of business (taxonomy codes) curated for or read from the profile, and the business arm's postings. */
  businesses: ProfileBusiness[];
  businessPostings: BusinessPosting[];
  /** Region concepts of the profile's location (not of its text), with the broader regions above them. */
  locations: string[];
  /** The text embedded for the vector arm, and its hash (unchanged text is not re-embedded). */
  embeddingText: string;
  contentHash: string;
}

function texts(p: PublicProfile, field: ProfileField): string[] {
  switch (field) {
    case 'names':
    case 'summary':
    case 'description':
    case 'location':
      return LANGS.map((l) => p[field]?.[l]).filter((v): v is string => !!v);
    case 'offerings':
    case 'seeking':
      return LANGS.flatMap((l) => p[field]?.[l] ?? []);
    case 'industries':
      return p.industries.flatMap((i) => LANGS.map((l) => i.label?.[l]).filter((v): v is string => !!v));
    case 'certifications':
      return p.certifications;
    case 'partnershipTypes':
      return [];
  }
}

// Names are identifiers, not descriptions: "Thai Agro Energy" is a power producer, "IT City" a retailer,
// "… Partners" a finance house. Tagging concepts from names put such firms into the wrong industries, so
// names feed the keyword and vector arms only.
const CONCEPT_FIELDS: ProfileField[] = [
  'industries',
  'offerings',
  'seeking',
  'summary',
  'description',
  'location',
  'certifications',
];

/**
 * How much a word counts towards a keyword match, by the field it is in: the firm's own sentences and what it
 * offers say what it is; its name matters for finding it by name; what it seeks and where it is say little
 * about its business (both have their own facets).
 */
const TERM_FIELD_WEIGHT = {
  names: 1.5,
  summary: 1,
  description: 0.6,
  industries: 1,
  offerings: 1,
  seeking: 0.3,
  location: 0.3,
  certifications: 0.5,
} as const;

/** A keyword the model wrote counts this much against a word of the profile's own summary. */
const MODEL_KEYWORD_WEIGHT = 0.5;

export function buildProfileDocument(
  p: PublicProfile,
  lexicon: Lexicon,
  enrichment?: Pick<Enrichment, 'businesses' | 'keywords'>,
): ProfileDocument {
  const hits: ConceptHitInProfile[] = [];
  const seen = new Set<string>();
  const hit = (conceptId: string, field: ProfileField) => {
    const key = `${conceptId}|${field}`;
    if (seen.has(key)) return;
    seen.add(key);
    hits.push({ conceptId, field });
  };
  for (const field of CONCEPT_FIELDS) {
    for (const text of texts(p, field)) for (const h of lexicon.find(text)) hit(h.conceptId, field);
  }
  for (const industry of p.industries) {
    if (industry.code)
      for (const c of lexicon.byCode(industry.scheme, industry.code)) hit(c.id, 'industries');
  }
  for (const type of p.partnershipTypes) {
    const c = lexicon.partnershipConcept(type);
    if (c) hit(c.id, 'partnershipTypes');
  }
  const concepts = new Set<string>();
  for (const h of hits) for (const id of lexicon.ancestors(h.conceptId).keys()) concepts.add(id);
  const locations = new Set<string>();
  for (const h of hits) {
    if (h.field !== 'location' || lexicon.kindOf(h.conceptId) !== 'region') continue;
    for (const id of lexicon.ancestors(h.conceptId).keys()) locations.add(id);
  }
  const businesses = readProfileBusinesses(p, lexicon, enrichment);

  const fields = Object.keys(TERM_FIELD_WEIGHT) as Array<keyof typeof TERM_FIELD_WEIGHT>;
  const frequency = new Map<string, number>();
  for (const field of fields) {
    for (const text of texts(p, field)) {
      for (const token of keywordTokens(text))
        frequency.set(token, (frequency.get(token) ?? 0) + TERM_FIELD_WEIGHT[field]);
    }
  }
  // The model's keywords find the firm by words its own text lacks ("ชิ้นส่วนยานยนต์" for a profile written in
  // Japanese), counting less than its own words.
  for (const lang of LANGS) {
    for (const keyword of enrichment?.keywords[lang] ?? []) {
      for (const token of keywordTokens(keyword))
        frequency.set(token, (frequency.get(token) ?? 0) + MODEL_KEYWORD_WEIGHT);
    }
  }
  const terms = [...frequency.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([t, f]) => ({ t, f: Number(f.toFixed(3)) }));
  const embeddingText = fields.flatMap((f) => texts(p, f)).join('\n');
  return {
    terms,
    docLength: Number(terms.reduce((sum, t) => sum + t.f, 0).toFixed(3)),
    concepts: [...concepts].sort(),
    hits,
    businesses,
    businessPostings: businessPostings(businesses, lexicon),
    locations: [...locations].sort(),
    embeddingText,
    contentHash: createHash('sha256').update(embeddingText).digest('hex').slice(0, 32),
  };
}
