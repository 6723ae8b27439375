import type { Lang, PartnershipType } from '../../companies/company-profile.schema';

/**
 * The words of the rule-based understanding, in Japanese, Thai and English. Business concepts (industries,
 * products, regions) come from the matching lexicon; this file holds what the lexicon does not: chat commands,
 * partnership types as people say them, and a fallback list of common places for when the lexicon has none.
 * Texts are compared after NFKC normalisation and lower-casing.
 */

/** Partnership types as people write them. Longer and more specific phrases first. */
export const PARTNERSHIP_WORDS: Array<[PartnershipType, RegExp]> = [
  ['technology_transfer', /technology transfer|tech(nical)? transfer|技術移転|技術提携|ถ่ายทอดเทคโนโลยี/],
  ['joint_venture', /joint[- ]venture|\bjv\b|合弁|ジョイントベンチャー|ร่วมทุน|จอยท์เวนเจอร์/],
  [
    'distributor',
    /distribut|reseller|販売代理店|代理店|販売店|ディストリビューター|卸|ตัวแทนจำหน่าย|ผู้จัดจำหน่าย|ผู้แทนจำหน่าย/,
  ],
  ['oem', /\boem\b|\bodm\b|contract manufactur|受託製造|受託生産|委託生産|oem生産|รับจ้างผลิต|ผู้รับจ้างผลิต/],
  ['outsourcing', /outsourc|外注|業務委託|アウトソーシング|เอาท์ซอร์ส|จ้างเหมา|ว่าจ้างภายนอก/],
  ['licensing', /licens|ライセンス|ไลเซนส์|ใบอนุญาตใช้สิทธิ์|สิทธิ์การผลิต/],
  ['investment', /invest|出資|投資|ลงทุน|นักลงทุน/],
  ['buyer', /\bbuyers?\b|importer|バイヤー|輸入業者|買い手|ผู้ซื้อ|ผู้นำเข้า/],
  ['supplier', /supplier|vendor|仕入先|仕入れ先|サプライヤー|調達先|ซัพพลายเออร์|ผู้จัดหา|ผู้ส่งมอบ/],
  ['agent', /sales agent|\bagents?\b|エージェント|代理人|นายหน้า|ตัวแทนขาย/],
];

export function partnershipIn(text: string): PartnershipType | undefined {
  return PARTNERSHIP_WORDS.find(([, re]) => re.test(text))?.[0];
}

/**
 * Common places, used only when the lexicon has no region concepts: enough for "Bangkok area" to narrow a
 * search. Each entry: the names a location field may contain, in every language, and what users type.
 */
export interface Place {
  id: string;
  label: Record<Lang, string>;
  country: 'JP' | 'TH';
  names: string[];
}

