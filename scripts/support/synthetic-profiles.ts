import type { CompanyProfileInput } from '../../src/companies/company-profile.schema';

/**
 * Deterministic synthetic profiles in ja/th/en for benchmarks: realistic field sizes and vocabulary, a mix of
 * industries, partnership types and regions on both sides. Not used by the product.
 */

interface IndustryTemplate {
  set: { th: string; en: string };
  jpx: { code: string; ja: string };
  ja: string[];
  th: string[];
  en: string[];
}

const INDUSTRIES: IndustryTemplate[] = [
  {
    set: { th: 'ยานยนต์', en: 'Automotive' },
    jpx: { code: '3700', ja: '輸送用機器' },
    ja: ['自動車部品', 'ブレーキ部品', 'プレス部品', 'ワイヤーハーネス'],
    th: ['ชิ้นส่วนยานยนต์', 'ผ้าเบรก', 'ชิ้นส่วนปั๊มขึ้นรูป', 'สายไฟรถยนต์'],
    en: ['auto parts', 'brake components', 'stamped parts', 'wire harnesses'],
  },
  {
    set: { th: 'อาหารและเครื่องดื่ม', en: 'Food & Beverage' },
    jpx: { code: '3050', ja: '食料品' },
    ja: ['冷凍食品', '調味料', '菓子', '飲料'],
    th: ['อาหารแช่แข็ง', 'เครื่องปรุงรส', 'ขนมขบเคี้ยว', 'เครื่องดื่ม'],
    en: ['frozen food', 'seasonings', 'snacks', 'beverages'],
  },
  {
    set: { th: 'วัสดุอุตสาหกรรมและเครื่องจักร', en: 'Industrial Materials & Machinery' },
    jpx: { code: '3600', ja: '機械' },
    ja: ['工作機械', '産業用ロボット', '食品機械', '金型'],
    th: ['เครื่องจักรกล', 'หุ่นยนต์อุตสาหกรรม', 'เครื่องจักรแปรรูปอาหาร', 'แม่พิมพ์'],
    en: ['machine tools', 'industrial robots', 'food machinery', 'moulds'],
  },
  {
    set: { th: 'ชิ้นส่วนอิเล็กทรอนิกส์', en: 'Electronic Components' },
    jpx: { code: '3650', ja: '電気機器' },
    ja: ['プリント基板', 'センサー', 'コネクタ', '電子部品'],
    th: ['แผงวงจรพิมพ์', 'เซนเซอร์', 'คอนเนกเตอร์', 'ชิ้นส่วนอิเล็กทรอนิกส์'],
    en: ['PCBs', 'sensors', 'connectors', 'electronic components'],
  },
  {
    set: { th: 'ขนส่งและโลจิสติกส์', en: 'Transportation & Logistics' },
    jpx: { code: '5050', ja: '陸運業' },
    ja: ['物流', '倉庫', '冷凍輸送', '通関'],
    th: ['โลจิสติกส์', 'คลังสินค้า', 'ขนส่งห้องเย็น', 'พิธีการศุลกากร'],
    en: ['logistics', 'warehousing', 'cold-chain transport', 'customs clearance'],
  },
  {
    set: { th: 'ปิโตรเคมีและเคมีภัณฑ์', en: 'Petrochemicals & Chemicals' },
    jpx: { code: '3200', ja: '化学' },
    ja: ['樹脂', '塗料', '接着剤', '化学品'],
    th: ['เม็ดพลาสติก', 'สี', 'กาว', 'เคมีภัณฑ์'],
    en: ['resins', 'paints', 'adhesives', 'chemicals'],
  },
  {
    set: { th: 'แฟชั่น', en: 'Fashion' },
    jpx: { code: '3100', ja: '繊維製品' },
    ja: ['繊維', '縫製', 'アパレル', '生地'],
    th: ['สิ่งทอ', 'ตัดเย็บ', 'เสื้อผ้า', 'ผ้าผืน'],
    en: ['textiles', 'sewing', 'apparel', 'fabrics'],
  },
  {
    set: { th: 'เทคโนโลยีสารสนเทศและการสื่อสาร', en: 'ICT' },
    jpx: { code: '5250', ja: '情報・通信業' },
    ja: ['ソフトウェア開発', 'オフショア開発', 'クラウド', 'ERP'],
    th: ['พัฒนาซอฟต์แวร์', 'รับพัฒนาระบบ', 'คลาวด์', 'ระบบ ERP'],
    en: ['software development', 'offshore development', 'cloud services', 'ERP systems'],
  },
  {
    set: { th: 'ธุรกิจการเกษตร', en: 'Agribusiness' },
    jpx: { code: '50', ja: '水産・農林業' },
    ja: ['米', 'ドリアン', 'キャッサバ', '水産物'],
    th: ['ข้าว', 'ทุเรียน', 'มันสำปะหลัง', 'อาหารทะเล'],
    en: ['rice', 'durian', 'cassava', 'seafood'],
  },
  {
    set: { th: 'การแพทย์', en: 'Health Care Services' },
    jpx: { code: '3250', ja: '医薬品' },
    ja: ['医療機器', '医薬品', '検査サービス', '介護'],
    th: ['เครื่องมือแพทย์', 'ยารักษาโรค', 'บริการตรวจวิเคราะห์', 'ดูแลผู้สูงอายุ'],
    en: ['medical devices', 'pharmaceuticals', 'lab testing', 'elderly care'],
  },
];
const JP_PLACES = [
  ['愛知県', 'Aichi'],
  ['大阪府', 'Osaka'],
  ['静岡県', 'Shizuoka'],
  ['福岡県', 'Fukuoka'],
  ['東京都', 'Tokyo'],
  ['新潟県', 'Niigata'],
];
const TH_PLACES = [
  ['กรุงเทพมหานคร', 'Bangkok'],
  ['ชลบุรี', 'Chonburi'],
  ['ระยอง', 'Rayong'],
  ['อยุธยา', 'Ayutthaya'],
  ['เชียงใหม่', 'Chiang Mai'],
  ['สมุทรปราการ', 'Samut Prakan'],
];
const PARTNERSHIPS = [
  'supplier',
  'buyer',
  'distributor',
  'oem',
  'joint_venture',
  'technology_transfer',
  'outsourcing',
] as const;
const JA_NAME = ['山田', '東海', '北斗', '浪速', '富士', '昭和', '丸紅', '大和', '三河', '信州'];
const JA_SUFFIX = ['精工', '工業', '製作所', '商事', 'テクノ', '食品', 'ロジ', 'システムズ'];
const TH_NAME = ['สยาม', 'รุ่งเรือง', 'ไทยเจริญ', 'ศรีสมบูรณ์', 'บูรพา', 'ล้านนา', 'อีสาน', 'เจ้าพระยา'];
const TH_SUFFIX = ['อุตสาหกรรม', 'เทรดดิ้ง', 'ฟู้ดส์', 'เทคโนโลยี', 'โลจิสติกส์', 'การเกษตร'];

