import { checkTranslation, isUnusable, translationVerdict } from './translation-checks';

const kinds = (source: string, output: string, to: 'ja' | 'th' | 'en') =>
  checkTranslation(source, output, to, []).map((v) => v.kind);

describe('checkTranslation: output that is not a translation at all', () => {
  it('flags garbage and output without a single word as unusable', () => {
    for (const [source, output] of [
      ['第3便の件です。', '<|im_end|>คำแปล 3'],
      ['第3便の件です。', '}}{{ ]] 3'],
      ['ご確認ください。', 'กรุณาตรวจสอบ '.repeat(12)],
      ['ご確認ください。', 'à¸à¸£à¸¸à¸“à¸²à¸•à¸£à¸§à¸ˆ'],
    ] as const) {
      const v = checkTranslation(source, output, 'th', []);
      expect(isUnusable(v)).toBe(true);
    }
    expect(kinds('ご確認ください。', 'Please check.', 'th')).toEqual(['language']);
  });

  it('does not blame the model for what the source already was', () => {
    const rule = '-'.repeat(40);
    expect(kinds(`お知らせ\n${rule}\n明日は休業です`, `ประกาศ\n${rule}\nพรุ่งนี้หยุดทำการ`, 'th')).toEqual([]);
    expect(kinds('お知らせ', `ประกาศ\n${rule}`, 'th')).toEqual(['garbage']);
  });

  it('a wrong number or a missing glossary form is a warning, not unusable', () => {
    const v = checkTranslation('単価は1,500円です', 'ราคาต่อหน่วย 1,600 เยน', 'th', []);
    expect(v.map((x) => x.kind)).toEqual(['number']);
    expect(isUnusable(v)).toBe(false);
  });

  it('tells the circuit breaker: garbage is the endpoint failing, another language is not held against it', () => {
    const verdict = (source: string, output: string) =>
      translationVerdict(checkTranslation(source, output, 'th', []));
    expect(verdict('第3便の件です。', '<|im_end|>คำแปล 3')).toBe('garbage');
    expect(verdict('第3便の件です。', '')).toBe('garbage');
    expect(verdict('ご確認ください。', 'Please check.')).toBe('invalid');
    expect(verdict('単価は1,500円です', 'ราคาต่อหน่วย 1,600 เยน')).toBe('ok');
    expect(verdict('ご確認ください。', 'กรุณาตรวจสอบ')).toBe('ok');
  });
});
