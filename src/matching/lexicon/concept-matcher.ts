import { normalizeText } from '../../language';
import type { Concept } from './concept';

export interface ConceptHit {
  conceptId: string;
  /** The synonym as it matched (normalised). */
  term: string;
}

interface Term {
  text: string;
  conceptId: string;
  /** Latin terms match whole words only ("oem" must not match inside "phoem"). */
  wholeWord: boolean;
}

// A space with a non-ASCII character (Thai, Japanese) on both sides.
const NON_ASCII_SPACE = /(?<=[^\p{ASCII}]) (?=[^\p{ASCII}])/gu;
const LATIN_ONLY = /^[a-z0-9 .&+/'-]+$/;
const WORD_CHAR = /[a-z0-9]/;
// Short Latin synonyms ("it", "ev", "ai") are also ordinary English words: they count only when written in
// capitals in the original text ("IT企業", "EV battery"), never as "is it possible".
const SHORT_LATIN = 3;

/**
 * Finds lexicon concepts in free text, in any of the three languages. Thai and Japanese have no spaces
 * between words, so their synonyms match as substrings of the normalised text, keeping maximal matches (so
 * "ชิ้นส่วนยานยนต์" is one auto-parts hit rather than also "ยา" inside it); Latin synonyms match whole words.
 */
export class ConceptMatcher {
  private readonly byFirstChar = new Map<string, Term[]>();
  private readonly shortTerms = new Map<string, RegExp>();

  constructor(concepts: readonly Concept[]) {
    for (const c of concepts) {
      const forms = new Set<string>([...Object.values(c.labels), ...Object.values(c.synonyms ?? {}).flat()]);
      for (const form of forms) {
        const text = matchForm(form);
        if (text.length < 2) continue;
        const wholeWord = LATIN_ONLY.test(text);
        if (wholeWord && text.length <= SHORT_LATIN) {
          this.shortTerms.set(
            text,
            new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(text.toUpperCase())}(?![A-Za-z0-9])`),
          );
        }
        const list = this.byFirstChar.get(text[0]) ?? [];
        list.push({ text, conceptId: c.id, wholeWord });
        this.byFirstChar.set(text[0], list);
      }
    }
    for (const list of this.byFirstChar.values()) list.sort((a, b) => b.text.length - a.text.length);
  }

  find(rawText: string): ConceptHit[] {
    const text = matchForm(rawText);
    const original = rawText.normalize('NFKC');
    const found: Array<{ start: number; end: number; term: Term }> = [];
    for (let i = 0; i < text.length; i++) {
      const candidates = this.byFirstChar.get(text[i]);
      if (!candidates) continue;
      for (const term of candidates) {
        if (!text.startsWith(term.text, i)) continue;
        if (
          term.wholeWord &&
          (WORD_CHAR.test(text[i - 1] ?? '') || WORD_CHAR.test(text[i + term.text.length] ?? ''))
        )
          continue;
        const shortRule = this.shortTerms.get(term.text);
        if (shortRule && !shortRule.test(original)) continue;
        found.push({ start: i, end: i + term.text.length, term });
      }
    }
    // Keep maximal matches: a term inside a longer matched term is part of that word ("ยา" inside "ยานยนต์",
    // "京都" inside "東京都"), but two terms that only overlap are both meant ("ผู้ผลิตยาง" rubber maker and
    // "ยางรถยนต์" tyres in "ผู้ผลิตยางรถยนต์").
    const maximal = found.filter(
      (m) =>
        !found.some(
          (o) => o !== m && o.start <= m.start && o.end >= m.end && o.end - o.start > m.end - m.start,
        ),
    );
    const hits: ConceptHit[] = [];
    const seen = new Set<string>();
    for (const m of maximal) {
      const key = `${m.term.conceptId}|${m.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      hits.push({ conceptId: m.term.conceptId, term: m.term.text });
    }
    return hits;
  }
}

/**
 * The form both synonyms and texts take before matching: normalised, and without the spaces Thai and
 * Japanese writers put between phrases ("เหล็ก และ ผลิตภัณฑ์โลหะ" = "เหล็กและผลิตภัณฑ์โลหะ").
 */
export function matchForm(text: string): string {
  return normalizeText(text).replace(NON_ASCII_SPACE, '');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
