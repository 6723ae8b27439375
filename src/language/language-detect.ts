/**
 * Script-based language detection for chat messages and documents.
 *
 * Kakehashi only has to tell Japanese, Thai and English apart, and the three use disjoint scripts, so
 * counting script characters is both faster and more reliable than a statistical model (no weights to
 * ship, deterministic, works on a two-character message). Chinese is not supported: Han-only text is
 * treated as Japanese.
 */

export type DetectedLang = 'ja' | 'th' | 'en' | 'und';

export interface LanguageShares {
  ja: number;
  th: number;
  en: number;
}

export interface DetectionResult {
  lang: DetectedLang;
  /** 0..1: the dominant script's weighted share, reduced for very short inputs. 0 for 'und'. */
  confidence: number;
  /** True when a second script carries a noticeable share (e.g. "Toyota の部品", "บริษัท SCG"). */
  mixed: boolean;
  /** Weighted share of each script among the meaningful characters; sums to 1, or all 0 for 'und'. */
  shares: LanguageShares;
}

/*
 * Weights per character, roughly "how much of a word one character is". Without them a Latin brand name
 * would outvote the Japanese around it ("Toyota の部品" has 6 Latin letters and 3 Japanese characters but
 * is Japanese). A Japanese word is ~2 characters, a Thai word ~5 (counting only base letters, since vowel
 * and tone marks stack on them), an English word ~5.
 */
const WEIGHT_JA = 1;
const WEIGHT_TH = 0.5;
const WEIGHT_EN = 0.3;

/** A second script below this share is noise (one stray letter), not a mixed message. */
const MIXED_MIN_SHARE = 0.08;

/** Weighted units at which confidence stops being discounted for shortness. */
const FULL_CONFIDENCE_UNITS = 3;

type Script = 'ja' | 'th' | 'en' | null;

/** Classifies one code point. Marks and punctuation return null: they carry no language signal. */
export function scriptOf(cp: number): Script {
  // ASCII letters first: the commonest case in mixed text.
  if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) return 'en';
  if (cp < 0x80) return null;
  // Thai block. Combining vowels and tone marks (U+0E31, U+0E34–U+0E3A, U+0E47–U+0E4E) sit on a base
  // letter that is already counted; Thai digits (U+0E50–U+0E59) are Thai-only, so they count.
  if (cp >= 0x0e01 && cp <= 0x0e5b) {
    if (cp === 0x0e31 || (cp >= 0x0e34 && cp <= 0x0e3a) || (cp >= 0x0e47 && cp <= 0x0e4e)) return null;
    return 'th';
  }
  // Latin-1 Supplement and Latin Extended letters (é, ü, ...): still "Latin" for our purposes.
  if (cp >= 0xc0 && cp <= 0x24f && cp !== 0xd7 && cp !== 0xf7) return 'en';
  // Hiragana, katakana (incl. ー), katakana phonetic extensions.
  if ((cp >= 0x3041 && cp <= 0x30ff) || (cp >= 0x31f0 && cp <= 0x31ff)) return 'ja';
  // 々 〆 〇: iteration mark and Japanese-specific ideographic symbols.
  if (cp >= 0x3005 && cp <= 0x3007) return 'ja';
  // CJK ideographs: unified, extension A, compatibility, and the supplementary planes (ext. B+).
  if (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x20000 && cp <= 0x3134f)
  ) {
    return 'ja';
  }
  // Full-width Latin letters (ＩＮＰＥＸ) and half-width katakana (ｶﾀｶﾅ): detection works on raw input.
  if ((cp >= 0xff21 && cp <= 0xff3a) || (cp >= 0xff41 && cp <= 0xff5a)) return 'en';
  if (cp >= 0xff66 && cp <= 0xff9d) return 'ja';
  return null;
}

export function detectLanguage(text: string): DetectionResult {
  let ja = 0;
  let th = 0;
  let en = 0;
  for (const ch of text) {
    const script = scriptOf(ch.codePointAt(0) ?? 0);
    if (script === 'ja') ja += WEIGHT_JA;
    else if (script === 'th') th += WEIGHT_TH;
    else if (script === 'en') en += WEIGHT_EN;
  }
  const total = ja + th + en;
  if (total === 0) {
    return { lang: 'und', confidence: 0, mixed: false, shares: { ja: 0, th: 0, en: 0 } };
  }
  const shares: LanguageShares = { ja: ja / total, th: th / total, en: en / total };
  // Ties are broken towards the non-Latin script: a user who types any Thai or Japanese reads it.
  const ranked = (['ja', 'th', 'en'] as const)
    .map((lang) => ({ lang, share: shares[lang] }))
    .sort((a, b) => b.share - a.share);
  const [first, second] = ranked;
  const mixed = second.share >= MIXED_MIN_SHARE;
  const lengthFactor = Math.min(1, total / FULL_CONFIDENCE_UNITS);
  const confidence = Math.round(first.share * (0.5 + 0.5 * lengthFactor) * 1000) / 1000;
  return { lang: first.lang, confidence, mixed, shares };
}
