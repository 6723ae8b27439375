import { normalizeText } from './normalize';

/*
 * Words that carry no business meaning for retrieval. Besides function words, this includes request filler
 * ("looking for", "อยากหา", "探しています") and words that are generic in THIS domain: every profile is a
 * company looking for a partner, so "company", "บริษัท", "会社", legal-form words (Ltd, จำกัด, 株式会社) and
 * "partner" match everything and only dilute ranking.
 *
 * "it" is NOT a stop word: after lowercasing it cannot be told from "IT", a real industry.
 *
 * Country names (Japan, ไทย, タイ) are deliberately NOT stop words: they are part of many company names
 * (การบินไทย, 日本製鉄) and the matching layer may use them as filters.
 *
 * Entries are run through normalizeText at load, so they match segmentWords output; fragments that ICU's
 * segmenter produces from inflected Japanese ("てい", "くだ", "さい", "した") are listed on purpose.
 */

// prettier-ignore
const JA = [
  // particles and copulas (single hiragana ones are also dropped by keywordTokens' 1-character rule)
  'の', 'は', 'が', 'を', 'に', 'で', 'と', 'も', 'へ', 'や', 'か', 'ね', 'よ', 'な', 'から', 'まで', 'より',
  'など', 'って', 'という', 'について', 'として', 'ので', 'のに', 'けど', 'けれど', 'でも', 'ですが',
  'です', 'でした', 'でしょう', 'だ', 'だっ', 'だけ', 'ます', 'ました', 'ません', 'ない', 'なかっ',
  // auxiliary and light verbs, and the fragments ICU cuts them into
  'いる', 'い', 'ある', 'あり', 'する', 'し', 'して', 'した', 'したい', 'しま', 'され', 'れる', 'られ',
  'てい', 'ている', 'ていた', 'たい', 'たく', 'ほしい', 'なる', 'なり', 'できる', 'でき', 'おり', 'おります',
  // requests and politeness
  'ください', 'くだ', 'さい', '下さい', 'お願い', 'おねがい', 'よろしく', 'いただけ', 'いただき', 'いたし',
  'ありがとう', 'ござい', 'ございます', 'こんにちは', 'すみません',
  'さん', '様', '弊社', '御社', '貴社', '私', '私たち', 'わたし', '我々',
  // search intent
  '探し', '探す', '探', 'さがし', '見つけ', 'つけ', '教え', '希望', '検索',
  // demonstratives and question words
  'これ', 'それ', 'あれ', 'この', 'その', 'あの', 'ここ', 'そこ', 'どこ', 'どう', 'どの', '何', 'なに',
  'こと', 'もの', 'ため', 'よう', 'ような', 'ほう',
  // generic in this domain, and legal forms
  '会社', '企業', '株式会社', '株式', '有限会社', '合同会社', '株', '社', '法人', 'グループ',
  'パートナー', '提携', 'ビジネス', '事業', '業', '品', '用', '的', '等',
];

