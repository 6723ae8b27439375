import { privacyNotice, TRILINGUAL_PRIVACY_NOTICE } from './privacy-notice';

describe('privacy notice', () => {
  it.each([
    ['ja', /保存/, /国外/, /データを削除/],
    ['th', /จัดเก็บ/, /ต่างประเทศ/, /ลบข้อมูลของฉัน/],
    ['en', /stores/, /another country/, /forget me/],
  ] as const)(
    '%s says what is stored, that an LLM abroad may process it, and how to delete',
    (lang, ...says) => {
      for (const pattern of says) expect(privacyNotice(lang)).toMatch(pattern);
      // One chat bubble: LINE allows 5,000 characters, the widget shows it whole.
      expect(privacyNotice(lang).length).toBeLessThan(500);
    },
  );

  it('before the language is known, shows all three', () => {
    for (const lang of ['ja', 'th', 'en'] as const)
      expect(TRILINGUAL_PRIVACY_NOTICE).toContain(privacyNotice(lang));
  });
});
