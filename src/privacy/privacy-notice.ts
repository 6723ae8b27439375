import type { Lang } from '../config/app-config';

/**
 * The first-contact privacy notice (Thailand's PDPA, Japan's APPI): what is stored, that messages may be
 * processed by a language-model provider outside the user's country, and how to have everything deleted. The
 * chat engine shows it with its first-contact greeting (LINE follow, widget opened, language not yet known).
 * Kept short enough for one chat bubble; the deletion phrases are the ones the engine understands.
 */
const NOTICE: Record<Lang, string> = {
  ja: [
    '【個人情報の取り扱い】',
    'Kakehashi は、ご案内のためにこの会話の内容、言語設定、ご紹介の依頼を保存します。',
    'メッセージの理解・翻訳・回答のため、内容が国外の AI（大規模言語モデル）事業者で処理される場合があります。',
    '会話の記録は一定期間後に自動で削除されます。「データを削除」と送ると、いつでもすべて削除できます。',
  ].join('\n'),
  th: [
    '[การคุ้มครองข้อมูลส่วนบุคคล]',
    'Kakehashi จะจัดเก็บข้อความในการสนทนานี้ ภาษาที่เลือก และคำขอให้แนะนำบริษัท เพื่อให้บริการแก่คุณ',
    'ข้อความอาจถูกประมวลผลโดยผู้ให้บริการ AI (โมเดลภาษาขนาดใหญ่) ในต่างประเทศ เพื่อทำความเข้าใจ แปล และตอบกลับ',
    'ประวัติการสนทนาจะถูกลบโดยอัตโนมัติเมื่อครบกำหนด และคุณพิมพ์ "ลบข้อมูลของฉัน" เพื่อลบทั้งหมดได้ทุกเมื่อ',
  ].join('\n'),
  en: [
    '[Privacy]',
    'Kakehashi stores this conversation, your language choice and your introduction requests in order to help you.',
    'Messages may be processed by an AI (large language model) provider in another country to understand, translate and answer them.',
    'Conversations are deleted automatically after a retention period, and you can delete everything at any time by sending "forget me".',
  ].join('\n'),
};

export function privacyNotice(lang: Lang): string {
  return NOTICE[lang];
}

/** Before the user's language is known: all three, Japanese, Thai, English (the greeting's order). */
export const TRILINGUAL_PRIVACY_NOTICE = [NOTICE.ja, NOTICE.th, NOTICE.en].join('\n\n');
