import type { DetectedLang } from './language-detect';
import { JAPANESE_COMPOUNDS, THAI_COMPOUNDS, THAI_SPLITS } from './lexicon';
import { normalizeText } from './normalize';
import { splitScriptRuns } from './script';

/*
 * Word segmentation with ICU's dictionaries through Intl.Segmenter (Thai and Japanese have no spaces between
 * words). npm alternatives measured on the TALPCo corpora (Node 20, ICU 78): Thai, Intl.Segmenter 1.6M
 * chars/s vs wordcut 0.18M with the same splits of business words (both cut ชิ้น|ส่วน, ยาน|ยนต์);
 * Japanese, Intl.Segmenter 1.1M vs TinySegmenter 0.25M and kuromoji 0.27M (+40 MB dictionary, async load),
 * which only split inflections better, and those are stop words here. So no dependency: ICU's weak spots
 * for our vocabulary are patched by the small lexicon in lexicon.ts. `npm run bench:segment` re-measures.
 */

type SegLocale = 'ja' | 'th' | 'en';

// Creating a Segmenter loads ICU break-iterator data: build each once and reuse (segment() is stateless).
const segmenters = new Map<SegLocale, Intl.Segmenter>();
function segmenterFor(locale: SegLocale): Intl.Segmenter {
  let s = segmenters.get(locale);
  if (!s) {
    s = new Intl.Segmenter(locale, { granularity: 'word' });
    segmenters.set(locale, s);
  }
  return s;
}

interface Piece {
  text: string;
  start: number;
  end: number;
}

/** A merge table: the compounds, plus every prefix of them so the scan can stop early. */
interface MergeTable {
  words: ReadonlySet<string>;
  prefixes: ReadonlySet<string>;
}

function mergeTable(words: readonly string[]): MergeTable {
  const normalised = words.map(normalizeText);
  const prefixes = new Set<string>();
  for (const w of normalised) for (let i = 1; i <= w.length; i++) prefixes.add(w.slice(0, i));
  return { words: new Set(normalised), prefixes };
}

const MERGES: Record<'ja' | 'th', MergeTable> = {
  th: mergeTable(THAI_COMPOUNDS),
  ja: mergeTable(JAPANESE_COMPOUNDS),
};
const SPLITS = new Map<string, readonly string[]>(
  Object.entries(THAI_SPLITS).map(([k, v]) => [normalizeText(k), v.map(normalizeText)]),
);

/**
 * Normalised word tokens of `text`, in order, duplicates kept. Each script run is segmented with its own
 * locale; `lang` only chooses the locale for text with no script at all (digits). Punctuation, spaces and
 * emoji are dropped (only ICU's word-like segments are kept).
 */
export function segmentWords(text: string, lang?: DetectedLang): string[] {
  const out: string[] = [];
  for (const run of splitScriptRuns(normalizeText(text))) {
    const locale: SegLocale = run.script ?? (lang === 'ja' || lang === 'th' ? lang : 'en');
    const pieces: Piece[] = [];
    for (const seg of segmenterFor(locale).segment(run.text)) {
      if (!seg.isWordLike) continue;
      const start = seg.index;
      const split = locale === 'th' ? SPLITS.get(seg.segment) : undefined;
      if (!split) {
        pieces.push({ text: seg.segment, start, end: start + seg.segment.length });
        continue;
      }
      let at = start;
      for (const part of split) {
        pieces.push({ text: part, start: at, end: at + part.length });
        at += part.length;
      }
    }
    if (locale === 'en') for (const p of pieces) out.push(p.text);
    else mergeCompounds(locale === 'th' ? glueSilentFinals(pieces) : pieces, MERGES[locale], out);
  }
  return out;
}

// One or two consonants killed by THANTHAKHAT ("ต์", "กส์") are the silent tail of a loanword that ICU did not
// know ("ซิเมนต์" → ซิ|เมน|ต์); they are never a word alone, so they go back onto the piece before them.
const SILENT_FINAL = /^[\u0E01-\u0E2E]{1,2}\u0E4C$/;

function glueSilentFinals(pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const prev = out[out.length - 1];
    if (prev && prev.end === p.start && SILENT_FINAL.test(p.text)) {
      out[out.length - 1] = { text: prev.text + p.text, start: prev.start, end: p.end };
    } else {
      out.push(p);
    }
  }
  return out;
}

/** Greedy longest match of adjacent pieces (nothing between them) against the compound table. */
function mergeCompounds(pieces: readonly Piece[], table: MergeTable, out: string[]): void {
  let i = 0;
  while (i < pieces.length) {
    let best = pieces[i].text;
    let bestEnd = i;
    let acc = best;
    for (let j = i + 1; j < pieces.length && pieces[j].start === pieces[j - 1].end; j++) {
      acc += pieces[j].text;
      if (!table.prefixes.has(acc)) break;
      if (table.words.has(acc)) {
        best = acc;
        bestEnd = j;
      }
    }
    out.push(best);
    i = bestEnd + 1;
  }
}
