import type { Lang } from '../config/app-config';
import type { AppliedTerm } from '../glossary/glossary-matcher';
import { containsForm, normalizeForMatch } from '../glossary/glossary-matcher';
import { detectLanguage } from '../language';
import type { AnswerVerdict } from '../llm/llm.types';
import { checkModelText } from '../llm/output-guard';

/**
 * Checks a translation against its source: every glossary term in the source appears in its target form;
 * every number, amount, date, unit, e-mail address and URL survives; the output is in the target language.
 * A model may rewrite a value's form (1億円 → 100 million yen, 2024年4月1日 → April 1, 2024, 2567 in the
 * Buddhist era), so values are compared, not strings.
 */
export type ViolationKind =
  'glossary' | 'number' | 'date' | 'unit' | 'email' | 'url' | 'language' | 'empty' | 'truncated' | 'garbage';

/**
 * Violations that mean the output is not a translation at all (nothing, another language, garbage): never
 * cached, and the relay does not deliver it. The others (a term's form, a number, a cut-off end) leave a
 * translation worth reading with a warning.
 */
export const UNUSABLE_VIOLATIONS: ReadonlySet<ViolationKind> = new Set(['empty', 'language', 'garbage']);

export function isUnusable(violations: readonly Violation[]): boolean {
  return violations.some((v) => UNUSABLE_VIOLATIONS.has(v.kind));
}

/**
 * What a checked translation says about the model's endpoint (its circuit breaker). Nothing, or garbage (control
 * characters, mojibake, template tokens): the endpoint is broken, and a few such answers in a row should open its
 * circuit as a few 500s would. Another language, or no letters: unusable, but possibly this text's fault (a
 * message that is only a product code), so it counts neither against the endpoint nor for it. A wrong term form or
 * a dropped number: the model works.
 */
export function translationVerdict(violations: readonly Violation[]): AnswerVerdict {
  if (violations.some((v) => v.kind === 'garbage' || v.kind === 'empty')) return 'garbage';
  return isUnusable(violations) ? 'invalid' : 'ok';
}

export interface Violation {
  kind: ViolationKind;
  /** What the translation should contain (a term's target form, a value, a unit, an address). */
  expected: string;
  message: string;
}

export function checkTranslation(
  source: string,
  output: string,
  to: Lang,
  applied: readonly AppliedTerm[],
): Violation[] {
  const violations: Violation[] = [];
  if (!output.trim()) return [{ kind: 'empty', expected: '', message: 'the translation is empty' }];
  // Control characters, mojibake, chat-template tokens, a loop, far longer than the source: unless the source
  // itself looks like that, the model answered garbage.
  const limits = { maxChars: [...source].length * 4 + 200 };
  const garbage = checkModelText(output, limits);
  if (garbage && garbage !== checkModelText(source, limits)) {
    violations.push({
      kind: 'garbage',
      expected: '',
      message: `the output is not a usable translation (${garbage}): write only the translated text`,
    });
  }
  const src = prepare(source);
  const out = prepare(output);

  const normalizedOut = normalizeForMatch(output);
  for (const term of applied) {
    if (!containsForm(normalizedOut, term.target)) {
      violations.push({
        kind: 'glossary',
        expected: term.target,
        message: term.doNotTranslate
          ? `"${term.target}" must be kept as written`
          : `"${term.source}" must be translated as "${term.target}"`,
      });
    }
  }
  for (const email of src.emails) {
    if (!out.emails.includes(email))
      violations.push({ kind: 'email', expected: email, message: `the e-mail address ${email} is missing` });
  }
  for (const url of src.urls) {
    if (!out.urls.some((u) => u === url || u.replace(/\/$/, '') === url.replace(/\/$/, '')))
      violations.push({ kind: 'url', expected: url, message: `the URL ${url} is missing` });
  }
  for (const date of src.dates) {
    if (!out.dates.some((d) => sameDate(date, d)))
      violations.push({
        kind: 'date',
        expected: date.text,
        message: `the date ${date.text} is missing or changed`,
      });
  }
  const outValues = [...out.numbers.flatMap((n) => n.candidates), ...out.numberWords];
  for (const n of src.numbers) {
    // A bare year may be written in the Buddhist era in Thai (2024 → 2567).
    const isYear = Number.isInteger(n.value) && n.value >= 1800 && n.value <= 2700;
    if (!outValues.some((v) => close(v, n.value) || (isYear && Math.abs(v - n.value) === 543)))
      violations.push({
        kind: 'number',
        expected: n.text,
        message: `the number ${n.text} is missing or changed`,
      });
  }
  for (const unit of new Set(src.units)) {
    if (!out.units.includes(unit))
      violations.push({
        kind: 'unit',
        expected: unit,
        message: `the unit ${UNIT_NAMES[unit] ?? unit} is missing`,
      });
  }
  const lang = outputLanguageProblem(output, to, applied);
  if (lang) violations.push(lang);
  else if (detectLanguage(output).lang === 'und' && detectLanguage(source).lang !== 'und') {
    // Words in, not a single letter out ("}}{{ ]]").
    violations.push({
      kind: 'language',
      expected: to,
      message: `the translation must be written in ${LANG_NAMES[to]} (it has no words)`,
    });
  }
  return violations;
}

