/**
 * Unicode script classification shared by detection, segmentation and n-grams. Kakehashi only cares about
 * three scripts, so a few code-point ranges beat `\p{Script=...}` regexes in the hot loops.
 */

export type Script = 'ja' | 'th' | 'en';

/** Thai combining vowels and tone marks: they belong to the base letter before them. */
export function isThaiMark(cp: number): boolean {
  return cp === 0x0e31 || (cp >= 0x0e34 && cp <= 0x0e3a) || (cp >= 0x0e47 && cp <= 0x0e4e);
}

/**
 * The script a code point is evidence for, or null for characters that carry no language signal
 * (digits, punctuation, symbols, emoji, other scripts, and Thai combining marks, whose base letter already
 * counted).
 */
export function scriptOf(cp: number): Script | null {
  // ASCII letters first: the commonest case in mixed text.
  if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) return 'en';
  if (cp < 0x80) return null;
  // Thai block. Thai digits (U+0E50–U+0E59) are Thai-only, so they count as Thai.
  if (cp >= 0x0e01 && cp <= 0x0e5b) return isThaiMark(cp) ? null : 'th';
  // Latin-1 Supplement and Latin Extended letters (é, ü, ...): still "Latin" for our purposes.
  if (cp >= 0xc0 && cp <= 0x24f && cp !== 0xd7 && cp !== 0xf7) return 'en';
  // Hiragana, katakana (incl. the long-vowel mark ー and ・), katakana phonetic extensions.
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
  // Full-width Latin (ＩＮＰＥＸ) and half-width katakana (ｶﾀｶﾅ), so detection works on raw input too.
  if ((cp >= 0xff21 && cp <= 0xff3a) || (cp >= 0xff41 && cp <= 0xff5a)) return 'en';
  if (cp >= 0xff66 && cp <= 0xff9d) return 'ja';
  return null;
}

export interface ScriptRun {
  /** null only when the whole text has no script signal (digits, punctuation). */
  script: Script | null;
  text: string;
}

/**
 * Splits text into maximal runs of one script. Characters without a script (digits, spaces, punctuation,
 * Thai marks) join the run they sit in, and leading ones join the first run, so "iso9001" stays whole and
 * "3号機" stays Japanese. With `breakOnNonWord`, whitespace and punctuation end a run and are dropped
 * (used for n-grams, which must not span words); digits still join.
 */
export function splitScriptRuns(text: string, breakOnNonWord = false): ScriptRun[] {
  const runs: ScriptRun[] = [];
  let current: ScriptRun | null = null;
  let pending = ''; // script-less characters seen before the first scripted one of a run
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const script = scriptOf(cp);
    if (script === null) {
      if (breakOnNonWord && !isDigitOrMark(cp)) {
        if (current) runs.push(current);
        else if (pending) runs.push({ script: null, text: pending });
        current = null;
        pending = '';
        continue;
      }
      if (current) current.text += ch;
      else pending += ch;
      continue;
    }
    if (current && current.script === script) {
      current.text += ch;
      continue;
    }
    if (current) runs.push(current);
    current = { script, text: pending + ch };
    pending = '';
  }
  if (current) runs.push(current);
  else if (pending) runs.push({ script: null, text: pending });
  return runs;
}

function isDigitOrMark(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || isThaiMark(cp);
}
