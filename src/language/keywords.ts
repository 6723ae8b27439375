import { normalizeText } from './normalize';
import { splitScriptRuns } from './script';
import { segmentWords } from './segment';
import { isNormalisedStopWord } from './stop-words';

// A lone hiragana is a particle or an inflection fragment ICU cut off (は, を, て, い); a lone kanji is
// often a real word (鉄, 紙, 車), so only hiragana go. Lone Thai code points are fragments (ณ, ๆ, ฯ).
const LONE_HIRAGANA = /^[\u3041-\u309F\u30FC]$/;
const LONE_THAI = /^[\u0E00-\u0E7F]$/;
// A token must contain a letter or digit: drops ICU word-like leftovers such as "ー" alone.
const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * The keyword-index tokens of a text: normalised, segmented, without stop words and particles. Documents
 * and queries both go through this, so it is deterministic: same text (in any width/form) → same tokens.
 * Order and duplicates are kept (term frequency and positions are the index's business).
 *
 * For PostgreSQL, store them with `array_to_tsvector(tokens)` (or query with `to_tsquery('simple', ...)`
 * built from quoted tokens): passing a joined string to `to_tsvector('simple', ...)` would let the
 * PostgreSQL parser re-split tokens at characters it does not consider letters (Thai marks in some locales,
 * the "." in "e.g").
 */
export function keywordTokens(text: string): string[] {
  return segmentWords(text).filter(
    (t) => !isNormalisedStopWord(t) && !LONE_HIRAGANA.test(t) && !LONE_THAI.test(t) && HAS_WORD_CHAR.test(t),
  );
}

/**
 * Character n-grams for the offline embedding model: for each n in `n`, the n-grams of the normalised text,
 * computed within runs of one script that never span whitespace or punctuation (digits stay with their run:
 * "iso9001"). Counted in code points, so a Thai vowel or tone mark is one character. A run shorter than the
 * smallest n is emitted whole, so one-character words (車) still contribute.
 */
export function charNgrams(text: string, n: number[]): string[] {
  const sizes = n.filter((k) => Number.isInteger(k) && k > 0);
  if (sizes.length === 0) return [];
  const smallest = Math.min(...sizes);
  const out: string[] = [];
  for (const run of splitScriptRuns(normalizeText(text), true)) {
    const chars = Array.from(run.text);
    if (chars.length === 0) continue;
    if (chars.length < smallest) {
      out.push(run.text);
      continue;
    }
    for (const k of sizes) {
      for (let i = 0; i + k <= chars.length; i++) out.push(chars.slice(i, i + k).join(''));
    }
  }
  return out;
}
