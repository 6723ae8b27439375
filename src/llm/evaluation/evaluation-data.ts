import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Lang } from '../../config/app-config';
import type { PartnershipType } from '../../companies/company-profile.schema';

/**
 * The material `npm run eval:llm` scores a model on: the TALPCo Japanese–Thai parallel sentences, the requests of
 * the matching benchmarks (shared/eval) with the facets a reading of them must find, and a fixed set of chat
 * requests for grounded replies on the seed profiles. Everything is read from files; nothing is fetched.
 */

export class EvaluationDataError extends Error {
  override readonly name = 'EvaluationDataError';
}

export interface ParallelPair {
  id: string;
  ja: string;
  th: string;
}

function readIdLines(file: string): Map<string, string> {
  if (!fs.existsSync(file)) throw new EvaluationDataError(`${file} does not exist`);
  const out = new Map<string, string>();
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      const tab = line.indexOf('\t');
      if (tab <= 0) throw new EvaluationDataError(`${file}:${i + 1}: expected ID<TAB>sentence`);
      out.set(line.slice(0, tab).trim(), line.slice(tab + 1).trim());
    });
  return out;
}

/**
 * TALPCo (`talpco-ja.txt`, `talpco-th.txt`: `ID<TAB>sentence`), paired by ID. The Japanese side has spaces between
 * phrases (a teaching convention, not written Japanese): they are removed, or every reference would carry word
 * breaks no model writes.
 */
export function loadTalpco(dir: string): ParallelPair[] {
  const ja = readIdLines(path.join(dir, 'talpco-ja.txt'));
  const th = readIdLines(path.join(dir, 'talpco-th.txt'));
  const pairs: ParallelPair[] = [];
  for (const [id, jaText] of ja) {
    const thText = th.get(id);
    if (thText === undefined) continue;
    pairs.push({ id, ja: jaText.replace(/[\s\u3000]+/gu, ''), th: thText });
  }
  if (pairs.length === 0) throw new EvaluationDataError(`${dir}: no sentence pairs (IDs must match)`);
  return pairs;
}

/**
 * `n` items chosen by a hash of their key (the same items on every run and machine, spread over the whole set),
 * kept in their original order. All of them when `n` is undefined or at least their number.
 */
export function deterministicSample<T>(
  items: readonly T[],
  n: number | undefined,
  key: (item: T) => string,
): T[] {
  if (n === undefined || n >= items.length) return [...items];
  const rank = (item: T) =>
    createHash('sha256')
      .update(`eval-llm:${key(item)}`)
      .digest('hex');
  const chosen = new Set(
    [...items].sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0)).slice(0, n),
  );
  return items.filter((item) => chosen.has(item));
}

/** A request of a matching benchmark with what a correct reading of it finds. */
export interface UnderstandingCase {
  id: string;
  dataset: string;
  text: string;
  /** The dataset's `lang`: the language the subject must be written in (the prompt asks for the user's words). */
  lang: Lang;
  /** The other side of the dataset's `seekerCountry` (the README: "unless the query says otherwise"). */
  targetCountry: 'JP' | 'TH';
  /** Whether the request names that country; when it does not, leaving `country` empty is right too. */
  namesCountry: boolean;
  /** Hand label: the province the request names, as an English place name (undefined: none). */
  province?: string;
  /** Hand label: the partnership type asked for; null: none asked; undefined: ambiguous, not scored. */
  partnership: PartnershipType | null | undefined;
}

/**
 * Facets added by hand (documented in docs/llm.md). Provinces: the three requests the sme-dev README says are
 * limited to a province. Partnerships: OEM where the request says OEM; requests whose wish is real but has no
 * single type in the product's list (提携/協業/組みたい, 請け負う, "want to expand here") are not scored.
 */
