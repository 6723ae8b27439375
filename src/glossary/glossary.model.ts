import { z } from 'zod';

/** A business term with its form in each language; `doNotTranslate` marks brand and company names. */
export interface GlossaryTerm {
  id: string;
  ja?: string;
  th?: string;
  en?: string;
  doNotTranslate: boolean;
  note?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The glossary as translation uses it: its version (part of cache keys) and all terms. */
export interface GlossarySnapshot {
  version: number;
  terms: GlossaryTerm[];
}

// NFC only: NFKC would rewrite Thai SARA AM (ำ) and full-width forms; matching compares NFKC forms instead.
const form = z
  .string()
  .transform((s) => s.normalize('NFC').trim())
  .pipe(z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'));

const termFields = {
  ja: form.optional(),
  th: form.optional(),
  en: form.optional(),
  doNotTranslate: z.boolean().optional(),
  note: z.string().max(1000).optional(),
};

const hasAForm = (t: { ja?: string; th?: string; en?: string }) =>
  t.ja !== undefined || t.th !== undefined || t.en !== undefined;

export const glossaryTermInputSchema = z
  .strictObject(termFields)
  .refine(hasAForm, { message: 'needs at least one of ja, th, en' });

export type GlossaryTermInput = z.infer<typeof glossaryTermInputSchema>;

/**
 * Import entries: the same fields, plus the `id` of an existing term and the metadata an export carries
 * (ignored), so export → edit → import round-trips.
 */
export const glossaryImportSchema = z
  .array(
    z
      .strictObject({
        ...termFields,
        id: z.uuid().optional(),
        version: z.number().int().optional(),
        createdAt: z.string().optional(),
        updatedAt: z.string().optional(),
      })
      .refine(hasAForm, { message: 'needs at least one of ja, th, en' }),
  )
  .max(20000, 'at most 20000 terms per import');

export type GlossaryImportEntry = z.infer<typeof glossaryImportSchema>[number];

/** The form a term takes in a language; do-not-translate terms keep their one written form everywhere. */
export function formIn(
  term: Pick<GlossaryTerm, 'ja' | 'th' | 'en' | 'doNotTranslate'>,
  lang: 'ja' | 'th' | 'en',
) {
  if (term.doNotTranslate) return term[lang] ?? term.en ?? term.ja ?? term.th;
  return term[lang];
}
