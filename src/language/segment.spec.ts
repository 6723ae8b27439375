import { THAI_COMPOUNDS, JAPANESE_COMPOUNDS } from './lexicon';
import { normalizeText } from './normalize';
import { segmentWords } from './segment';
import { readTalpco } from './testing/talpco';

describe('segmentWords', () => {
  it('splits a Thai business phrase into its words, keeping compounds whole', () => {
    const tokens = segmentWords('ผู้ผลิตชิ้นส่วนยานยนต์');
    expect(tokens).toEqual(expect.arrayContaining(['ผลิต', 'ชิ้นส่วน', 'ยานยนต์']));
    expect(tokens).not.toContain('ยาน');
  });

  it('splits a Japanese business phrase', () => {
    expect(segmentWords('自動車部品メーカー')).toEqual(['自動車', '部品', 'メーカー']);
    expect(segmentWords('半導体製造装置')).toEqual(['半導体', '製造', '装置']);
  });

  it('returns normalised tokens and drops punctuation and emoji', () => {
    expect(segmentWords('ＩＮＰＥＸ、ＪＲ東日本！👍')).toEqual(['inpex', 'jr', '東日本']);
    expect(segmentWords('Co., Ltd. (ISO9001)')).toEqual(['co', 'ltd', 'iso9001']);
  });

  it('segments each script run of mixed text', () => {
    expect(segmentWords('タイのIT企業')).toEqual(['タイ', 'の', 'it', '企業']);
    expect(segmentWords('บริษัท SCG ผลิตบรรจุภัณฑ์')).toEqual(['บริษัท', 'scg', 'ผลิต', 'บรรจุภัณฑ์']);
    expect(segmentWords('Toyota の部品')).toEqual(['toyota', 'の', '部品']);
  });

  it('glues the silent tail of an unknown Thai loanword back on', () => {
    expect(segmentWords('ปูนซิเมนต์ไทย')).toEqual(['ปูน', 'ซิเมนต์', 'ไทย']);
  });

  it('splits การเกษตร like every other การ-word', () => {
    expect(segmentWords('ธุรกิจการเกษตร')).toEqual(['ธุรกิจ', 'การ', 'เกษตร']);
  });

  it('handles text with no script and the empty string', () => {
    expect(segmentWords('2024 123')).toEqual(['2024', '123']);
    expect(segmentWords('')).toEqual([]);
  });

  it.each([...THAI_COMPOUNDS, ...JAPANESE_COMPOUNDS])('lexicon entry %s comes out as one token', (word) => {
    expect(segmentWords(word)).toEqual([normalizeText(word)]);
  });

  describe.each(['ja', 'th'] as const)('TALPCo %s', (lang) => {
    const lines = readTalpco(lang);
    (lines ? it : it.skip)('loses no letters: tokens are the sentence minus spaces and punctuation', () => {
      // ICU keeps "15,000" as one number token, so compare letters and digits only.
      const lettersOf = (s: string) => s.replace(/[^\p{L}\p{M}\p{N}]/gu, '');
      for (const { text } of lines ?? []) {
        expect(lettersOf(segmentWords(text).join(''))).toBe(lettersOf(normalizeText(text)));
      }
    });
  });
});
