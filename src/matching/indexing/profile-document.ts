import { createHash } from 'node:crypto';
import type { PublicProfile } from '../../companies/company.model';
import { LANGS } from '../../companies/company-profile.schema';
import { keywordTokens } from '../../language';
import type { Lexicon } from '../lexicon/lexicon';

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
  tokens: string[];
  /** Direct hits and every ancestor concept (so "brake pads" also files the profile under automotive). */
  concepts: string[];
  hits: ConceptHitInProfile[];
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

export function buildProfileDocument(p: PublicProfile, lexicon: Lexicon): ProfileDocument {
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

  const allText = (
    [
      'names',
      'summary',
      'description',
      'industries',
      'offerings',
      'seeking',
      'location',
      'certifications',
    ] as const
  ).flatMap((f) => texts(p, f));
  const tokens = allText.flatMap((t) => keywordTokens(t));
  const embeddingText = allText.join('\n');
  return {
    tokens,
    concepts: [...concepts].sort(),
    hits,
    embeddingText,
    contentHash: createHash('sha256').update(embeddingText).digest('hex').slice(0, 32),
  };
}