/** The violations as a correction note for the retry prompt. */
/**
 * The problems of a first answer, one per line, for the second attempt's prompt. They quote the text and the
 * request's own glossary terms, so the prompt fences them as data; "(none)" on a first attempt.
 */
export function correctionsFor(violations: readonly Violation[]): string {
  if (violations.length === 0) return '(none)';
  return violations.map((v) => `- ${v.message}`).join('\n');
}

function outputLanguageProblem(
  output: string,
  to: Lang,
  applied: readonly AppliedTerm[],
): Violation | undefined {
  let text = output.normalize('NFKC').replace(EMAIL, ' ').replace(URL_RE, ' ');
  // Kept names (brands, companies) are written in their own script: they say nothing about the language.
  for (const t of applied) if (t.doNotTranslate) text = text.split(t.target.normalize('NFKC')).join(' ');
  const detected = detectLanguage(text);
  if (detected.lang === 'und' || detected.lang === to) return undefined;
  if (detected.shares[to] >= 0.4) return undefined;
  return {
    kind: 'language',
    expected: to,
    message: `the translation must be written in ${LANG_NAMES[to]} (it looks like ${LANG_NAMES[detected.lang]})`,
  };
}

export const LANG_NAMES: Record<string, string> = {
  ja: 'Japanese',
  th: 'Thai',
  en: 'English',
  und: 'no language',
};

// ---- extraction ---------------------------------------------------------------------------------------------

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const URL_RE = /\bhttps?:\/\/[^\s<>"'）)\]、。]+|\bwww\.[^\s<>"'）)\]、。]+/g;

interface Prepared {
  emails: string[];
  urls: string[];
  dates: DateValue[];
  numbers: NumberValue[];
  /** Values of number words (one, สอง, 三): a translation may spell out a small number. */
  numberWords: number[];
  units: string[];
}

interface NumberValue {
  text: string;
  value: number;
  /** The values this occurrence can stand for: with and without its multiplier (1億 ≈ 100000000 or 1). */
  candidates: number[];
}

interface DateValue {
  text: string;
  year?: number;
  month: number;
  day?: number;
  /** D/M/Y vs M/D/Y cannot be told apart: the swapped reading also counts. */
  swappable?: boolean;
}

function prepare(raw: string): Prepared {
  // Thai digits → ASCII; NFKC turns full-width digits, ㎡ and ℃ into plain forms.
  let text = raw.normalize('NFKC').replace(/[๐-๙]/g, (d) => String(d.charCodeAt(0) - 0x0e50));
  const emails = (text.match(EMAIL) ?? []).map((e) => e.toLowerCase());
  text = text.replace(EMAIL, ' ');
  const urls = (text.match(URL_RE) ?? []).map((u) => u.replace(/[.,;:!?]+$/, ''));
  text = text.replace(URL_RE, ' ');
  const { dates, rest } = extractDates(text);
  const units = extractUnits(rest);
  const numbers = extractNumbers(rest);
  return { emails, urls, dates, numbers, numberWords: numberWords(rest), units };
}

const MULTIPLIERS: Record<string, number> = {
  千: 1e3,
  万: 1e4,
  億: 1e8,
  兆: 1e12,
  พัน: 1e3,
  หมื่น: 1e4,
  แสน: 1e5,
  ล้าน: 1e6,
  thousand: 1e3,
  million: 1e6,
  billion: 1e9,
  trillion: 1e12,
  k: 1e3,
  mn: 1e6,
  bn: 1e9,
};
const MULT_RE = '(?:千|万|億|兆|พัน|หมื่น|แสน|ล้าน|thousand|million|billion|trillion|bn|mn|k(?![a-z]))';
const NUM_RE = '\\d+(?:[,，]\\d{3})*(?:\\.\\d+)?';
// A compound amount: 1億2000万, 1 ล้าน 2 แสน, 3.5 million.
const AMOUNT = new RegExp(
  `(?:${NUM_RE})(?:\\s?${MULT_RE}(?:\\s?(?:${NUM_RE})\\s?${MULT_RE})*(?:\\s?${NUM_RE}(?!\\s?${MULT_RE}))?)?`,
  'gi',
);
const PART = new RegExp(`(${NUM_RE})\\s?(${MULT_RE})?`, 'gi');

function extractNumbers(text: string): NumberValue[] {
  const out: NumberValue[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    let total = 0;
    const candidates: number[] = [];
    for (const p of m[0].matchAll(PART)) {
      const raw = Number(p[1].replace(/[,，]/g, ''));
      const mult = p[2] ? (MULTIPLIERS[p[2].toLowerCase()] ?? 1) : 1;
      total += raw * mult;
      candidates.push(raw, raw * mult);
    }
    candidates.push(total);
    out.push({ text: m[0].trim(), value: total, candidates });
  }
  return out;
}

const WORDS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twelve: 12,
  twenty: 20,
  hundred: 100,
  dozen: 12,
  first: 1,
  second: 2,
  third: 3,
  single: 1,
  double: 2,
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
  百: 100,
  หนึ่ง: 1,
  สอง: 2,
  สาม: 3,
  สี่: 4,
  ห้า: 5,
  หก: 6,
  เจ็ด: 7,
  แปด: 8,
  เก้า: 9,
  สิบ: 10,
  ร้อย: 100,
  เดียว: 1,
};

