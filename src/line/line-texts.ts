import type { Country, Lang } from '../companies/company-profile.schema';

/**
 * The few words the LINE channel writes itself (everything else comes from the conversation engine): the
 * apology when an event cannot be handled, default card buttons, the heading of a carousel's plain-text
 * version. Japanese in です/ます, Thai in the polite register.
 */
export const LINE_TEXTS = {
  failed: {
    ja: '申し訳ありません。ただいまご依頼を処理できませんでした。担当者から改めてご連絡いたします。',
    th: 'ขออภัยค่ะ ขณะนี้ระบบไม่สามารถดำเนินการตามคำขอได้ เจ้าหน้าที่จะติดต่อกลับค่ะ',
    en: "Sorry, I couldn't handle your request just now. A member of our staff will follow up.",
  },
  details: { ja: '詳細', th: 'รายละเอียด', en: 'Details' },
  requestIntroduction: { ja: '紹介を依頼', th: 'ขอการแนะนำ', en: 'Request introduction' },
  matches: { ja: 'おすすめの企業', th: 'บริษัทที่แนะนำ', en: 'Suggested companies' },
  choose: { ja: 'お選びください。', th: 'กรุณาเลือกค่ะ', en: 'Please choose.' },
} satisfies Record<string, Record<Lang, string>>;

export const COUNTRY_NAMES: Record<Country, Record<Lang, string>> = {
  JP: { ja: '日本', th: 'ญี่ปุ่น', en: 'Japan' },
  TH: { ja: 'タイ', th: 'ไทย', en: 'Thailand' },
};

/** One text in all three languages, for readers whose language is not known yet. */
export function trilingual(text: Record<Lang, string>): string {
  return [text.ja, text.th, text.en].join('\n\n');
}
