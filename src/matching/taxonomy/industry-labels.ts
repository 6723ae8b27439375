import type { Industry, Lang } from '../../companies/company-profile.schema';
import { LANGS } from '../../companies/company-profile.schema';
import type { Lexicon } from '../lexicon/lexicon';

/** Kinds of concept that can name an industry label ("Automotive", "金属製品", "พาณิชย์"). */
const NAMING_KINDS = new Set(['industry', 'sector', 'product', 'capability']);
const CLASSIFICATIONS = /^(ISIC|TSIC)$/i;

/**
 * A profile's industry in the reader's language. Curated labels are often in one language only ("金属製品",
 * "Automotive"); the reader then sees the classification's own name for the code, else the names of the
 * lexicon concepts the label says, and only when nothing is known the label as written.
 */
export function industryLabel(industry: Industry, lang: Lang, lexicon: Lexicon): string | undefined {
  return (
    industryLabelIn(industry, lang, lexicon) ??
    industry.label?.en ??
    Object.values(industry.label ?? {}).find(Boolean) ??
    industry.code
  );
}

/** The industry's name in this language only: undefined when neither the label nor the lexicon has one. */
export function industryLabelIn(industry: Industry, lang: Lang, lexicon: Lexicon): string | undefined {
  const own = industry.label?.[lang];
  if (own) return own;
  if (industry.code) {
    const tagged = lexicon.byCode(industry.scheme, industry.code)[0];
    if (tagged) return lexicon.label(tagged.id, lang);
    const named = lexicon.taxonomy.label(industry.code, lang);
    if (CLASSIFICATIONS.test(industry.scheme) && named !== industry.code) return named;
  }
  for (const text of Object.values(industry.label ?? {})) {
    if (!text) continue;
    const concepts = [
      ...new Set(
        lexicon
          .find(text)
          .filter((h) => NAMING_KINDS.has(lexicon.kindOf(h.conceptId) ?? ''))
          .map((h) => h.conceptId),
      ),
    ];
    if (concepts.length > 0)
      return concepts.map((id) => lexicon.label(id, lang)).join(lang === 'ja' ? '・' : ', ');
  }
  return undefined;
}

/** The industries with a label in every language (see `industryLabel`), for replies and cards. */
export function localizedIndustries(industries: readonly Industry[], lexicon: Lexicon): Industry[] {
  return industries.map((industry) => {
    const label: Partial<Record<Lang, string>> = {};
    for (const lang of LANGS) {
      const text = industryLabel(industry, lang, lexicon);
      if (text) label[lang] = text;
    }
    return { ...industry, label };
  });
}