export const PLACES: Place[] = [
  {
    id: 'bangkok',
    label: { ja: 'バンコク', th: 'กรุงเทพฯ', en: 'Bangkok' },
    country: 'TH',
    names: ['bangkok', 'バンコク', 'กรุงเทพ', 'กทม'],
  },
  {
    id: 'chonburi',
    label: { ja: 'チョンブリ', th: 'ชลบุรี', en: 'Chonburi' },
    country: 'TH',
    names: [
      'chonburi',
      'chon buri',
      'チョンブリ',
      'ชลบุรี',
      'laem chabang',
      'レムチャバン',
      'แหลมฉบัง',
      'si racha',
      'シラチャ',
      'ศรีราชา',
    ],
  },
  {
    id: 'rayong',
    label: { ja: 'ラヨーン', th: 'ระยอง', en: 'Rayong' },
    country: 'TH',
    names: ['rayong', 'ラヨーン', 'ระยอง'],
  },
  {
    id: 'eec',
    label: { ja: '東部経済回廊（EEC）', th: 'EEC', en: 'EEC' },
    country: 'TH',
    names: ['eec', 'eastern economic corridor', '東部経済回廊', 'ระเบียงเศรษฐกิจพิเศษภาคตะวันออก'],
  },
  {
    id: 'ayutthaya',
    label: { ja: 'アユタヤ', th: 'อยุธยา', en: 'Ayutthaya' },
    country: 'TH',
    names: ['ayutthaya', 'アユタヤ', 'อยุธยา'],
  },
  {
    id: 'samut_prakan',
    label: { ja: 'サムットプラカーン', th: 'สมุทรปราการ', en: 'Samut Prakan' },
    country: 'TH',
    names: ['samut prakan', 'サムットプラカーン', 'สมุทรปราการ'],
  },
  {
    id: 'samut_sakhon',
    label: { ja: 'サムットサコーン', th: 'สมุทรสาคร', en: 'Samut Sakhon' },
    country: 'TH',
    names: ['samut sakhon', 'サムットサコーン', 'สมุทรสาคร'],
  },
  {
    id: 'pathum_thani',
    label: { ja: 'パトゥムタニ', th: 'ปทุมธานี', en: 'Pathum Thani' },
    country: 'TH',
    names: ['pathum thani', 'パトゥムタニ', 'ปทุมธานี'],
  },
  {
    id: 'chiang_mai',
    label: { ja: 'チェンマイ', th: 'เชียงใหม่', en: 'Chiang Mai' },
    country: 'TH',
    names: ['chiang mai', 'チェンマイ', 'เชียงใหม่'],
  },
  {
    id: 'chachoengsao',
    label: { ja: 'チャチュンサオ', th: 'ฉะเชิงเทรา', en: 'Chachoengsao' },
    country: 'TH',
    names: ['chachoengsao', 'チャチュンサオ', 'ฉะเชิงเทรา'],
  },
  {
    id: 'tokyo',
    label: { ja: '東京', th: 'โตเกียว', en: 'Tokyo' },
    country: 'JP',
    names: ['tokyo', '東京', 'โตเกียว'],
  },
  {
    id: 'osaka',
    label: { ja: '大阪', th: 'โอซากา', en: 'Osaka' },
    country: 'JP',
    names: ['osaka', '大阪', 'โอซาก้า', 'โอซากา'],
  },
  {
    id: 'aichi',
    label: { ja: '愛知', th: 'ไอจิ', en: 'Aichi' },
    country: 'JP',
    names: ['aichi', '愛知', 'ไอจิ', 'nagoya', '名古屋', 'นาโกย่า', 'นาโงยา'],
  },
  {
    id: 'kanagawa',
    label: { ja: '神奈川', th: 'คานางาวะ', en: 'Kanagawa' },
    country: 'JP',
    names: ['kanagawa', '神奈川', 'คานางาวะ', 'yokohama', '横浜', 'โยโกฮามา'],
  },
  {
    id: 'fukuoka',
    label: { ja: '福岡', th: 'ฟุกุโอกะ', en: 'Fukuoka' },
    country: 'JP',
    names: ['fukuoka', '福岡', 'ฟุกุโอกะ'],
  },
  {
    id: 'hokkaido',
    label: { ja: '北海道', th: 'ฮอกไกโด', en: 'Hokkaido' },
    country: 'JP',
    names: ['hokkaido', '北海道', 'ฮอกไกโด'],
  },
  {
    id: 'kyoto',
    label: { ja: '京都', th: 'เกียวโต', en: 'Kyoto' },
    country: 'JP',
    names: ['kyoto', '京都', 'เกียวโต'],
  },
  {
    id: 'shizuoka',
    label: { ja: '静岡', th: 'ชิซูโอกะ', en: 'Shizuoka' },
    country: 'JP',
    names: ['shizuoka', '静岡', 'ชิซูโอกะ'],
  },
  {
    id: 'saitama',
    label: { ja: '埼玉', th: 'ไซตามะ', en: 'Saitama' },
    country: 'JP',
    names: ['saitama', '埼玉', 'ไซตามะ'],
  },
  {
    id: 'niigata',
    label: { ja: '新潟', th: 'นีงาตะ', en: 'Niigata' },
    country: 'JP',
    names: ['niigata', '新潟', 'นีงาตะ', 'นิอิกาตะ'],
  },
  {
    id: 'hyogo',
    label: { ja: '兵庫', th: 'เฮียวโงะ', en: 'Hyogo' },
    country: 'JP',
    names: ['hyogo', '兵庫', 'เฮียวโงะ', 'kobe', '神戸', 'โกเบ'],
  },
  { id: 'gifu', label: { ja: '岐阜', th: 'กิฟุ', en: 'Gifu' }, country: 'JP', names: ['gifu', '岐阜', 'กิฟุ'] },
  {
    id: 'toyama',
    label: { ja: '富山', th: 'โทยามะ', en: 'Toyama' },
    country: 'JP',
    names: ['toyama', '富山', 'โทยามะ'],
  },
];

