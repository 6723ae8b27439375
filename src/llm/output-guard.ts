import type { AnswerVerdict } from './llm.types';
import type { Lang } from '../config/app-config';
import { detectLanguage } from '../language';

/**
 * A last line of defence for generated text about companies (summaries, match explanations): contact details
 * are never in a prompt, so an e-mail address or phone number in the output that none of the inputs contained
 * was invented or injected, and is removed. Translation does not use it (its input is the text itself).
 * Below it, `checkModelText`: whether a model's text is fit to show at all.
 */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// International or trunk-prefixed numbers with at least 9 digits, separated by spaces, dots, dashes or brackets.
const PHONE = /(?:\+\d{1,3}[\s.-]?|\b0)(?:\(?\d{1,4}\)?[\s.-]?){2,5}\d{2,4}\b/g;
const LINE_ID = /\b(?:LINE\s*(?:ID)?|ไลน์|ライン)\s*[:：]\s*@?[A-Za-z0-9._-]{2,}[A-Za-z0-9_-]/gi;

export const REDACTED = '[removed]';

export function redactUnseenContacts(output: string, inputs: string[]): { text: string; removed: number } {
  const haystack = inputs.join('\n').toLowerCase();
  const inputPhones = new Set((inputs.join('\n').match(PHONE) ?? []).map((p) => p.replace(/\D/g, '')));
  let removed = 0;
  let text = output.replace(EMAIL, (m) => {
    if (haystack.includes(m.toLowerCase())) return m;
    removed++;
    return REDACTED;
  });
  text = text.replace(PHONE, (m) => {
    const digits = m.replace(/\D/g, '');
    if (digits.length < 9 || inputPhones.has(digits) || haystack.includes(m.toLowerCase())) return m;
    removed++;
    return REDACTED;
  });
  text = text.replace(LINE_ID, (m) => {
    if (haystack.includes(m.toLowerCase())) return m;
    removed++;
    return REDACTED;
  });
  return { text, removed };
}

// ---- garbage -------------------------------------------------------------------------------------------------

/**
 * Why a model's text must not reach a reader, in the order checked. A model endpoint that is broken but still
 * answers (a bad quantisation, a wrong chat template, a proxy mangling encodings, a model stuck in a loop)
 * produces text like this; callers fall back to their rule-based path and count the answer as a failure.
 */
export type TextProblem =
  'empty' | 'control-characters' | 'mojibake' | 'prompt-leak' | 'too-long' | 'repetition' | 'wrong-language';

export interface TextCheckOptions {
  /** The language the text must be written in; omitted: not checked (translation checks it itself). */
  lang?: Lang;
  /** Longest acceptable text, in characters. */
  maxChars?: number;
  /** The instructions (system prompt) the model was given: a verbatim stretch of them in the text is a leak. */
  instructions?: string;
  /** Names that may legitimately be in another script (company names): ignored by the language check. */
  names?: readonly string[];
  /**
   * The text is a stream still being written: an empty or too-short text is not judged yet, and the costlier
   * checks look only at what follows `checkedUpTo` (plus an overlap), which earlier calls already passed.
   */
  partial?: boolean;
  checkedUpTo?: number;
}

// C0/C1 controls other than tab and newlines, lone surrogates, private use, the replacement character and
// non-characters: none belongs in a chat message.
const BAD_CHAR =
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF\uE000-\uF8FF\uFFFD\uFFFE\uFFFF]/gu;
// UTF-8 bytes read as Latin-1/CP-1252: "Ã©", "â€™", and Thai "à¸ª".
const UTF8_AS_LATIN1 =
  /[\u00C2-\u00F4][\u0080-\u00BF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013\u2014\u2018-\u201E\u2020-\u2022\u2026\u2030\u2039\u203A\u20AC\u2122]/g;
// TIS-620 (Thai) or Shift_JIS bytes read as Latin-1: runs of accented letters no language writes.
const LATIN1_RUN = /[\u00A1-\u00FF]{4,}/g;
// UTF-8 Japanese read as Shift_JIS: these rare kanji stand for the common lead bytes (縺 = E3 81, 繧 = E3 82 ...).
const SJIS_MOJIBAKE = /[縺繧繝譁荳蜷]/g;
// Chat-template tokens and prompt scaffolding: never part of an answer.
const DELIMITERS = [
  /<\|[a-z_]{2,30}\|>/i,
  /\[\/?INST\]/,
  /<<\/?SYS>>/,
  /<\/?s>/,
  /<\/?(?:start|end)_of_turn>/,
  /<\/?think>/i,
  /<\/?data\b/i,
  /\{\{\s*[a-z_]+\s*\}\}/i,
  /^#{1,3}\s*(?:system|user|assistant)\s*$/im,
];
const LEAK_SHINGLE_WORDS = 8;
/** A unit of 1–80 characters written five or more times in a row. */
const REPEATED_UNIT = /([\s\S]{1,80}?)\1{4,}/gu;
const MIN_REPEATED_SPAN = 30;
/** Below this many weighted letters a partial text says too little about its language. */
const MIN_LANGUAGE_EVIDENCE = 8;
/** Overlap re-checked before the new part of a stream, so a pattern across two deltas is seen whole. */
const OVERLAP = 160;

