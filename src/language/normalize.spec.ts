import { normalizeText } from './normalize';
import { readTalpco } from './testing/talpco';

// Thai code points spelled out: the bugs are invisible in rendered text.
const NIKHAHIT = '\u0E4D';
const SARA_AA = '\u0E32';
const SARA_AM = '\u0E33';
const MAI_THO = '\u0E49';
const MAI_EK = '\u0E48';
const SARA_II = '\u0E35';
const SARA_E = '\u0E40';

describe('normalizeText', () => {
  it.each([
    ['ＩＮＰＥＸ', 'inpex'],
    ['ＪＲ東日本', 'jr東日本'],
    ['株式会社ＩＮＰＥＸ', '株式会社inpex'],
    ['ﾄﾖﾀ自動車', 'トヨタ自動車'],
    ['ｶﾞｽ', 'ガス'], // half-width voiced mark composes
    ['㈱ＳＵＢＡＲＵ', '(株)subaru'],
    ['ＩＳＯ９００１', 'iso9001'],
  ])('full/half width: %s → %s', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('removes zero-width characters', () => {
    expect(normalizeText('ชิ้น\u200Bส่วน')).toBe('ชิ้นส่วน');
    expect(normalizeText('\uFEFFSiam\u200C Ce\u200Dment\u2060')).toBe('siam cement');
  });

  it('collapses whitespace, including the ideographic space and newlines', () => {
    expect(normalizeText('  Siam \t\n  Cement\u3000Group  ')).toBe('siam cement group');
  });

  describe('Thai input quirks', () => {
    const nam = `น${MAI_THO}${SARA_AM}`; // น้ำ, water, as the dictionary spells it

    it('keeps SARA AM composed (NFKC alone would decompose it)', () => {
      expect(normalizeText(nam)).toBe(nam);
      expect(normalizeText('จำกัด')).toBe('จำกัด');
    });

    it('recomposes NIKHAHIT + SARA AA into SARA AM, with the tone mark on either side', () => {
      expect(normalizeText(`จ${NIKHAHIT}${SARA_AA}กัด`)).toBe('จำกัด');
      expect(normalizeText(`น${MAI_THO}${NIKHAHIT}${SARA_AA}`)).toBe(nam);
      expect(normalizeText(`น${NIKHAHIT}${MAI_THO}${SARA_AA}`)).toBe(nam);
    });

    it('moves a tone mark typed after SARA AM before it', () => {
      expect(normalizeText(`น${SARA_AM}${MAI_THO}`)).toBe(nam);
    });

    it('turns a doubled SARA E into SARA AE', () => {
      expect(normalizeText(`${SARA_E}${SARA_E}ม่`)).toBe('แม่');
    });

    it('puts a tone mark typed before an upper vowel after it', () => {
      expect(normalizeText(`ท${MAI_EK}${SARA_II}`)).toBe('ที่');
    });

    it('drops a doubled mark', () => {
      expect(normalizeText(`ท${SARA_II}${MAI_EK}${MAI_EK}`)).toBe('ที่');
    });
  });

  describe('Japanese textbook spacing', () => {
    it('removes spaces between Japanese characters only', () => {
      expect(normalizeText('私 は 学生 です')).toBe('私は学生です');
      expect(normalizeText('Toyota の 部品 と Denso')).toBe('toyota の部品と denso');
      expect(normalizeText('บริษัท ปูน')).toBe('บริษัท ปูน'); // Thai spaces are phrase breaks: kept
    });

    const lines = readTalpco('ja');
    (lines ? it : it.skip)('joins the spaced TALPCo sentences', () => {
      const sample = (lines ?? []).filter((l) => l.text.includes(' ')).slice(0, 20);
      expect(sample.length).toBe(20);
      for (const { text } of sample) {
        const normalised = normalizeText(text);
        expect(normalised).not.toMatch(/ /);
        expect(normalised).toBe(text.normalize('NFKC').replace(/ /g, ''));
      }
    });
  });

  it('is idempotent', () => {
    for (const s of [
      'ＩＮＰＥＸ ｶﾀｶﾅ',
      `น${NIKHAHIT}${MAI_THO}${SARA_AA}`,
      '私 は 学生 です',
      'A  b\u200B',
    ]) {
      const once = normalizeText(s);
      expect(normalizeText(once)).toBe(once);
    }
  });
});
