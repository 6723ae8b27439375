/**
 * chrF++ (Popović 2017) as sacreBLEU 2.x computes it with `CHRF(word_order=2)`: character n-grams of orders 1–6
 * and word n-grams of orders 1–2, β = 2, effective-order averaging (no epsilon smoothing), case-sensitive.
 *
 * The details that make a score comparable with published sacreBLEU numbers:
 * - characters are Unicode code points (not UTF-16 units, not bytes: 𠮷 is one character);
 * - character n-grams are read with every white-space character removed, white space as Python's `str.split()`
 *   knows it (U+3000 and U+00A0 included), so Japanese with or without spaces between phrases reads the same;
 * - word n-grams split on that white space, then separate one ASCII punctuation mark from the end (or else the
 *   start) of each token longer than one character ("world!" → "world", "!"), as sacreBLEU does;
 * - an order for which the reference has no n-grams counts no hypothesis n-grams either;
 * - a corpus score sums the per-order counts over all segments first, then scores once (not a mean of sentences).
 *
 * scripts/support/chrf_reference.py re-states the same definition in Python for the unit test's reference values.
 */

export const CHAR_ORDER = 6;
export const WORD_ORDER = 2;
export const BETA = 2;

/** Per order (6 character orders, then 2 word orders): [hypothesis n-grams, reference n-grams, matches]. */
export type ChrfStatistics = number[];

// Python's str.isspace(): what sacreBLEU's `split()` splits on. JavaScript's \s differs (it has U+FEFF and lacks
// U+001C–U+001F and U+0085), so the set is spelled out.
const PY_WHITESPACE = new Set([
  0x09,
  0x0a,
  0x0b,
  0x0c,
  0x0d,
  0x1c,
  0x1d,
  0x1e,
  0x1f,
  0x20,
  0x85,
  0xa0,
  0x1680,
  ...Array.from({ length: 11 }, (_, i) => 0x2000 + i),
  0x2028,
  0x2029,
  0x202f,
  0x205f,
  0x3000,
]);
const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

function splitWhitespace(text: string): string[] {
  const out: string[] = [];
  let token = '';
  for (const ch of text) {
    if (PY_WHITESPACE.has(ch.codePointAt(0)!)) {
      if (token) out.push(token);
      token = '';
    } else token += ch;
  }
  if (token) out.push(token);
  return out;
}

function count(grams: Iterable<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const g of grams) out.set(g, (out.get(g) ?? 0) + 1);
  return out;
}

function charNgrams(chars: readonly string[], n: number): Map<string, number> {
  const grams: string[] = [];
  for (let i = 0; i + n <= chars.length; i++) grams.push(chars.slice(i, i + n).join(''));
  return count(grams);
}

/** sacreBLEU's chrF++ tokenisation: white-space split, then one punctuation mark off the end or the start. */
export function chrfWords(text: string): string[] {
  const out: string[] = [];
  for (const token of splitWhitespace(text)) {
    const chars = [...token];
    if (chars.length === 1) out.push(token);
    else if (PUNCTUATION.has(chars[chars.length - 1]))
      out.push(chars.slice(0, -1).join(''), chars[chars.length - 1]);
    else if (PUNCTUATION.has(chars[0])) out.push(chars[0], chars.slice(1).join(''));
    else out.push(token);
  }
  return out;
}

function wordNgrams(words: readonly string[], n: number): Map<string, number> {
  const grams: string[] = [];
  for (let i = 0; i + n <= words.length; i++) grams.push(words.slice(i, i + n).join(' '));
  return count(grams);
}

function allNgrams(text: string): Array<Map<string, number>> {
  const chars = [...splitWhitespace(text).join('')];
  const words = chrfWords(text);
  const out: Array<Map<string, number>> = [];
  for (let n = 1; n <= CHAR_ORDER; n++) out.push(charNgrams(chars, n));
  for (let n = 1; n <= WORD_ORDER; n++) out.push(wordNgrams(words, n));
  return out;
}

const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/** The counts of one hypothesis against its reference (to be summed over a corpus). */
export function chrfStatistics(hypothesis: string, reference: string): ChrfStatistics {
  const hyp = allNgrams(hypothesis);
  const ref = allNgrams(reference);
  const stats: number[] = [];
  hyp.forEach((h, i) => {
    const r = ref[i];
    let matches = 0;
    for (const [gram, c] of h) matches += Math.min(c, r.get(gram) ?? 0);
    stats.push(r.size > 0 ? total(h) : 0, total(r), matches);
  });
  return stats;
}

export function addStatistics(a: ChrfStatistics, b: ChrfStatistics): ChrfStatistics {
  return a.length === 0 ? [...b] : a.map((x, i) => x + b[i]);
}

/** The score (0–100) of summed statistics. */
export function chrfScore(stats: ChrfStatistics): number {
  const factor = BETA ** 2;
  let precision = 0;
  let recall = 0;
  let effective = 0;
  for (let i = 0; i < CHAR_ORDER + WORD_ORDER; i++) {
    const [hyp, ref, match] = [stats[3 * i] ?? 0, stats[3 * i + 1] ?? 0, stats[3 * i + 2] ?? 0];
    if (hyp > 0 && ref > 0) {
      precision += match / hyp;
      recall += match / ref;
      effective++;
    }
  }
  if (effective === 0) return 0;
  precision /= effective;
  recall /= effective;
  if (precision + recall === 0) return 0;
  return (100 * (1 + factor) * precision * recall) / (factor * precision + recall);
}

export function sentenceChrf(hypothesis: string, reference: string): number {
  return chrfScore(chrfStatistics(hypothesis, reference));
}

/** Corpus-level chrF++: statistics summed over every pair, then scored once. */
export function corpusChrf(hypotheses: readonly string[], references: readonly string[]): number {
  if (hypotheses.length !== references.length)
    throw new Error(`chrF++: ${hypotheses.length} hypotheses for ${references.length} references`);
  let stats: ChrfStatistics = [];
  hypotheses.forEach((h, i) => (stats = addStatistics(stats, chrfStatistics(h, references[i]))));
  return chrfScore(stats);
}