function numberWords(text: string): number[] {
  const lower = text.toLowerCase();
  const out: number[] = [];
  for (const [word, value] of Object.entries(WORDS)) {
    const found = /^[a-z]+$/.test(word) ? new RegExp(`\\b${word}\\b`).test(lower) : lower.includes(word);
    if (found) out.push(value);
  }
  return out;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

// ---- dates ----------------------------------------------------------------------------------------------------

const EN_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const TH_MONTHS = [
  ['มกราคม', 'ม.ค.'],
  ['กุมภาพันธ์', 'ก.พ.'],
  ['มีนาคม', 'มี.ค.'],
  ['เมษายน', 'เม.ย.'],
  ['พฤษภาคม', 'พ.ค.'],
  ['มิถุนายน', 'มิ.ย.'],
  ['กรกฎาคม', 'ก.ค.'],
  ['สิงหาคม', 'ส.ค.'],
  ['กันยายน', 'ก.ย.'],
  ['ตุลาคม', 'ต.ค.'],
  ['พฤศจิกายน', 'พ.ย.'],
  ['ธันวาคม', 'ธ.ค.'],
];
const EN_MONTH_RE =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const TH_MONTH_RE = `(${TH_MONTHS.flat()
  .map((m) => m.replace(/\./g, '\\.'))
  .join('|')})`;

const thMonth = (s: string) => TH_MONTHS.findIndex((names) => names.includes(s)) + 1;
const enMonth = (s: string) => EN_MONTHS.indexOf(s.toLowerCase().slice(0, 3)) + 1;
const year = (s: string | undefined) => (s ? Number(s) : undefined);

const DATE_PATTERNS: Array<{ re: RegExp; parse: (m: RegExpMatchArray) => Omit<DateValue, 'text'> }> = [
  {
    re: /(令和|平成)(\d{1,2}|元)年\s?(\d{1,2})月(?:\s?(\d{1,2})日)?/g,
    parse: (m) => ({
      year: (m[2] === '元' ? 1 : Number(m[2])) + (m[1] === '令和' ? 2018 : 1988),
      month: Number(m[3]),
      day: year(m[4]),
    }),
  },
  {
    re: /(\d{4})年\s?(\d{1,2})月(?:\s?(\d{1,2})日)?/g,
    parse: (m) => ({ year: Number(m[1]), month: Number(m[2]), day: year(m[3]) }),
  },
  { re: /(\d{1,2})月\s?(\d{1,2})日/g, parse: (m) => ({ month: Number(m[1]), day: Number(m[2]) }) },
  {
    re: /\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/g,
    parse: (m) => ({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }),
  },
  {
    re: /\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b/g,
    parse: (m) => ({ year: Number(m[3]), month: Number(m[2]), day: Number(m[1]), swappable: true }),
  },
  {
    re: new RegExp(`\\b${EN_MONTH_RE}\\s+(\\d{1,2})(?!\\d)(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?`, 'gi'),
    parse: (m) => ({ month: enMonth(m[1]), day: Number(m[2]), year: year(m[3]) }),
  },
  {
    re: new RegExp(
      `\\b(\\d{1,2})(?!\\d)(?:st|nd|rd|th)?\\s+(?:of\\s+)?${EN_MONTH_RE}(?:,?\\s+(\\d{4}))?`,
      'gi',
    ),
    parse: (m) => ({ day: Number(m[1]), month: enMonth(m[2]), year: year(m[3]) }),
  },
  {
    re: new RegExp(`(\\d{1,2})\\s*${TH_MONTH_RE}\\s*(?:(?:พ\\.ศ\\.|ค\\.ศ\\.)\\s*)?(\\d{4})?`, 'g'),
    parse: (m) => ({ day: Number(m[1]), month: thMonth(m[2]), year: year(m[3]) }),
  },
  {
    re: new RegExp(`${EN_MONTH_RE}\\s+(\\d{4})\\b`, 'gi'),
    parse: (m) => ({ month: enMonth(m[1]), year: Number(m[2]) }),
  },
];

function extractDates(text: string): { dates: DateValue[]; rest: string } {
  const dates: DateValue[] = [];
  let rest = text;
  for (const { re, parse } of DATE_PATTERNS) {
    rest = rest.replace(re, (...args: unknown[]) => {
      const m = args.slice(0, -2) as unknown as RegExpMatchArray;
      const d = parse(m);
      if (d.month < 1 || d.month > 12 || (d.day !== undefined && (d.day < 1 || d.day > 31))) {
        if (!(d.swappable && d.day !== undefined && d.day >= 1 && d.day <= 12)) return m[0];
      }
      dates.push({ text: m[0].trim(), ...d });
      return ' ';
    });
  }
  return { dates, rest };
}

function sameDate(a: DateValue, b: DateValue): boolean {
  const readings = (d: DateValue) =>
    d.swappable && d.day !== undefined ? [d, { ...d, month: d.day, day: d.month }] : [d];
  return readings(a).some((x) =>
    readings(b).some(
      (y) =>
        x.month === y.month &&
        (x.day === undefined || y.day === undefined || x.day === y.day) &&
        (x.year === undefined || y.year === undefined || sameYear(x.year, y.year)),
    ),
  );
}

/** Thai dates use the Buddhist era (2024 CE = 2567 BE). */
const sameYear = (a: number, b: number) => a === b || Math.abs(a - b) === 543;

// ---- units ------------------------------------------------------------------------------------------------------

const UNIT_FORMS: Array<[string, string[]]> = [
  ['JPY', ['円', 'yen', 'jpy', '¥', '￥', 'เยน']],
  ['THB', ['บาท', 'baht', 'thb', '฿', 'バーツ']],
  ['USD', ['usd', 'us$', '$', 'dollars', 'dollar', 'ドル', 'ดอลลาร์']],
  ['%', ['%', 'percent', 'パーセント', 'เปอร์เซ็นต์']],
  ['°C', ['°c', 'องศาเซลเซียส', 'degrees celsius']],
  ['m2', ['m2', 'm²', 'sqm', 'square meters', 'square metres', '平方メートル', 'ตารางเมตร', 'ตร.ม.']],
  ['kg', ['kg', 'kgs', 'kilograms', 'kilogram', 'キログラム', 'キロ', 'กิโลกรัม', 'กก.', 'กก']],
  ['km', ['km', 'kilometers', 'kilometres', 'キロメートル', 'กิโลเมตร', 'กม.']],
  ['mm', ['mm', 'millimeters', 'millimetres', 'ミリメートル', 'ミリ', 'มิลลิเมตร', 'มม.']],
  ['cm', ['cm', 'centimeters', 'centimetres', 'センチメートル', 'センチ', 'เซนติเมตร', 'ซม.']],
  ['t', ['tons', 'ton', 'tonnes', 'tonne', 'トン', 'ตัน', 't']],
  ['m', ['meters', 'metres', 'meter', 'metre', 'メートル', 'เมตร', 'm']],
  ['L', ['liters', 'litres', 'liter', 'litre', 'リットル', 'ลิตร', 'l']],
  ['g', ['grams', 'gram', 'グラム', 'กรัม', 'g']],
];
export const UNIT_NAMES: Record<string, string> = {
  JPY: 'yen',
  THB: 'baht',
  USD: 'US dollars',
  '%': 'percent',
  '°C': '°C',
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const UNIT_LOOKUP = new Map<string, string>();
for (const [canonical, forms] of UNIT_FORMS) for (const f of forms) UNIT_LOOKUP.set(f, canonical);
const ALL_FORMS = [...UNIT_LOOKUP.keys()]
  .sort((a, b) => b.length - a.length)
  .map(escape)
  .join('|');
// A unit right after a number (and its multiplier), not followed by more letters: "5 kg", "1億円", "10%".
const UNIT_AFTER = new RegExp(`\\d(?:\\s?${MULT_RE})?\\s?(${ALL_FORMS})(?![a-z])`, 'gi');
// Currency signs before a number: "¥1,000", "฿500", "US$30".
const UNIT_BEFORE = /(us\$|\$|¥|￥|฿)\s?\d/gi;

function extractUnits(text: string): string[] {
  const units: string[] = [];
  for (const m of text.matchAll(UNIT_AFTER)) {
    const u = UNIT_LOOKUP.get(m[1].toLowerCase());
    if (u) units.push(u);
  }
  for (const m of text.matchAll(UNIT_BEFORE)) {
    const u = UNIT_LOOKUP.get(m[1].toLowerCase());
    if (u) units.push(u);
  }
  return units;
}