export function placeIn(text: string): Place | undefined {
  return PLACES.find((p) => p.names.some((n) => text.includes(n)));
}

/** Words that mean "a partner / a company / I am looking" and say nothing about the subject of a search. */
export const GENERIC_SEARCH_WORDS = new Set([
  // en
  'partner',
  'partners',
  'company',
  'companies',
  'firm',
  'firms',
  'business',
  'businesses',
  'maker',
  'makers',
  'manufacturer',
  'manufacturers',
  'japan',
  'japanese',
  'thai',
  'thailand',
  'find',
  'search',
  'want',
  'need',
  'looking',
  'seeking',
  'seek',
  'area',
  'region',
  'near',
  'around',
  'only',
  'please',
  'show',
  'me',
  'some',
  // ja
  'パートナー',
  '会社',
  '企業',
  'メーカー',
  '日本',
  'タイ',
  '探し',
  '探す',
  '探して',
  '探しています',
  '募集',
  '希望',
  '周辺',
  '地域',
  'エリア',
  'だけ',
  'のみ',
  '提携',
  '相手',
  '先',
  '紹介',
  'お願い',
  // th
  'พันธมิตร',
  'บริษัท',
  'ผู้ผลิต',
  'ผลิต',
  'ญี่ปุ่น',
  'ไทย',
  'หา',
  'ค้นหา',
  'ต้องการ',
  'มองหา',
  'แถว',
  'ย่าน',
  'พื้นที่',
  'เฉพาะ',
  'เท่านั้น',
  'ช่วย',
  'หน่อย',
  'คู่ค้า',
  'ธุรกิจ',
]);

/** Languages as users name them, for "switch language" and "translate into ...". */
export const LANGUAGE_NAMES: Array<[Lang, RegExp]> = [
  ['ja', /日本語|にほんご|japanese|ภาษาญี่ปุ่น|ญี่ปุ่น/],
  ['th', /タイ語|たいご|\bthai\b|ภาษาไทย|ไทย/],
  ['en', /英語|えいご|english|ภาษาอังกฤษ|อังกฤษ/],
];