/**
 * The verdict for a whole answer a person will read (LlmService.complete's `judge`): a text in another language
 * may be the model's fair try (neutral for the circuit breaker), anything else unfit is garbage.
 */
export function verdictOnModelText(text: string, options: TextCheckOptions = {}): AnswerVerdict {
  const problem = checkModelText(text.trim(), options);
  return problem === undefined ? 'ok' : problem === 'wrong-language' ? 'invalid' : 'garbage';
}

/** The first problem that makes `text` unfit to show, or undefined when it may be shown. */
export function checkModelText(text: string, options: TextCheckOptions = {}): TextProblem | undefined {
  const meaningful = text.replace(/[\s\u200B-\u200D\u2060\uFEFF]/g, '');
  if (!meaningful) return options.partial ? undefined : 'empty';
  const length = [...text].length;
  const bad = text.match(BAD_CHAR)?.length ?? 0;
  if (bad >= 3 || bad / length >= 0.1) return 'control-characters';
  if (isMojibake(text)) return 'mojibake';
  const from = options.partial ? Math.max(0, (options.checkedUpTo ?? 0) - OVERLAP) : 0;
  const recent = text.slice(from);
  if (DELIMITERS.some((d) => d.test(recent))) return 'prompt-leak';
  if (options.instructions && leaksInstructions(recent, options.instructions)) return 'prompt-leak';
  if (options.maxChars !== undefined && length > options.maxChars) return 'too-long';
  if (isDegenerate(recent, options.partial ? undefined : text)) return 'repetition';
  if (options.lang && !inLanguage(text, options.lang, options.names ?? [], options.partial === true))
    return 'wrong-language';
  return undefined;
}

function isMojibake(text: string): boolean {
  if ((text.match(UTF8_AS_LATIN1)?.length ?? 0) >= 2) return true;
  const runs = text.match(LATIN1_RUN) ?? [];
  if (runs.length >= 2 || runs.some((r) => r.length >= 8)) return true;
  return (text.match(SJIS_MOJIBAKE)?.length ?? 0) >= 3;
}

function words(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}']+/gu) ?? []
  );
}

/** Eight consecutive words of the instructions, verbatim: the model is reciting its prompt. */
function leaksInstructions(text: string, instructions: string): boolean {
  const out = words(text);
  if (out.length < LEAK_SHINGLE_WORDS) return false;
  const shingles = shinglesOf(instructions);
  for (let i = 0; i + LEAK_SHINGLE_WORDS <= out.length; i++)
    if (shingles.has(out.slice(i, i + LEAK_SHINGLE_WORDS).join(' '))) return true;
  return false;
}

// A stream is judged once per delta against the same instructions: their shingles are kept for the last one.
let lastShingles: { instructions: string; shingles: Set<string> } | undefined;

function shinglesOf(instructions: string): Set<string> {
  if (lastShingles?.instructions === instructions) return lastShingles.shingles;
  const source = words(instructions);
  const shingles = new Set<string>();
  for (let i = 0; i + LEAK_SHINGLE_WORDS <= source.length; i++)
    shingles.add(source.slice(i, i + LEAK_SHINGLE_WORDS).join(' '));
  lastShingles = { instructions, shingles };
  return shingles;
}

/**
 * A model stuck in a loop: one unit repeated five or more times in a row over a long stretch, or (whole texts)
 * most lines being copies of each other.
 */
function isDegenerate(recent: string, whole?: string): boolean {
  for (const m of recent.matchAll(REPEATED_UNIT)) {
    if (m[0].length >= MIN_REPEATED_SPAN && m[1].trim().length > 0) return true;
  }
  if (whole) {
    const lines = whole
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    if (lines.length >= 6 && new Set(lines).size * 3 <= lines.length) return true;
  }
  return false;
}

/**
 * Written in `lang`: that language is detected, or carries at least 40 % of the letters (a Japanese sentence
 * naming a Thai company in English). Names the text may quote are taken out first.
 */
function inLanguage(text: string, lang: Lang, names: readonly string[], partial: boolean): boolean {
  let rest = text.normalize('NFKC').replace(EMAIL, ' ');
  for (const name of names) if (name.trim().length >= 2) rest = rest.split(name.normalize('NFKC')).join(' ');
  const detected = detectLanguage(rest);
  if (detected.lang === lang) return true;
  if (detected.lang === 'und') return partial;
  if (partial && letterWeight(rest) < MIN_LANGUAGE_EVIDENCE) return true;
  return detected.shares[lang] >= 0.4;
}

/** Roughly how many words' worth of letters a text has (the weights language detection uses). */
function letterWeight(text: string): number {
  let w = 0;
  for (const ch of text) {
    if (/[A-Za-z]/.test(ch)) w += 0.3;
    else if (/[\u0E01-\u0E2E]/.test(ch)) w += 0.5;
    else if (/[\u3041-\u30FF\u4E00-\u9FFF]/.test(ch)) w += 1;
  }
  return w;
}
