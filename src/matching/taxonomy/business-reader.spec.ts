import type { Concept } from '../lexicon/concept';
import { Lexicon } from '../lexicon/lexicon';
import { BusinessTaxonomy } from './business-taxonomy';
import { withoutWishes } from './business-reader';

const labels = (en: string) => ({ ja: en, th: en, en });
const taxonomy = new BusinessTaxonomy(
  [
    'C',
    'F',
    'G',
    'H',
    'I',
    '24',
    '25',
    '2592',
    '29',
    '2910',
    '2930',
    '31',
    '3100',
    '41',
    '45',
    '4530',
    '46',
    '49',
    '52',
    '4649',
    '47',
    '4759',
    '55',
    '5510',
  ].map((code) => ({
    code,
    labels: labels(`code ${code}`),
    ...(code === 'C' ? { divisions: '10-33' } : {}),
    ...(code === 'F' ? { divisions: '41-43' } : {}),
    ...(code === 'G' ? { divisions: '45-47' } : {}),
    ...(code === 'H' ? { divisions: '49-53' } : {}),
    ...(code === 'I' ? { divisions: '55-56' } : {}),
  })),
);

const activity = (
  key: string,
  terms: { ja?: string[]; th?: string[]; en?: string[] },
  business?: Concept['business'],
): Concept => ({
  id: `activity.${key}`,
  kind: 'activity',
  labels: labels(key),
  synonyms: terms,
  ...(business ? { business } : {}),
});

const concepts: Concept[] = [
  activity(
    'make',
    { ja: ['製造', 'メーカー'], th: ['ผลิต', 'ประกอบ'], en: ['manufacture', 'makers'] },
    { any: 'C' },
  ),
  activity('sell', { ja: ['販売'], th: ['จำหน่าย', 'ค้า'], en: ['traders'] }, { any: '46' }),
  activity('retail', { th: ['ขายปลีก'] }, { any: '47' }),
  activity('construct', { th: ['รับเหมาก่อสร้าง'] }, { any: '41' }),
  activity('transport', { th: ['ขนส่ง'] }, { any: '49' }),
  activity('service', { th: ['บริการ'] }),
  activity('conduct', { th: ['ประกอบกิจการ'] }),
  activity('goods_words', { th: ['สินค้า', 'ผลิตภัณฑ์'] }),
  activity('parts', { th: ['ชิ้นส่วน', 'อะไหล่'], ja: ['部品'], en: ['parts'] }),
  {
    id: 'industry.automotive',
    kind: 'industry',
    labels: labels('Automotive'),
    synonyms: { ja: ['自動車'], th: ['รถยนต์', 'ยานยนต์'], en: ['cars'] },
    business: { make: '2910', sell: '45' },
    parts: 'product.auto_parts',
  },
  {
    id: 'product.auto_parts',
    kind: 'product',
    parents: ['industry.automotive'],
    labels: labels('Auto parts'),
    synonyms: { ja: ['自動車部品'], th: ['ชิ้นส่วนรถยนต์'], en: ['auto parts'] },
    business: { make: '2930', sell: '4530' },
  },
  {
    id: 'product.brake_parts',
    kind: 'product',
    parents: ['product.auto_parts'],
    labels: labels('Brake parts'),
    synonyms: { th: ['ผ้าเบรก'] },
  },
  {
    id: 'product.furniture',
    kind: 'product',
    labels: labels('Furniture'),
    synonyms: { ja: ['家具'], th: ['เฟอร์นิเจอร์'], en: ['furniture'] },
    business: { make: '3100', sell: '4649', retail: '4759' },
  },
  {
    id: 'industry.metal',
    kind: 'industry',
    labels: labels('Metals'),
    synonyms: { ja: ['金属'], en: ['metal'] },
    business: { make: '24' },
  },
  {
    id: 'capability.machining',
    kind: 'capability',
    labels: labels('Machining'),
    synonyms: { ja: ['切削加工'], en: ['machining'] },
    business: { any: '2592' },
  },
  {
    id: 'industry.transport_equipment',
    kind: 'industry',
    labels: labels('Transport equipment'),
    synonyms: { ja: ['輸送機器'] },
    business: { make: '29' },
  },
  {
    id: 'industry.logistics',
    kind: 'industry',
    labels: labels('Logistics'),
    synonyms: { th: ['โลจิสติกส์'], ja: ['物流'] },
    business: { any: '52' },
  },
  {
    id: 'industry.hotel',
    kind: 'industry',
    labels: labels('Hotels'),
    synonyms: { ja: ['ホテル'], th: ['โรงแรม'], en: ['hotels'] },
    business: { any: '5510' },
  },
  {
    id: 'capability.import_export',
    kind: 'capability',
    labels: labels('Import & export'),
    synonyms: { ja: ['輸出入'], th: ['นำเข้าส่งออก'], en: ['import and export'] },
    business: { any: '46' },
  },
  {
    id: 'region.thailand',
    kind: 'region',
    labels: labels('Thailand'),
    synonyms: { ja: ['タイ'], th: ['ไทย'] },
  },
];

