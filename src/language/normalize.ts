/**
 * Text normalisation applied before anything is indexed, compared or embedded. Documents and queries go
 * through the same function, so it must be deterministic and idempotent
 * (normalizeText(normalizeText(x)) === normalizeText(x)).
 */

// Invisible characters that break token equality: ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen.
// Thai web copy uses ZWSP as an invisible word separator.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;

const HAS_THAI = /[\u0E00-\u0E7F]/;
// Tone marks (and thanthakhat) typed before an upper vowel: the correct order is vowel, then tone mark
// ("ที่" = ท + ี + ่). NFKC cannot fix this: Thai upper vowels have combining class 0, so they block
// canonical reordering. (Lower vowels, class 103, are reordered before tone marks, class 107, by NFKC.)
const TONE_BEFORE_UPPER_VOWEL = /([\u0E48-\u0E4C])([\u0E31\u0E34-\u0E37])/g;
// The same mark typed twice ("ก่่").
const DOUBLED_MARK = /([\u0E31\u0E34-\u0E3A\u0E47-\u0E4E])\1+/g;
// SARA AM typed (or NFKC-decomposed) as NIKHAHIT + SARA AA, possibly with a tone mark on either side of the
// NIKHAHIT. NFKC itself turns U+0E33 into U+0E4D U+0E32, so this recomposition must run after NFKC: the
// dictionary the segmenter uses, and Thai users, spell it U+0E33 ("น้ำ" = น + ้ + ำ).
const DECOMPOSED_SARA_AM = /\u0E4D([\u0E48-\u0E4B]?)\u0E32/g;
// Tone mark typed after SARA AM ("นำ้" → "น้ำ").
const TONE_AFTER_SARA_AM = /\u0E33([\u0E48-\u0E4B])/g;
// Two SARA E typed for SARA AE ("เเ" → "แ"), a habit from old keyboards and PDFs.
const DOUBLED_SARA_E = /\u0E40\u0E40/g;

const WHITESPACE = /\s+/g;
// A space between two Japanese characters (kana, kanji, ー, 々, CJK punctuation) is textbook phrase
// spacing ("私 は 学生 です"), not a word boundary: Japanese is written without spaces.
const JA_CHAR = '[\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Han}\\u3001-\\u303F\\u30FB\\u30FC]';
const JAPANESE_SPACE = new RegExp(`(?<=${JA_CHAR}) (?=${JA_CHAR})`, 'gu');

export function normalizeText(text: string): string {
  // NFKC: full-width Latin and digits to ASCII (ＩＮＰＥＸ → INPEX), half-width katakana to full-width,
  // ㈱ → (株), U+3000 ideographic space to a plain space.
  let s = text.replace(INVISIBLE, '').normalize('NFKC');
  if (HAS_THAI.test(s)) s = fixThaiOrder(s);
  s = s.toLowerCase().replace(WHITESPACE, ' ').trim();
  return s.replace(JAPANESE_SPACE, '');
}

function fixThaiOrder(s: string): string {
  return s
    .replace(TONE_BEFORE_UPPER_VOWEL, '$2$1')
    .replace(DOUBLED_MARK, '$1')
    .replace(DECOMPOSED_SARA_AM, '$1\u0E33')
    .replace(TONE_AFTER_SARA_AM, '$1\u0E33')
    .replace(DOUBLED_SARA_E, '\u0E41');
}
