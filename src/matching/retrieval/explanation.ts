import type { Country, Lang, LocalizedList, LocalizedText } from '../../companies/company-profile.schema';
import type { ConceptKind } from '../lexicon/concept';

/** What an explanation may use: what actually matched, and public profile text only. */
export interface ExplanationInput {
  seekerLang: Lang;
  country: Country;
  matched: Array<{ label: string; kind: ConceptKind }>;
  summary?: LocalizedText;
  offerings?: LocalizedList;
  seeking?: LocalizedList;
  keywordOnly: boolean;
}

const KIND_ORDER: ConceptKind[] = [
  'product',
  'capability',
  'industry',
  'sector',
  'certification',
  'partnership',
  'region',
];

const T = {
  ja: {
    country: { JP: '日本', TH: 'タイ' },
    matches: (what: string) => `${what}に該当します。`,
    offers: (what: string) => `提供：${what}。`,
    seeks: (what: string) => `求めているもの：${what}。`,
    keyword: 'ご依頼の言葉がプロフィールに含まれています。',
    sep: '、',
  },
  th: {
    country: { JP: 'ญี่ปุ่น', TH: 'ไทย' },
    matches: (what: string) => `ตรงกับ ${what} `,
    offers: (what: string) => `สินค้าและบริการ: ${what} `,
    seeks: (what: string) => `กำลังมองหา: ${what}`,
    keyword: 'โปรไฟล์มีคำที่ตรงกับคำค้นของคุณ ',
    sep: ', ',
  },
  en: {
    country: { JP: 'Japan', TH: 'Thailand' },
    matches: (what: string) => `Matches ${what}. `,
    offers: (what: string) => `Offers: ${what}. `,
    seeks: (what: string) => `Seeks: ${what}.`,
    keyword: 'Its profile contains the words of your request. ',
    sep: ', ',
  },
} as const;

/** A short list in the reader's language, else English; never a language the reader did not ask for. */
function listIn(list: LocalizedList | undefined, lang: Lang, max: number): string[] {
  return (list?.[lang] ?? list?.en ?? []).slice(0, max);
}

/**
 * The template explanation (no LLM): which business concepts matched, in the seeker's language (concept
 * labels exist in ja, th and en, so this works across languages), then what the firm offers and seeks when its
 * profile has them in the seeker's language or English.
 */
export function explainMatch(input: ExplanationInput): string {
  const t = T[input.seekerLang];
  const parts: string[] = [];
  const labels = [...input.matched]
    .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind))
    .map((m) => m.label)
    .filter((l, i, all) => all.indexOf(l) === i)
    .slice(0, 4);
  if (labels.length > 0) parts.push(t.matches(labels.join(t.sep)));
  else if (input.keywordOnly) parts.push(t.keyword);
  const offers = listIn(input.offerings, input.seekerLang, 3);
  if (offers.length > 0) parts.push(t.offers(offers.join(t.sep)));
  const seeks = listIn(input.seeking, input.seekerLang, 2);
  if (seeks.length > 0) parts.push(t.seeks(seeks.join(t.sep)));
  return parts.join('').trim();
}