const PROVINCES: Record<string, string> = {
  'sme-ja-machining-chonburi': 'Chonburi',
  'sme-en-logistics-chonburi': 'Chonburi',
  'sme-ja-hotel-phuket': 'Phuket',
};
const PARTNERSHIPS: Record<string, PartnershipType | undefined> = {
  'sme-ja-cosmetics': 'oem',
  'sme-en-autoparts-oem': 'oem',
  'sme-ja-cosmetics-oem': 'oem',
  'dev-ja-food': undefined,
  'dev-ja-ict': undefined,
  'dev-ja-property': undefined,
  'dev-th-retail': undefined,
  'sme-ja-machining': undefined,
  'sme-ja-machining-chonburi': undefined,
};

/** Words that name Japan or Thailand in a request (the prompt fills `country` only when one is named). */
const COUNTRY_WORDS = /タイ|日本|thai|japan|ไทย|ญี่ปุ่น/iu;

interface DatasetQueries {
  name: string;
  queries: Array<{ id: string; lang: Lang; seekerCountry: 'JP' | 'TH'; text: string }>;
}

export function loadUnderstandingCases(files: readonly string[]): UnderstandingCase[] {
  const out: UnderstandingCase[] = [];
  for (const file of files) {
    if (!fs.existsSync(file)) throw new EvaluationDataError(`${file} does not exist`);
    let dataset: DatasetQueries;
    try {
      dataset = JSON.parse(fs.readFileSync(file, 'utf8')) as DatasetQueries;
    } catch (err) {
      throw new EvaluationDataError(`${file}: not valid JSON (${(err as Error).message})`);
    }
    if (!Array.isArray(dataset.queries)) throw new EvaluationDataError(`${file}: no "queries" array`);
    for (const q of dataset.queries) {
      out.push({
        id: q.id,
        dataset: dataset.name,
        text: q.text,
        lang: q.lang,
        targetCountry: q.seekerCountry === 'JP' ? 'TH' : 'JP',
        namesCountry: COUNTRY_WORDS.test(q.text),
        province: PROVINCES[q.id],
        partnership: q.id in PARTNERSHIPS ? PARTNERSHIPS[q.id] : null,
      });
    }
  }
  return out;
}

/**
 * Chat requests for grounded replies, written for the fictional seed profiles (seeds/companies) so each finds
 * results on the other side: in Japanese, Thai and English, from both countries.
 */
export interface ReplyRequest {
  id: string;
  lang: Lang;
  text: string;
}

export const REPLY_REQUESTS: readonly ReplyRequest[] = [
  { id: 'ja-autoparts', lang: 'ja', text: 'タイで自動車部品のプレス加工ができる会社を探しています' },
  { id: 'ja-food-machinery', lang: 'ja', text: '食品加工機械を扱うタイの販売代理店を探しています' },
  { id: 'ja-garment-oem', lang: 'ja', text: 'タイでアパレルのOEM生産を頼める工場を紹介してください' },
  { id: 'ja-cold-chain', lang: 'ja', text: 'タイで冷凍食品のコールドチェーン物流の会社を探しています' },
  { id: 'th-food-machinery', lang: 'th', text: 'กำลังหาผู้ผลิตเครื่องจักรแปรรูปอาหารจากญี่ปุ่น' },
  { id: 'th-factory-software', lang: 'th', text: 'อยากหาบริษัทซอฟต์แวร์ญี่ปุ่นที่ทำระบบสำหรับโรงงาน' },
  { id: 'th-cosmetics', lang: 'th', text: 'หาบริษัทเครื่องสำอางญี่ปุ่นที่ต้องการตัวแทนจำหน่ายในไทย' },
  { id: 'th-machine-tools', lang: 'th', text: 'ต้องการซื้อเครื่องกลึงซีเอ็นซีจากผู้ผลิตญี่ปุ่น' },
  { id: 'en-plastic', lang: 'en', text: 'Thai plastic injection moulding companies for appliance parts' },
  { id: 'en-seafood', lang: 'en', text: 'Looking for a Thai frozen seafood processor for OEM production' },
  { id: 'en-solar', lang: 'en', text: 'Japanese makers of solar inverters and EV chargers' },
  { id: 'en-packaging', lang: 'en', text: 'Japanese food packaging film manufacturers' },
];
