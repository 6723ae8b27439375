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
  // What a firm does with its products (make, sell, install…): combined with a product or industry concept it
  // names a kind of business of the taxonomy (seeds/taxonomy).
  'activity',
] as const;
export type ConceptKind = (typeof CONCEPT_KINDS)[number];

/**
 * The activities a business concept can name a kind of business for. `any` is the business of the concept as a
 * whole, whatever verb goes with it ("hotel", "security guards"), and what a bare mention of it means.
 */
export const BUSINESS_ACTIVITIES = [
  'make',
  'wholesale',
  'retail',
  'sell',
  'repair',
  'install',
  'construct',
  'rent',
  'transport',
  'design',
  'consult',
  'service',
  'contract',
  'develop',
  'grow',
  'any',
] as const;
export type BusinessActivity = (typeof BUSINESS_ACTIVITIES)[number];

/** A taxonomy code (TSIC 2009: a letter section, or 2–5 digits), or several for a concept that spans them. */
const businessCodes = z.union([
  z.string().regex(/^([A-U]|\d{2,5})$/, 'must be a TSIC code'),
  z.array(z.string().regex(/^([A-U]|\d{2,5})$/, 'must be a TSIC code')).min(1),
]);

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
  /**
   * The kinds of business this concept names, by activity: `{ "make": "2930", "sell": "4530" }` for auto parts.
   * Activities it leaves out fall back to related ones and then to its parents (see BusinessReader).
   */
  business: z.partialRecord(z.enum(BUSINESS_ACTIVITIES), businessCodes).optional(),
  /** The concept for parts of this one: "อะไหล่ … รถยนต์" (parts … of cars) is auto parts, not cars. */
  parts: z.string().optional(),
});
export type Concept = z.infer<typeof conceptSchema>;

/** The country-level region concepts: they decide the target country, they are not matched as topics. */
export const COUNTRY_CONCEPTS: Record<string, 'JP' | 'TH'> = {
  'region.japan': 'JP',
  'region.thailand': 'TH',
};