/** Small deterministic PRNG so every run benchmarks the same data. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticProfiles(count: number, seed = 42, prefix = 'bench'): CompanyProfileInput[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const some = <T>(xs: readonly T[], n: number): T[] => [
    ...new Set(Array.from({ length: n }, () => pick(xs))),
  ];
  return Array.from({ length: count }, (_, i) => {
    const ind = pick(INDUSTRIES);
    const jp = i % 2 === 0;
    const products = some([0, 1, 2, 3], 2);
    if (jp) {
      const [pja, pen] = pick(JP_PLACES);
      const name = `${pick(JA_NAME)}${pick(JA_SUFFIX)}${i}`;
      return {
        externalId: `${prefix}:jp:${i}`,
        country: 'JP' as const,
        names: { ja: `${name}株式会社`, en: `${name} Co., Ltd.` },
        summary: {
          ja: `${ind.ja[products[0]]}を製造・販売しています。`,
          en: `Makes and sells ${ind.en[products[0]]}.`,
        },
        description: {
          ja: `当社は${pja}に拠点を置き、${products.map((p) => ind.ja[p]).join('、')}を提供しています。タイでのパートナーを探しています。`,
          en: `Based in ${pen}, we provide ${products.map((p) => ind.en[p]).join(', ')}. We are looking for partners in Thailand.`,
        },
        industries: [{ scheme: 'JPX33', code: ind.jpx.code, label: { ja: ind.jpx.ja } }],
        offerings: { ja: products.map((p) => ind.ja[p]), en: products.map((p) => ind.en[p]) },
        seeking: { ja: ['タイの販売代理店'], en: ['Thai distributor'] },
        partnershipTypes: some(PARTNERSHIPS, 2),
        location: { ja: pja, en: pen },
        employees: Math.floor(r() * 2000),
        foundedYear: 1950 + Math.floor(r() * 70),
        languages: ['ja', 'en'],
        contact: { person: `担当者${i}`, email: `contact${i}@jp.example` },
        status: 'published' as const,
      };
    }
    const [pth, pen] = pick(TH_PLACES);
    const name = `${pick(TH_NAME)}${pick(TH_SUFFIX)} ${i}`;
    return {
      externalId: `${prefix}:th:${i}`,
      country: 'TH' as const,
      names: { th: `บริษัท ${name} จำกัด`, en: `${name} Co., Ltd.` },
      summary: { th: `ผู้ผลิตและจำหน่าย${ind.th[products[0]]}`, en: `Producer of ${ind.en[products[0]]}.` },
      description: {
        th: `บริษัทตั้งอยู่ที่${pth} ให้บริการ${products.map((p) => ind.th[p]).join(' ')} และกำลังมองหาพันธมิตรจากญี่ปุ่น`,
        en: `Located in ${pen}, offering ${products.map((p) => ind.en[p]).join(', ')}; seeking Japanese partners.`,
      },
      industries: [{ scheme: 'SET', label: { th: ind.set.th, en: ind.set.en } }],
      offerings: { th: products.map((p) => ind.th[p]), en: products.map((p) => ind.en[p]) },
      seeking: { th: ['พันธมิตรด้านเทคโนโลยีจากญี่ปุ่น'], en: ['Japanese technology partner'] },
      partnershipTypes: some(PARTNERSHIPS, 2),
      location: { th: pth, en: pen },
      employees: Math.floor(r() * 2000),
      foundedYear: 1960 + Math.floor(r() * 60),
      languages: ['th', 'en'],
      contact: { person: `คุณ ${i}`, email: `contact${i}@th.example` },
      status: 'published' as const,
    };
  });
}