// prettier-ignore
const TH = [
  // function words
  'ที่', 'และ', 'ของ', 'ใน', 'การ', 'ความ', 'เป็น', 'มี', 'ได้', 'ให้', 'กับ', 'จาก', 'โดย', 'หรือ', 'แต่',
  'ซึ่ง', 'จะ', 'ไป', 'มา', 'ว่า', 'ก็', 'กัน', 'แล้ว', 'ยัง', 'อยู่', 'ด้วย', 'เพื่อ', 'ต่อ', 'ถึง', 'แบบ',
  'อย่าง', 'นี้', 'นั้น', 'นั่น', 'คือ', 'เคย', 'ไม่', 'ใช่', 'ทุก', 'หลาย', 'บาง', 'อื่น', 'อื่นๆ', 'ๆ', 'ฯ',
  'ณ', 'เกี่ยวกับ', 'สำหรับ', 'ตาม', 'ผู้', // "ผู้" (person who) is a prefix fragment: ผู้|ผลิต
  // pronouns, particles, politeness
  'ผม', 'ดิฉัน', 'ฉัน', 'เรา', 'คุณ', 'ท่าน', 'เขา', 'ครับ', 'ค่ะ', 'คะ', 'ค่า', 'นะ', 'จ้ะ', 'จ้า',
  'ครับผม', 'สวัสดี', 'ขอบคุณ', 'ไหม', 'มั้ย', 'บ้าง', 'อะไร', 'ไหน', 'ที่ไหน', 'หน่อย', 'ช่วย', 'ขอ',
  // search intent
  'หา', 'ค้นหา', 'ตามหา', 'อยาก', 'ต้องการ', 'สนใจ', 'แนะนำ', 'รู้จัก', 'ทำ',
  // generic in this domain, and legal forms
  'บริษัท', 'จำกัด', 'มหาชน', 'บมจ', 'หจก', 'ห้างหุ้นส่วน', 'องค์กร', 'ธุรกิจ', 'กิจการ', 'พันธมิตร',
  'คู่ค้า',
];

// prettier-ignore
const EN = [
  'a', 'an', 'the', 'and', 'or', 'but', 'nor', 'of', 'in', 'on', 'at', 'to', 'for', 'from', 'by', 'with',
  'about', 'as', 'into', 'over', 'under', 'up', 'down', 'out', 'off', 'than', 'then', 'so', 'if', 'because',
  'while', 'until', 'also', 'too', 'very', 'just', 'only', 'both', 'each', 'few', 'more', 'most', 'other',
  'some', 'such', 'no', 'not', 'own', 'same', 'again', 'further', 'once', 'here', 'there', 'all', 'any',
  'is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', 'do', 'does', 'did', 'doing', 'have', 'has',
  'had', 'having', 'can', 'could', 'will', 'would', 'should', 'may', 'might', 'must', 'shall',
  'i', 'me', 'my', 'we', 'our', 'us', 'you', 'your', 'he', 'him', 'his', 'she', 'her', 'its', 'they',
  'them', 'their', 'this', 'that', 'these', 'those', 'what', 'which', 'who', 'whom', 'where', 'when', 'why',
  'how', "i'm", "we're", "i'd", "we'd", 'e.g', 'etc', 'like', 'please', 'hi', 'hello', 'thanks', 'thank',
  // search intent
  'looking', 'look', 'find', 'finding', 'search', 'searching', 'seek', 'seeking', 'want', 'wants', 'need',
  'needs', 'interested', 'recommend', 'introduce', 'help', 'show',
  // generic in this domain, and legal forms
  'company', 'companies', 'firm', 'firms', 'business', 'businesses', 'corporation', 'corp', 'inc', 'ltd',
  'co', 'plc', 'llc', 'limited', 'public', 'kk', 'partner', 'partners',
];

function normalisedSet(words: readonly string[]): ReadonlySet<string> {
  return new Set(words.map(normalizeText));
}

export const STOP_WORDS: Record<'ja' | 'th' | 'en', ReadonlySet<string>> = {
  ja: normalisedSet(JA),
  th: normalisedSet(TH),
  en: normalisedSet(EN),
};

// The three scripts are disjoint, so one union set answers "is this a stop word in any language".
const ALL_STOP_WORDS: ReadonlySet<string> = new Set([...STOP_WORDS.ja, ...STOP_WORDS.th, ...STOP_WORDS.en]);

/** For tokens that segmentWords produced (already normalised). */
export function isNormalisedStopWord(token: string): boolean {
  return ALL_STOP_WORDS.has(token);
}

/** Accepts raw input too ("Company", "ＣＯ"): normalised before the lookup when it is not already. */
export function isStopWord(token: string): boolean {
  return ALL_STOP_WORDS.has(token) || ALL_STOP_WORDS.has(normalizeText(token));
}
