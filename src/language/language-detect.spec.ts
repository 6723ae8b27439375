import { detectLanguage } from './language-detect';
import { readTalpco } from './testing/talpco';

describe('detectLanguage', () => {
  it.each([
    ['私は学生です', 'ja'],
    ['東京海上', 'ja'], // Han only: Chinese is not supported, so ja
    ['ｶﾀｶﾅ', 'ja'], // half-width katakana, unnormalised
    ['คุณทานากะไม่ใช่นักเรียนครับ', 'th'],
    ['Looking for a CNC machining partner', 'en'],
    ['ＩＮＰＥＸ', 'en'], // full-width Latin, unnormalised
  ] as const)('%s → %s', (text, lang) => {
    const r = detectLanguage(text);
    expect(r.lang).toBe(lang);
    expect(r.mixed).toBe(false);
    expect(r.confidence).toBeGreaterThan(0.5);
  });

  it.each([
    ['タイのIT企業', 'ja'],
    ['บริษัท SCG', 'th'],
    ['Toyota の部品', 'ja'],
    ['SCG Packaging and Siam Cement บริษัท', 'en'],
    ['ขอหาบริษัทญี่ปุ่น เช่น トヨタ', 'th'],
  ] as const)('mixed %s → %s, flagged mixed', (text, lang) => {
    const r = detectLanguage(text);
    expect(r.lang).toBe(lang);
    expect(r.mixed).toBe(true);
    expect(r.shares.ja + r.shares.th + r.shares.en).toBeCloseTo(1, 10);
  });

  it.each(['', '   ', '12345', '!!! ??? …', '😀👍🎉', '+66 2 123 4567', '안녕하세요'])(
    'no Japanese/Thai/Latin script %j → und',
    (text) => {
      expect(detectLanguage(text)).toEqual({
        lang: 'und',
        confidence: 0,
        mixed: false,
        shares: { ja: 0, th: 0, en: 0 },
      });
    },
  );

  it('a stray Latin letter does not make Thai text mixed', () => {
    expect(detectLanguage('ต้องการผู้ผลิตชิ้นส่วนยานยนต์ในจังหวัดชลบุรี ครับ A').mixed).toBe(false);
  });

  it('is less confident on a very short message', () => {
    expect(detectLanguage('ok').confidence).toBeLessThan(detectLanguage('okay thank you').confidence);
  });

  describe.each(['ja', 'th'] as const)('TALPCo %s sentences', (lang) => {
    const lines = readTalpco(lang);
    (lines ? it : it.skip)('are detected with ≥ 98% accuracy', () => {
      const all = lines ?? [];
      const wrong = all.filter((l) => detectLanguage(l.text).lang !== lang);
      const accuracy = (all.length - wrong.length) / all.length;
      console.log(
        `TALPCo ${lang}: ${all.length - wrong.length}/${all.length} = ${(accuracy * 100).toFixed(2)}% detected as ${lang}`,
      );
      expect(all.length).toBeGreaterThan(1000);
      expect(accuracy).toBeGreaterThanOrEqual(0.98);
    });
  });
});