describe('business reader', () => {
  const lexicon = new Lexicon(concepts, taxonomy);
  const read = (text: string, style: 'profile' | 'request' = 'profile') =>
    lexicon.reader.read(text, style).businesses.map((b) => [b.code, Number(b.weight.toFixed(2))]);

  it('reads a Thai objective as activity × product, the first activity counting most', () => {
    // "จำหน่าย" (sell) leaves wholesale or retail open: its code counts less than a maker's.
    expect(read('ประกอบกิจการผลิตและจำหน่ายชิ้นส่วนรถยนต์')).toEqual([
      ['2930', 1],
      ['4530', 0.68],
    ]);
    expect(read('จำหน่ายและผลิตชิ้นส่วนรถยนต์')).toEqual([
      ['4530', 0.85],
      ['2930', 0.8],
    ]);
  });

  it('inherits a business from the parent concept, and counts later products less', () => {
    expect(read('ผลิตผ้าเบรก และเฟอร์นิเจอร์')).toEqual([
      ['2930', 1],
      ['3100', 0.77],
    ]);
  });

  it('falls back to a related activity when a product names none for the one said (retail → sell)', () => {
    expect(read('ขายปลีกชิ้นส่วนรถยนต์')).toEqual([['4530', 1]]);
  });

  it('reads "parts … of cars" as auto parts, not cars', () => {
    expect(read('ผลิตชิ้นส่วน และอะไหล่ของรถยนต์')).toEqual([['2930', 1]]);
    expect(read('ผลิตรถยนต์')).toEqual([['2910', 1]]);
  });

  it('reads parts words only where each language puts them, and not inside another product’s name', () => {
    // Japanese names the parts after the product: "部品の自動車" is not "parts of cars".
    expect(read('部品の自動車製造', 'request')).toEqual([['2910', 1]]);
    expect(read('自動車の部品製造', 'request')).toEqual([['2930', 1]]);
    expect(read('cars parts makers', 'request')).toEqual([['2930', 1]]);
    // "自動車部品" is one product's name: its 部品 makes no parts of the cars named next.
    expect(read('自動車部品と自動車の製造', 'request')).toEqual([
      ['2910', 1],
      ['2930', 1],
    ]);
  });

  it('does not read activities inside other words ("ผลิตภัณฑ์", "สินค้า", "ประกอบกิจการ")', () => {
    expect(read('ประกอบกิจการค้าสินค้าเฟอร์นิเจอร์')).toEqual([['4649', 0.85]]);
    expect(read('ผลิตภัณฑ์เฟอร์นิเจอร์')).toEqual([
      ['3100', 0.4],
      ['4649', 0.4],
      ['4759', 0.4],
    ]);
  });

  it('reads a business that is one by itself, whatever the verb', () => {
    expect(read('ประกอบกิจการโรงแรม')).toEqual([['5510', 1]]);
  });

  it('reads goods that qualify a service as the service ("auto-parts logistics")', () => {
    expect(read('ผู้ให้บริการโลจิสติกส์ชิ้นส่วนรถยนต์')).toEqual([['52', 1]]);
    expect(read('自動車部品の物流サービス')).toEqual([['52', 1]]);
    // A list of goods names each of them.
    expect(read('ผลิตชิ้นส่วนรถยนต์ เฟอร์นิเจอร์')).toEqual([
      ['2930', 1],
      ['3100', 0.77],
    ]);
  });

  it('reads transporting goods as transport, not as the goods', () => {
    expect(read('ขนส่งเฟอร์นิเจอร์')).toEqual([['49', 1]]);
  });

  it('reads an activity with no product as the activity’s own business', () => {
    expect(read('รับเหมาก่อสร้างทั่วไป')).toEqual([['41', 1]]);
  });

  it('reads Japanese with the activity after the product, and English both ways', () => {
    expect(read('自動車部品の製造・販売', 'profile')).toEqual([
      ['2930', 1],
      ['4530', 0.68],
    ]);
    expect(read('タイで自動車部品を製造している会社', 'request')).toEqual([['2930', 1]]);
    expect(read('家具メーカー', 'request')).toEqual([['3100', 1]]);
    expect(read('furniture makers', 'request')).toEqual([['3100', 1]]);
    expect(read('traders of auto parts', 'request')).toEqual([['4530', 1]]);
  });

  it('reads a product that only qualifies another in a request as no business of its own', () => {
    expect(read('金属の切削加工を請け負う会社', 'request')).toEqual([['2592', 1]]);
    expect(read('machining of metal', 'request')).toEqual([['2592', 1]]);
  });

  it('counts a request’s broader code after the narrower one it also names', () => {
    expect(read('輸送機器・自動車部品メーカー', 'request')).toEqual([
      ['2930', 1],
      ['29', 0.7],
    ]);
  });

  it('reads "import and export" beside a transport service as the goods it moves, not a trading house', () => {
    expect(read('โลจิสติกส์นำเข้าส่งออก')).toEqual([['52', 1]]);
    expect(read('輸出入の物流サービス')).toEqual([['52', 1]]);
    expect(read('นำเข้าส่งออกเฟอร์นิเจอร์').map(([code]) => code)).toContain('46');
  });

  it('reads the customers a firm serves as its customers, not as its business', () => {
    expect(read('จำหน่ายเฟอร์นิเจอร์ให้โรงแรมและรีสอร์ต')).toEqual([['4649', 0.85]]);
    expect(read('จำหน่ายเฟอร์นิเจอร์ให้กับโรงแรม')).toEqual([['4649', 0.85]]);
    // Goods the lexicon does not know may come between ("and fittings"), and a count before the customers.
    expect(read('traders of furniture and fittings to more than 200 hotels')).toEqual([['4649', 0.85]]);
    // "ให้" opening another word ("ให้เช่า", to rent out) is no "to".
    expect(read('จำหน่ายเฟอร์นิเจอร์ โรงแรมให้เช่า').map(([code]) => code)).toContain('5510');
  });

  it('reads what a firm is looking for as its wish, not its business', () => {
    const wishes = [
      'จำหน่ายเฟอร์นิเจอร์ กำลังมองหาผู้ผลิตชิ้นส่วนรถยนต์จากญี่ปุ่น',
      'furniture traders, looking for makers of auto parts',
      '家具の販売。自動車部品メーカーを探しています。',
    ];
    for (const text of wishes)
      expect(read(text).map(([code]) => code)).toEqual([expect.stringMatching(/^4/)]);
    expect(withoutWishes('家具の販売。自動車部品メーカーを探しています。')).not.toContain('自動車部品');
    // A wish sentence before the business leaves the reading of what follows intact ("for" phrases included).
    expect(read('自動車部品メーカーを探しています。ホテル向けの家具の販売').map(([code]) => code)).toEqual([
      '4649',
    ]);
    // A request is all wish.
    expect(read('自動車部品メーカーを探しています', 'request')).toEqual([['2930', 1]]);
  });

  it('finds nothing in a request that names no business', () => {
    expect(read('タイのパートナーを探しています', 'request')).toEqual([]);
  });
});
