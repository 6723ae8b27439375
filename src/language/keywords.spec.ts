import { charNgrams, keywordTokens } from './keywords';
import { STOP_WORDS, isStopWord } from './stop-words';

describe('STOP_WORDS / isStopWord', () => {
  it('has function words and domain-generic words for each language', () => {
    for (const w of ['の', 'は', 'です', 'ください', '会社', '企業']) expect(STOP_WORDS.ja.has(w)).toBe(true);
    for (const w of ['ที่', 'และ', 'บริษัท', 'ครับ', 'ค่ะ', 'ต้องการ']) expect(STOP_WORDS.th.has(w)).toBe(true);
    for (const w of ['the', 'company', 'companies', 'looking', 'find'])
      expect(STOP_WORDS.en.has(w)).toBe(true);
  });

  it('accepts unnormalised tokens', () => {
    expect(isStopWord('Company')).toBe(true);
    expect(isStopWord('ＴＨＥ')).toBe(true);
    expect(isStopWord('自動車')).toBe(false);
    expect(isStopWord('IT')).toBe(false); // the industry, not the pronoun
  });
});

describe('keywordTokens', () => {
  it.each([
    ['อยากหาบริษัทญี่ปุ่นที่ผลิตชิ้นส่วนยานยนต์ครับ', ['ญี่ปุ่น', 'ผลิต', 'ชิ้นส่วน', 'ยานยนต์']],
    ['自動車部品メーカーを探しています', ['自動車', '部品', 'メーカー']],
    ['日本の中小企業でタイに進出したい企業を教えてください', ['日本', '中小企業', 'タイ', '進出']],
    [
      'Looking for a CNC machining company with ISO9001 certification',
      ['cnc', 'machining', 'iso9001', 'certification'],
    ],
    ['タイのIT企業を探したい', ['タイ', 'it']],
    ['บริษัท ปูนซิเมนต์ไทย จำกัด (มหาชน)', ['ปูน', 'ซิเมนต์', 'ไทย']],
    ['株式会社ＩＮＰＥＸ', ['inpex']],
  ])('%s', (text, expected) => {
    expect(keywordTokens(text)).toEqual(expected);
  });

  it('drops one-character particles but keeps one-kanji words', () => {
    expect(keywordTokens('鉄と紙を作る')).toEqual(['鉄', '紙', '作る']);
  });

  it.each([
    ['ＩＮＰＥＸ　ＪＲ東日本　ＩＳＯ９００１', 'INPEX JR東日本 ISO9001'],
    ['ﾄﾖﾀ自動車ｸﾞﾙｰﾌﾟの部品', 'トヨタ自動車グループの部品'],
    ['ＣＮＣ加工の会社', 'CNC加工の会社'],
  ])('is identical for full-width and half-width forms: %s', (a, b) => {
    expect(keywordTokens(a)).toEqual(keywordTokens(b));
    expect(keywordTokens(a).length).toBeGreaterThan(0);
  });

  it('is identical for documents with invisible characters or spaced Japanese', () => {
    expect(keywordTokens('ชิ้น\u200Bส่วน ยาน\u200Bยนต์')).toEqual(keywordTokens('ชิ้นส่วน ยานยนต์'));
    expect(keywordTokens('自動車 部品 の メーカー')).toEqual(keywordTokens('自動車部品のメーカー'));
  });
});

describe('charNgrams', () => {
  it('makes n-grams per script run, never across spaces or punctuation', () => {
    expect(charNgrams('Toyota の部品', [2])).toEqual(['to', 'oy', 'yo', 'ot', 'ta', 'の部', '部品']);
    expect(charNgrams('ab, cd', [2, 3])).toEqual(['ab', 'cd']);
  });

  it('normalises first and keeps digits with their run', () => {
    expect(charNgrams('ＩＳＯ９００１', [3])).toEqual(['iso', 'so9', 'o90', '900', '001']);
  });

  it('emits a run shorter than the smallest n whole', () => {
    expect(charNgrams('車', [2, 3])).toEqual(['車']);
    expect(charNgrams('自動車', [2, 3])).toEqual(['自動', '動車', '自動車']);
  });

  it('counts Thai marks as characters and ignores bad sizes', () => {
    expect(charNgrams('ที่', [2])).toEqual(['ที', 'ี่']);
    expect(charNgrams('abc', [0, -1, 1.5])).toEqual([]);
  });
});
