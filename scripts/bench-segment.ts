import * as fs from 'node:fs';
import * as path from 'node:path';
import { keywordTokens, normalizeText, segmentWords } from '../src/language';
import { fail, parseArgs } from './cli-args';

/**
 * `npm run bench:segment [-- --seconds 2 --shared ../shared]`: segments the TALPCo Thai and Japanese
 * sentences (shared/data/parallel) over and over and prints throughput in characters per second for
 * raw Intl.Segmenter, segmentWords, and normalizeText + keywordTokens (what indexing and search pay).
 */

interface Case {
  name: string;
  run: (line: string) => unknown;
}

function readSentences(dir: string, lang: 'ja' | 'th'): string[] {
  const file = path.join(dir, 'data', 'parallel', `talpco-${lang}.txt`);
  if (!fs.existsSync(file)) fail(`${file} is absent: pass --shared <dir> (the project's shared/ folder).`);
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.includes('\t'))
    .map((line) => line.slice(line.indexOf('\t') + 1));
}

/** Runs `fn` over all lines until `seconds` have passed (after one warm-up pass); returns chars/second. */
function measure(lines: readonly string[], fn: (line: string) => unknown, seconds: number): number {
  const chars = lines.reduce((n, l) => n + l.length, 0);
  for (const l of lines) fn(l); // warm-up: JIT, ICU data, segmenter cache
  let passes = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    for (const l of lines) fn(l);
    passes++;
    elapsed = (performance.now() - started) / 1000;
  } while (elapsed < seconds);
  return (chars * passes) / elapsed;
}

function main() {
  const args = parseArgs();
  const seconds = Number(args.seconds ?? 2);
  const sharedDir =
    typeof args.shared === 'string'
      ? path.resolve(args.shared)
      : path.resolve(__dirname, '..', '..', '..', 'shared');
  const corpora = { th: readSentences(sharedDir, 'th'), ja: readSentences(sharedDir, 'ja') };

  const raw = new Map<string, Intl.Segmenter>();
  const intl = (locale: string) => (line: string) => {
    let s = raw.get(locale);
    if (!s) raw.set(locale, (s = new Intl.Segmenter(locale, { granularity: 'word' })));
    let n = 0;
    for (const seg of s.segment(line)) if (seg.isWordLike) n++;
    return n;
  };
  const cases = (lang: 'th' | 'ja'): Case[] => [
    { name: 'Intl.Segmenter (raw baseline)', run: intl(lang) },
    { name: 'segmentWords', run: (l) => segmentWords(l) },
    { name: 'normalizeText + keywordTokens', run: (l) => keywordTokens(normalizeText(l)) },
  ];

  process.stdout.write(`Node ${process.version}, ICU ${process.versions.icu}; ${seconds}s per case\n`);
  for (const lang of ['th', 'ja'] as const) {
    const lines = corpora[lang];
    const chars = lines.reduce((n, l) => n + l.length, 0);
    process.stdout.write(`\nTALPCo ${lang}: ${lines.length} sentences, ${chars} chars\n`);
    for (const c of cases(lang)) {
      const rate = measure(lines, c.run, seconds);
      process.stdout.write(
        `  ${c.name.padEnd(32)} ${Math.round(rate).toLocaleString('en-US').padStart(12)} chars/s\n`,
      );
    }
  }
}

main();
