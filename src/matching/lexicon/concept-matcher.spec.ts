import type { Concept } from './concept';
import { Lexicon } from './lexicon';

const concepts: Concept[] = [
  {
    id: 'industry.manufacturing',
    kind: 'industry',
    labels: { ja: '製造業', th: 'การผลิต', en: 'Manufacturing' },
  },
  {
    id: 'industry.automotive',
    kind: 'industry',
    parents: ['industry.manufacturing'],
    labels: { ja: '自動車', th: 'ยานยนต์', en: 'Automotive' },
    synonyms: { ja: ['自動車部品'], th: ['ชิ้นส่วนยานยนต์'], en: ['auto parts', 'automotive', 'car'] },
  },
  {
    id: 'sector.set.steel',
    kind: 'sector',
    labels: { ja: '鉄鋼・金属製品', th: 'เหล็ก และ ผลิตภัณฑ์โลหะ', en: 'Steel and Metal Products' },
  },
  {
    id: 'industry.it',
    kind: 'industry',
    labels: { ja: '情報通信', th: 'ไอที', en: 'IT' },
    synonyms: { en: ['it services'] },
  },
  {
    id: 'industry.pharma',
    kind: 'industry',
    labels: { ja: '医薬品', th: 'ยารักษาโรค', en: 'Pharmaceuticals' },
  },
  { id: 'region.thailand', kind: 'region', labels: { ja: 'タイ', th: 'ไทย', en: 'Thailand' } },
];

describe('concept extraction', () => {
  const lexicon = new Lexicon(concepts);
  const ids = (text: string) => lexicon.find(text).map((h) => h.conceptId);

  it('finds Japanese and Thai synonyms inside unspaced text, longest first', () => {
    expect(ids('タイで自動車部品を製造している会社')).toEqual(['region.thailand', 'industry.automotive']);
    expect(ids('ผู้ผลิตชิ้นส่วนยานยนต์ในไทย')).toEqual(['industry.automotive', 'region.thailand']);
  });

  it('ignores the spaces Thai writers put between phrases', () => {
    expect(ids('เหล็กและผลิตภัณฑ์โลหะ')).toEqual(['sector.set.steel']);
    expect(ids('เหล็ก  และ ผลิตภัณฑ์โลหะ')).toEqual(['sector.set.steel']);
  });

  it('matches English synonyms as whole words only, case-insensitively', () => {
    expect(ids('Thai AUTO PARTS makers')).toEqual(['industry.automotive']);
    expect(ids('autopartsville')).toEqual([]);
  });

  it('counts short English synonyms only when written in capitals', () => {
    expect(ids('タイのIT企業')).toEqual(['region.thailand', 'industry.it']);
    expect(ids('is it possible to find a partner')).toEqual([]);
    expect(ids('IT services in Bangkok')).toEqual(['industry.it']);
  });

  it('counts short everyday nouns in any case', () => {
    expect(ids('we make car seats')).toEqual(['industry.automotive']);
    expect(ids('a Car maker')).toEqual(['industry.automotive']);
    expect(ids('carpets')).toEqual([]);
  });

  it('normalises full-width input first', () => {
    expect(ids('ＡＵＴＯ ＰＡＲＴＳ')).toEqual(['industry.automotive']);
  });

  it('knows each concept’s ancestors with their distance', () => {
    expect([...lexicon.ancestors('industry.automotive')]).toEqual([
      ['industry.automotive', 0],
      ['industry.manufacturing', 1],
    ]);
  });

  it('has a version that changes when the content changes', () => {
    const changed = new Lexicon([
      ...concepts,
      { id: 'product.rice', kind: 'product', labels: { ja: '米', th: 'ข้าว', en: 'Rice' } },
    ]);
    expect(changed.version).not.toBe(lexicon.version);
    expect(new Lexicon([...concepts].reverse()).version).toBe(lexicon.version);
  });
});
