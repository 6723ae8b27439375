import type { Lang } from '../companies/company-profile.schema';

/** What partner alerts say, in Japanese (です/ます), Thai (polite, gender-neutral) and English. */
export interface AlertTexts {
  saved: (search: string) => string;
  already: string;
  noSearch: string;
  tooMany: (n: number) => string;
  stopped: string;
  nothingToStop: string;
  digest: (search: string, n: number) => string;
  labels: { alert: string; stop: string };
}

const ja: AlertTexts = {
  saved: (s) =>
    `「${s}」に合う企業が新しく登録されたら、こちらでお知らせします（1日1回まで）。「通知を止める」でいつでも停止できます。`,
  already: 'この条件はすでに通知の対象です。',
  noSearch: '先に探したい企業の条件を入力してください。その条件に合う企業が登録されたらお知らせします。',
  tooMany: (n) => `通知できる条件は${n}件までです。「通知を止める」で一度解除してください。`,
  stopped: '新着企業のお知らせを停止しました。',
  nothingToStop: '現在、通知の設定はありません。',
  digest: (s, n) => `「${s}」に合う企業が新しく登録されました（${n}社）。`,
  labels: { alert: '新着を通知', stop: '通知を止める' },
};

const th: AlertTexts = {
  saved: (s) => `เมื่อมีบริษัทใหม่ที่ตรงกับ "${s}" จะแจ้งให้ทราบที่นี่ (ไม่เกินวันละครั้ง) พิมพ์ "หยุดแจ้งเตือน" เพื่อหยุดได้ทุกเมื่อ`,
  already: 'เงื่อนไขนี้ตั้งการแจ้งเตือนไว้แล้ว',
  noSearch: 'กรุณาพิมพ์เงื่อนไขบริษัทที่ต้องการค้นหาก่อน เมื่อมีบริษัทใหม่ที่ตรงเงื่อนไขจะแจ้งให้ทราบ',
  tooMany: (n) => `ตั้งการแจ้งเตือนได้สูงสุด ${n} เงื่อนไข กรุณาพิมพ์ "หยุดแจ้งเตือน" เพื่อล้างก่อน`,
  stopped: 'หยุดการแจ้งเตือนบริษัทใหม่แล้ว',
  nothingToStop: 'ขณะนี้ไม่มีการตั้งแจ้งเตือน',
  digest: (s, n) => `มีบริษัทใหม่ที่ตรงกับ "${s}" (${n} บริษัท)`,
  labels: { alert: 'แจ้งเตือนบริษัทใหม่', stop: 'หยุดแจ้งเตือน' },
};

const en: AlertTexts = {
  saved: (s) =>
    `I’ll tell you here when a firm matching “${s}” joins (at most once a day). Say “stop alerts” at any time.`,
  already: 'You already get alerts for this search.',
  noSearch: 'Tell me first what kind of firm you are looking for; I’ll then tell you when one joins.',
  tooMany: (n) => `You can keep alerts for up to ${n} searches. Say “stop alerts” to clear them first.`,
  stopped: 'Alerts about new firms are stopped.',
  nothingToStop: 'You have no alerts set.',
  digest: (s, n) => `New firms matching “${s}” have joined (${n}).`,
  labels: { alert: 'Alert me: new firms', stop: 'Stop alerts' },
};

const TEXTS: Record<Lang, AlertTexts> = { ja, th, en };

export function alertTexts(lang: Lang): AlertTexts {
  return TEXTS[lang];
}

/** "Stop alerts" in words. */
export const STOP_ALERTS =
  /^(stop alerts?|unsubscribe|no more alerts|通知を?(止め|とめ|停止|やめ|解除)(る|て|たい|ます|てください)?|新着通知を?(停止|解除)|หยุด(การ)?แจ้งเตือน|ยกเลิก(การ)?แจ้งเตือน|ไม่ต้องแจ้งเตือน)$/;
/** "Tell me when a firm like this joins" in words (after a search). */
export const SAVE_ALERT =
  /^(alert me|notify me|tell me when (a |new )?(firm|company|one)s? (like this |matching )?(joins?|registers?|appears?)|新着を通知|(新しい|新規の?)(企業|会社)が(登録|追加)されたら(教えて|知らせて|通知して)(ください)?|通知して(ください)?|แจ้งเตือน(บริษัทใหม่)?|แจ้งเมื่อมีบริษัทใหม่)$/;
