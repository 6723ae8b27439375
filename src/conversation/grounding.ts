import { nameCore } from './understanding/rule-understanding';

/**
 * "No invented companies": every company a generated reply names must be one of the results it was given.
 * Two checks: (1) no name of any other known company appears; (2) nothing that looks like a company name
 * (株式会社…, …社, บริษัท … จำกัด, … Co., Ltd.) appears unless it is one of the results' names.
 */

export interface GroundingInput {
  text: string;
  /** Names (every language) of the companies in the results. */
  allowed: string[];
  /** Names of every other company the product knows (to catch a real but unrelated company). */
  known: Iterable<string>;
}

export interface GroundingResult {
  ok: boolean;
  /** The offending names (for tests; logs carry only the count). */
  unknown: string[];
}

// Words before 社 that are not names: 御社, 貴社, 当社, 各社, 他社, 同社, 本社, 数社, 会社, 商社, 自社, 全社, 弊社...
const NOT_A_NAME_BEFORE_SHA =
  /^(御|貴|当|弊|各|他|同|本|数|会|商|自|全|候補|提携先|候補企業|企業|関連|支|新|親|子|出版|神|結|入)$/;

const PATTERNS: RegExp[] = [
  /株式会社\s?([\p{Script=Han}\p{Script=Katakana}A-Za-z0-9・ー]{2,20})/gu,
  /([\p{Script=Han}\p{Script=Katakana}A-Za-z0-9・ー]{2,20})\s?(?:株式会社|\(株\)|（株）)/gu,
  /([\p{Script=Katakana}ー・]{2,20})社/gu,
  /บริษัท\s?([\u0E00-\u0E7FA-Za-z0-9 .&-]{2,60}?)\s?จำกัด/gu,
  /((?:[A-Z][\w&'-]*\s){0,4}[A-Z][\w&'-]*),?\s(?:Co\.|Company|Corporation|Corp\.|Inc\.|Ltd\.?|PLC|Public Company)/gu,
];

export function checkGrounding(input: GroundingInput): GroundingResult {
  const text = input.text;
  const compact = text.toLowerCase().replace(/[\s.,・·]/g, '');
  const allowedCores = input.allowed.map(nameCore).filter((c) => c.length >= 2);
  const isAllowed = (candidate: string) => {
    const core = nameCore(candidate);
    if (core.length < 2) return true;
    return allowedCores.some((a) => a.includes(core) || core.includes(a));
  };
  const unknown = new Set<string>();
  for (const name of input.known) {
    const core = nameCore(name);
    if (core.length < 3) continue;
    if (compact.includes(core) && !isAllowed(name)) unknown.add(name);
  }
  for (const pattern of PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const candidate = m[1]?.trim();
      if (!candidate) continue;
      if (pattern.source.endsWith('社') && NOT_A_NAME_BEFORE_SHA.test(candidate)) continue;
      if (!isAllowed(candidate) && !isAllowed(m[0])) unknown.add(m[0].trim());
    }
  }
  return { ok: unknown.size === 0, unknown: [...unknown] };
}
