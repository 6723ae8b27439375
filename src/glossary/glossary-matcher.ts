import type { Lang } from '../config/app-config';
import { type GlossaryTerm, formIn } from './glossary.model';

/** A glossary term found in a source text, with the form the translation must contain. */
export interface AppliedTerm {
  id: string;
  source: string;
  target: string;
  doNotTranslate: boolean;
}

/** NFKC and lower case: how texts and terms are compared (ＩＮＰＥＸ = INPEX = inpex). */
export const normalizeForMatch = (s: string): string => s.normalize('NFKC').toLowerCase();

const LATIN = /^[\p{Script=Latin}\p{N}\s.&'-]+$/u;

/** True when `form` occurs in `text` (both normalised); Latin forms must stand as whole words. */
export function containsForm(normalizedText: string, form: string): boolean {
  const f = normalizeForMatch(form);
  if (!f) return false;
  if (!LATIN.test(f)) return normalizedText.includes(f);
  const escaped = f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{Script=Latin}\\p{N}])${escaped}(?![\\p{Script=Latin}\\p{N}])`, 'u').test(
    normalizedText,
  );
}

/**
 * The terms whose source-language form occurs in `text`, longest first, skipping a term whose form lies
 * inside a longer one already found ("ball bearing" wins over "bearing"). Terms without a form in the target
 * language (and not do-not-translate) cannot be enforced and are skipped.
 */
export function findTerms(text: string, from: Lang, to: Lang, terms: readonly GlossaryTerm[]): AppliedTerm[] {
  const normalized = normalizeForMatch(text);
  const candidates = terms
    .map((t) => ({ term: t, source: t.doNotTranslate ? keptForm(t, from) : t[from], target: formIn(t, to) }))
    .filter((c): c is { term: GlossaryTerm; source: string; target: string } => !!c.source && !!c.target)
    .sort((a, b) => b.source.length - a.source.length);
  const found: AppliedTerm[] = [];
  const foundSources: string[] = [];
  for (const c of candidates) {
    const src = normalizeForMatch(c.source);
    if (!containsForm(normalized, c.source)) continue;
    // Inside a longer term already found, and not elsewhere on its own: the longer term covers it.
    if (
      foundSources.some((longer) => longer.includes(src)) &&
      countOutside(normalized, src, foundSources) === 0
    )
      continue;
    found.push({ id: c.term.id, source: c.source, target: c.target, doNotTranslate: c.term.doNotTranslate });
    foundSources.push(src);
  }
  // In order of appearance, as a reader of the prompt would expect.
  const at = (t: AppliedTerm) => normalized.indexOf(normalizeForMatch(t.source));
  return found.sort((a, b) => at(a) - at(b));
}

/** A do-not-translate term is recognised in whichever of its forms appears (usually only one is given). */
function keptForm(term: GlossaryTerm, from: Lang): string | undefined {
  return term[from] ?? term.en ?? term.ja ?? term.th;
}

function countOutside(text: string, term: string, longer: string[]): number {
  let stripped = text;
  for (const l of longer) if (l.includes(term)) stripped = stripped.split(l).join(' ');
  return stripped.split(term).length - 1;
}

/** The glossary block of the translation prompt: one "source → target" line per term found. */
export function glossaryLines(applied: readonly AppliedTerm[]): string {
  if (applied.length === 0) return '(no glossary terms in this text)';
  return applied
    .map((t) => (t.doNotTranslate ? `- ${t.source} → ${t.target} (keep)` : `- ${t.source} → ${t.target}`))
    .join('\n');
}
