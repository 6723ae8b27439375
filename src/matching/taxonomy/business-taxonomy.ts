import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Lang } from '../../companies/company-profile.schema';
import { projectPath } from '../../common/project-paths';
import { readSeedItems } from '../../common/seed-files';

/**
 * The kinds of business a firm can be in: TSIC 2009 (the Thai edition of ISIC Rev.4, the classification the Thai
 * registrar files every firm under), as a tree of codes with names in ja/th/en. Sections are letters (C =
 * manufacturing) holding a range of two-digit divisions; below a division, a code's parent is the longest code
 * of the table that starts it (2930 → 293 if listed, else 29). Only the codes the lexicon names, and their
 * ancestors, need to be here.
 */
export const businessCodeSchema = z.strictObject({
  code: z.string().regex(/^([A-U]|\d{2,5})$/, 'must be a TSIC section letter or a 2–5 digit code'),
  labels: z.strictObject({ ja: z.string().min(1), th: z.string().min(1), en: z.string().min(1) }),
  /** Sections only: the divisions they hold, as "10-33". */
  divisions: z
    .string()
    .regex(/^\d{2}-\d{2}$/)
    .optional(),
});
export type BusinessCode = z.infer<typeof businessCodeSchema>;

export class BusinessTaxonomy {
  readonly version: string;
  private readonly byCode: Map<string, BusinessCode>;
  private readonly sectionOfDivision = new Map<string, string>();
  private readonly parentCache = new Map<string, string | undefined>();

  constructor(readonly codes: readonly BusinessCode[]) {
    this.byCode = new Map(codes.map((c) => [c.code, c]));
    for (const c of codes) {
      if (!c.divisions) continue;
      const [from, to] = c.divisions.split('-').map(Number);
      for (let d = from; d <= to; d++) this.sectionOfDivision.set(String(d).padStart(2, '0'), c.code);
    }
    const canonical = JSON.stringify([...codes].sort((a, b) => (a.code < b.code ? -1 : 1)));
    this.version = createHash('sha256').update(canonical).digest('hex').slice(0, 16);
  }

  get size(): number {
    return this.codes.length;
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  label(code: string, lang: Lang): string {
    return this.byCode.get(code)?.labels[lang] ?? code;
  }

  /** The nearest broader code of the table (a division's section, a class's group or division…). */
  parent(code: string): string | undefined {
    if (this.parentCache.has(code)) return this.parentCache.get(code);
    let parent: string | undefined;
    if (/^\d{2}$/.test(code)) parent = this.sectionOfDivision.get(code);
    else if (/^\d{3,5}$/.test(code)) {
      for (let len = code.length - 1; len >= 2 && !parent; len--) {
        const prefix = code.slice(0, len);
        if (this.byCode.has(prefix)) parent = prefix;
      }
      parent ??= this.sectionOfDivision.get(code.slice(0, 2));
    }
    this.parentCache.set(code, parent);
    return parent;
  }

  /** The code and every broader code above it, nearest first. */
  lineage(code: string): string[] {
    const out = [code];
    for (let p = this.parent(code); p !== undefined; p = this.parent(p)) out.push(p);
    return out;
  }

  /** True when `code` is `ancestor` or lies below it. */
  isWithin(code: string, ancestor: string): boolean {
    return this.lineage(code).includes(ancestor);
  }
}

/** Reads and checks the shipped taxonomy (seeds/taxonomy/*.json); every problem is listed in one error. */
export function readSeedTaxonomy(dir = projectPath('seeds', 'taxonomy')): BusinessTaxonomy {
  if (!fs.existsSync(dir)) return new BusinessTaxonomy([]);
  const { items: codes, problems } = readSeedItems(dir, businessCodeSchema);
  const seen = new Set<string>();
  for (const c of codes) {
    if (seen.has(c.code)) problems.push(`duplicate code ${c.code}`);
    seen.add(c.code);
  }
  const taxonomy = new BusinessTaxonomy(codes);
  for (const c of codes) {
    if (/^\d/.test(c.code) && taxonomy.parent(c.code) === undefined)
      problems.push(`${c.code}: no section holds division ${c.code.slice(0, 2)}`);
  }
  if (problems.length > 0)
    throw new Error(`The taxonomy in ${dir} is invalid:\n  ${problems.slice(0, 50).join('\n  ')}`);
  return taxonomy;
}
