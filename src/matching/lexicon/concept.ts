import { z } from 'zod';
import { PARTNERSHIP_TYPES } from '../../companies/company-profile.schema';

export const CONCEPT_KINDS = [
  'industry',
  'sector',
  'product',
  'capability',
  'partnership',
  'certification',
  'region',
] as const;
export type ConceptKind = (typeof CONCEPT_KINDS)[number];

const perLang = <T extends z.ZodType>(item: T) =>
  z.strictObject({ ja: item.optional(), th: item.optional(), en: item.optional() });

/** One business concept of the lexicon (seeds/lexicon/*.json), labelled and with synonyms in ja/th/en. */
export const conceptSchema = z.strictObject({
  id: z.string().regex(/^[a-z]+(\.[a-z0-9_]+)+$/, 'must look like kind.name (lowercase)'),
  kind: z.enum(CONCEPT_KINDS),
  parents: z.array(z.string()).optional(),
  labels: z.strictObject({ ja: z.string().min(1), th: z.string().min(1), en: z.string().min(1) }),
  synonyms: perLang(z.array(z.string().min(1))).optional(),
  codes: z.record(z.string(), z.string()).optional(),
  partnershipType: z.enum(PARTNERSHIP_TYPES).optional(),
});
export type Concept = z.infer<typeof conceptSchema>;

/** The country-level region concepts: they decide the target country, they are not matched as topics. */
export const COUNTRY_CONCEPTS: Record<string, 'JP' | 'TH'> = {
  'region.japan': 'JP',
  'region.thailand': 'TH',
};
