import type { Lang } from '../../companies/company-profile.schema';

/** What the chat user is told, in their language, when a coordinator joins the thread or leaves it. */
export const STAFF_NOTICES: Record<Lang, { joined: string; handedBack: string }> = {
  ja: {
    joined: '担当者が会話に参加しました。ここからは担当者がお返事します。',
    handedBack: '担当者の対応が終わりました。ここからは引き続きボットがお手伝いします。',
  },
  th: {
    joined: 'เจ้าหน้าที่เข้าร่วมการสนทนาแล้ว จากนี้เจ้าหน้าที่จะตอบคุณในแชตนี้',
    handedBack: 'เจ้าหน้าที่ดูแลเสร็จแล้ว จากนี้บอตจะช่วยคุณต่อ',
  },
  en: {
    joined: 'A staff coordinator has joined this conversation and will reply to you here.',
    handedBack:
      'Our coordinator has handed this conversation back to the bot, which will help you from here.',
  },
};
