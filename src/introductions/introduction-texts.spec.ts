import { withoutLinks } from './introduction-texts';

describe('links in a first message to a firm', () => {
  it('are withheld, in the reader’s language, whatever their form', () => {
    const text = withoutLinks(
      'Please log in at https://phish.example/login?next=1, see www.example.co.th or evil.example/path now.',
      'en',
    );
    expect(text).not.toMatch(/phish|example/);
    expect(text.match(/links can be shared/g)).toHaveLength(3);
    expect(withoutLinks('詳細は https://phish.example/login をご覧ください', 'ja')).toBe(
      '詳細は ［リンクは紹介の承諾後に共有できます］ をご覧ください',
    );
  });

  it('leaves ordinary text, figures and e-mail-free sentences alone', () => {
    const text = 'ISO 9001, 12,000 pcs/month, ver. 2.5 of the drawing, ผลิตชิ้นส่วน 1.5 ล้านชิ้น';
    expect(withoutLinks(text, 'th')).toBe(text);
  });
});
