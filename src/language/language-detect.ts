/**
 * Script-based language detection for chat messages and documents.
 *
 * Kakehashi only has to tell Japanese, Thai and English apart, and the three use disjoint scripts, so
 * counting script characters is both faster and more reliable than a statistical model (no weights to
 * ship, deterministic, works on a two-character message). Chinese is not supported: Han-only text is
 * treated as Japanese.
 */

import { scriptOf } from './script';

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