export const COMMANDS = {
  help: /^(help|menu|\?|？|ヘルプ|メニュー|使い方|つかいかた|何ができますか|なにができますか|ช่วยเหลือ|เมนู|วิธีใช้|ใช้งานอย่างไร|ทำอะไรได้บ้าง)[\s!！?？。.]*$|what can you do|how (do i|to) use/,
  greeting:
    /^(hello|hi|hey|good (morning|afternoon|evening)|こんにちは|こんばんは|おはようございます|おはよう|はじめまして|よろしくお願いします|สวัสดี|หวัดดี)[\s!！。.、,]*(kakehashi)?[\s!！。.]*$/,
  human:
    /(talk|speak|chat) (to|with) (a |an |your )?(human|person|staff|someone|operator|coordinator)|\b(human|operator|real person)\b|担当者|スタッフ|オペレーター|人と話|人間と|係の人|有人|เจ้าหน้าที่|คุยกับคน|ติดต่อพนักงาน|ขอคุยกับ|แอดมิน/,
  forget:
    /forget me|delete my (data|conversation|history|chat)|erase my (data|conversation|history)|データを削除|データを消|履歴を削除|履歴を消|忘れて|ลบข้อมูล|ลบประวัติ|ลืมฉัน/,
  yes: /^(yes|y|ok|okay|sure|delete|yes,? delete|はい|ええ|削除する|削除して|お願いします|ใช่|ตกลง|ยืนยัน|ลบ|ยืนยันการลบ)[\s!！。.]*$/,
  no: /^(no|n|cancel|stop|don'?t|いいえ|やめる|やめて|キャンセル|削除しない|ไม่|ยกเลิก|ไม่ลบ|ไม่ต้อง)[\s!！。.]*$/,
  more: /^(more|show more|more results|next|next page|others?|any more|もっと|もっと見る|もっと見せて|他には|ほかには|他の会社|ほかの会社|次|つぎ|続き|続きを見る|เพิ่มเติม|ดูเพิ่ม|ดูเพิ่มเติม|อีก|ถัดไป|มีอีกไหม|มีอีกไหม\?|ขอดูเพิ่ม)[\s!！?？。.]*$/,
  newSearch: /^(new search|start over|reset|新しく探す|最初から|やり直し|ค้นหาใหม่|เริ่มใหม่)[\s!！。.]*$/,
  switchLanguage:
    /change (the )?language|switch (the )?language|language|言語を変更|言語の変更|言語切り替え|言語設定|^言語$|เปลี่ยนภาษา|^ภาษา$/,
  /** "in Japanese please", "日本語で", "พูดภาษาไทย": a language name with a request to use it. */
  useLanguage:
    /^(in |use |speak |switch to |change to )?(japanese|thai|english)( please)?[\s!！。.]*$|^(日本語|タイ語|英語)(で|にして|に変更|でお願いします|に切り替え)?[\s!！。.]*$|^(ขอ|ใช้|พูด|เปลี่ยนเป็น)?(ภาษา)?(ไทย|ญี่ปุ่น|อังกฤษ)(ได้ไหม|หน่อย)?[\s!！。.]*$/,
  translate:
    /^(translate|translation|翻訳|訳して|แปล|ช่วยแปล)|(を|に)翻訳|翻訳して|translate (this|that|to|into)|แปลเป็น|แปลว่า/,
  details:
    /detail|more about|tell me about|info(rmation)? (on|about)|詳細|詳しく|くわしく|について教えて|を見せて|รายละเอียด|ข้อมูลของ|ข้อมูลเกี่ยวกับ|เกี่ยวกับบริษัท/,
  introduce:
    /introduc|connect (me|us)|put (me|us) in touch|get in touch|contact them|紹介して|紹介を|紹介依頼|紹介をお願い|つないで|繋いで|つなげて|連絡を取りたい|แนะนำให้รู้จัก|ขอให้แนะนำ|ขอแนะนำ|ช่วยแนะนำ|ติดต่อบริษัท|ขอติดต่อ|เชื่อมต่อกับ/,
};

/** "2", "2番", "二番目", "#2", "no. 2", "the second", "ที่ 2", "อันดับ 2": a position in the last list. */
const ORDINAL_WORDS: Array<[number, RegExp]> = [
  [1, /\b(first|1st)\b|一番目|1番目|最初の|แรก/],
  [2, /\b(second|2nd)\b|二番目|2番目/],
  [3, /\b(third|3rd)\b|三番目|3番目/],
  [4, /\b(fourth|4th)\b|四番目|4番目/],
  [5, /\b(fifth|5th)\b|五番目|5番目/],
];

export function positionIn(text: string): number | undefined {
  const digits =
    /(?:^|[#\sno.]|ที่\s?|อันดับ\s?|บริษัทที่\s?|หมายเลข\s?)(\d{1,2})(?:\s*(?:番目|番|社目|つ目|$|[\s.。、,:：の]))/.exec(
      ` ${text} `,
    );
  if (digits) return Number(digits[1]);
  return ORDINAL_WORDS.find(([, re]) => re.test(text))?.[0];
}
