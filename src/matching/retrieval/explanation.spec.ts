import { explainMatch } from './explanation';

describe('template explanations', () => {
  const base = {
    country: 'TH' as const,
    matched: [
      { label: '自動車', kind: 'industry' as const },
      { label: 'ブレーキ部品', kind: 'product' as const },
    ],
    offerings: { th: ['ผ้าเบรก'], en: ['brake pads', 'brake discs'] },
    seeking: { en: ['Japanese technology partner'] },
    keywordOnly: false,
  };

  it('explains in Japanese with the most specific concept first, falling back to English profile text', () => {
    expect(explainMatch({ ...base, seekerLang: 'ja' })).toBe(
      'ブレーキ部品、自動車に該当します。提供：brake pads、brake discs。求めているもの：Japanese technology partner。',
    );
  });

  it('uses the seeker’s own language for profile lists when the profile has it', () => {
    const th = explainMatch({ ...base, seekerLang: 'th', matched: [{ label: 'ยานยนต์', kind: 'industry' }] });
    expect(th).toContain('ตรงกับ ยานยนต์');
    expect(th).toContain('ผ้าเบรก');
  });

  it('says the words matched when no concept did', () => {
    expect(
      explainMatch({
        ...base,
        seekerLang: 'en',
        matched: [],
        offerings: undefined,
        seeking: undefined,
        keywordOnly: true,
      }),
    ).toBe('Its profile contains the words of your request.');
  });
});
