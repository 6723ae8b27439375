import { z } from 'zod';

/**
 * The company profile interchange format (shared/company-profile.schema.json) as zod, used for create,
 * replace, import and export. Objects are strict: an unknown field is an error, never silently dropped.
 */

export const LANGS = ['ja', 'th', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const COUNTRIES = ['JP', 'TH'] as const;
export type Country = (typeof COUNTRIES)[number];
export const STATUSES = ['draft', 'published', 'archived'] as const;
export type CompanyStatus = (typeof STATUSES)[number];
export const PARTNERSHIP_TYPES = [
  'supplier',
  'buyer',
  'distributor',
  'agent',
  'oem',
  'joint_venture',
  'investment',
  'licensing',
  'outsourcing',
  'technology_transfer',
  'other',
] as const;
export type PartnershipType = (typeof PARTNERSHIP_TYPES)[number];

const text = (max: number) =>
  z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const atLeastOneLanguage = (v: Record<string, unknown>) => Object.keys(v).length > 0;

export const localizedTextSchema = z
  .strictObject({ ja: text(4000).optional(), th: text(4000).optional(), en: text(4000).optional() })
  .refine(atLeastOneLanguage, { message: 'needs at least one of ja, th, en' });

export const localizedListSchema = z
  .strictObject({
    ja: z.array(text(200)).max(50).optional(),
    th: z.array(text(200)).max(50).optional(),
    en: z.array(text(200)).max(50).optional(),
  })
  .refine(atLeastOneLanguage, { message: 'needs at least one of ja, th, en' });

export const industrySchema = z
  .strictObject({
    scheme: z.string().min(1).max(40),
    code: z.string().min(1).max(40).optional(),
    label: localizedTextSchema.optional(),
  })
  .refine((v) => v.code !== undefined || v.label !== undefined, { message: 'needs a code or a label' });

export const contactSchema = z.strictObject({
  person: z.string().max(200).optional(),
  email: z.email('must be an e-mail address').optional(),
  phone: z.string().max(50).optional(),
  lineId: z.string().max(100).optional(),
});

export const companyProfileSchema = z.strictObject({
  externalId: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._:&-]{0,127}$/,
      'must be 1–128 letters, digits or . _ : & - (not starting with a symbol)',
    ),
  country: z.enum(COUNTRIES, { message: 'must be JP or TH' }),
  names: localizedTextSchema,
  summary: localizedTextSchema.optional(),
  description: localizedTextSchema.optional(),
  industries: z.array(industrySchema).max(20).optional(),
  offerings: localizedListSchema.optional(),
  seeking: localizedListSchema.optional(),
  partnershipTypes: z
    .array(z.enum(PARTNERSHIP_TYPES))
    .refine((v) => new Set(v).size === v.length, { message: 'must not repeat a value' })
    .optional(),
  location: localizedTextSchema.optional(),
  employees: z.number().int().min(0).optional(),
  foundedYear: z.number().int().min(1600).max(2100).optional(),
  website: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
  certifications: z.array(z.string().max(100)).max(30).optional(),
  languages: z
    .array(z.enum(LANGS))
    .refine((v) => new Set(v).size === v.length, { message: 'must not repeat a value' })
    .optional(),
  contact: contactSchema.optional(),
  status: z.enum(STATUSES).optional(),
});

export type CompanyProfileInput = z.infer<typeof companyProfileSchema>;
export type LocalizedText = Partial<Record<Lang, string>>;
export type LocalizedList = Partial<Record<Lang, string[]>>;
export type Industry = z.infer<typeof industrySchema>;
export type CompanyContact = z.infer<typeof contactSchema>;

/** Public profile fields (everything but contact), in interchange-format names. */
export const PUBLIC_FIELDS = [
  'country',
  'names',
  'summary',
  'description',
  'industries',
  'offerings',
  'seeking',
  'partnershipTypes',
  'location',
  'employees',
  'foundedYear',
  'website',
  'certifications',
  'languages',
  'status',
] as const;
export type PublicField = (typeof PUBLIC_FIELDS)[number];

/** The localized fields that auto-translation fills and the console edits side by side. */
export const LOCALIZED_FIELDS = [
  'names',
  'summary',
  'description',
  'offerings',
  'seeking',
  'location',
] as const;
