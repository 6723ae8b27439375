import { normalizeText } from '../../language';
import type { Concept } from './concept';

export interface ConceptHit {
  conceptId: string;
  /** The synonym as it matched (normalised). */
  term: string;
  /** Where it matched, in UTF-16 units of `matchForm(text)`. */
  start: number;
  end: number;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  /** Terms that end at this node. */
  terms: Term[];
}

interface Term {
  text: string;
  conceptId: string;
  /** Latin terms match whole words only ("oem" must not match inside "phoem"). */
  wholeWord: boolean;
}

// A space with a non-ASCII character (Thai, Japanese) on both sides.
const NON_ASCII_SPACE = /(?<=[^\p{ASCII}]) (?=[^\p{ASCII}])/gu;
// "auto-parts", "e-commerce": a hyphen inside Latin words is read as a space, in terms and texts alike.
const LATIN_HYPHEN = /(?<=[a-z0-9])-(?=[a-z0-9])/g;
const LATIN_ONLY = /^[a-z0-9 .&+/'-]+$/;
const WORD_CHAR = /[a-z0-9]/;
// Short Latin synonyms ("it", "ev", "ai") are also ordinary English words: they count only when written in
// capitals in the original text ("IT企業", "EV battery"), never as "is it possible".
const SHORT_LATIN = 3;
// Short synonyms that are everyday English nouns, not letters standing for words: they count in any case ("car
// components", "tea exporters"). Words that are also common function words ("can", "it") are not here.
const EVERYDAY_SHORT_WORDS = new Set(
  'ads ale app bag bed bus car dye egg gem gum gym ham hat hay hog ice ink inn jig mop ore pen pig rug rum soy spa tea toy van vet zoo'.split(
    ' ',
  ),
);

/**
 * Finds lexicon concepts in free text, in any of the three languages. Thai and Japanese have no spaces
 * between words, so their synonyms match as substrings of the normalised text, keeping maximal matches (so
 * "ชิ้นส่วนยานยนต์" is one auto-parts hit rather than also "ยา" inside it); Latin synonyms match whole words.
 */
export class ConceptMatcher {
  /** A character trie of every synonym: matching walks it from each position, O(text × longest term). */
  private readonly root: TrieNode = { next: new Map(), terms: [] };
  private readonly shortTerms = new Map<string, RegExp>();

  constructor(concepts: readonly Concept[]) {
    for (const c of concepts) {
      const forms = new Set<string>([...Object.values(c.labels), ...Object.values(c.synonyms ?? {}).flat()]);
      for (const form of forms) {
        const text = matchForm(form);
        if (text.length < 2) continue;
        const wholeWord = LATIN_ONLY.test(text);
        if (wholeWord && text.length <= SHORT_LATIN && !EVERYDAY_SHORT_WORDS.has(text)) {
          this.shortTerms.set(
            text,
            new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(text.toUpperCase())}(?![A-Za-z0-9])`),
          );
        }
        let node = this.root;
        // UTF-16 units, as `find` walks the text by index.
        for (let k = 0; k < text.length; k++) {
          const ch = text[k];
          let child = node.next.get(ch);
          if (!child) {
            child = { next: new Map(), terms: [] };
            node.next.set(ch, child);
          }
          node = child;
        }
        node.terms.push({ text, conceptId: c.id, wholeWord });
      }
    }
  }

  find(rawText: string): ConceptHit[] {
    const text = matchForm(rawText);
    const original = rawText.normalize('NFKC');
    const found: Array<{ start: number; end: number; term: Term }> = [];
    for (let i = 0; i < text.length; i++) {
      let node: TrieNode | undefined = this.root;
      for (let j = i; j < text.length && node; j++) {
        node = node.next.get(text[j]);
        if (!node) break;
        for (const term of node.terms) {
          const end = j + 1;
          if (term.wholeWord && (WORD_CHAR.test(text[i - 1] ?? '') || WORD_CHAR.test(text[end] ?? '')))
            continue;
          const shortRule = this.shortTerms.get(term.text);
          if (shortRule && !shortRule.test(original)) continue;
          found.push({ start: i, end, term });
        }
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
      hits.push({ conceptId: m.term.conceptId, term: m.term.text, start: m.start, end: m.end });
    }
    return hits;
  }
}

/**
 * The form both synonyms and texts take before matching: normalised, and without the spaces Thai and
 * Japanese writers put between phrases ("เหล็ก และ ผลิตภัณฑ์โลหะ" = "เหล็กและผลิตภัณฑ์โลหะ").
 */
export function matchForm(text: string): string {
  return normalizeText(text).replace(NON_ASCII_SPACE, '').replace(LATIN_HYPHEN, ' ');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
