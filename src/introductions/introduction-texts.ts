import type { Lang } from '../companies/company-profile.schema';

/**
 * What the introduction flow says, in Japanese (です/ます), Thai (polite, gender-neutral) and English, side by
 * side for reviewers. The requester's own message is theirs (translated for the target by the model).
 */
export interface IntroductionTexts {
  draft: (target: string, message: string) => string;
  confirm: (message: string) => string;
  draftTemplate: (need: string | undefined, target: string) => string;
  sent: (target: string, days: number) => string;
  sentToStaff: (target: string, days: number) => string;
  cancelled: string;
  already: (target: string) => string;
  rateLimited: (n: number) => string;
  /** Said when the limit of the network the web session came from is reached (the user may have sent none). */
  networkRateLimited: string;
  ownCompany: string;
  notFound: string;
  requestHeader: (who: string) => string;
  unregistered: string;
  why: (what: string) => string;
  theySeek: (what: string) => string;
  theirNeed: (need: string) => string;
  theirMessage: string;
  untranslated: string;
  /** Put where a link was in a first message to a firm that has not accepted yet. */
  linkWithheld: string;
  askReason: string;
  declinedTarget: string;
  declinedRequester: (target: string) => string;
  reason: (text: string) => string;
  expiredRequester: (target: string) => string;
  notPending: (status: string) => string;
  notForYou: string;
  staffAsked: string;
  requesterGone: string;
  original: (lang: string, text: string) => string;
  status: Record<'draft' | 'pending' | 'accepted' | 'declined' | 'expired' | 'cancelled', string>;
  labels: {
    send: string;
    cancel: string;
    accept: string;
    decline: string;
    declineNow: string;
    staff: string;
    original: string;
  };
  listSep: string;
}

const ja: IntroductionTexts = {
  draft: (t, m) =>
    `${t}へのご紹介を依頼します。先方へのメッセージ案です：\n\n「${m}」\n\nこのまま送る場合は「送信」を、書き直す場合はメッセージを入力してください。`,
  confirm: (m) => `次のメッセージで依頼します：\n\n「${m}」\n\nよろしければ「送信」を押してください。`,
  draftTemplate: (need, t) =>
    need
      ? `はじめまして。「${need}」について、${t}様とのお取引を検討しております。一度お話しさせていただけますと幸いです。`
      : `はじめまして。${t}様とのお取引を検討しております。一度お話しさせていただけますと幸いです。`,
  sent: (t, d) =>
    `${t}にご紹介の依頼を送りました。先方が承諾すると商談ルームが開きます。${d}日以内にお返事がない場合は期限切れになります。連絡先は双方が同意した場合にのみ共有されます。`,
  sentToStaff: (t, d) =>
    `${t}へのご紹介の依頼を受け付けました。先方はまだチャットを利用していないため、Kakehashi の担当者が先方にご連絡します（${d}日以内にお返事がない場合は期限切れになります）。`,
  cancelled: 'ご紹介の依頼を取り消しました。',
  already: (t) => `${t}へのご紹介の依頼は既に受け付けています。先方のお返事をお待ちください。`,
  rateLimited: (n) => `ご紹介の依頼は24時間に${n}件までです。しばらくしてからお試しください。`,
  networkRateLimited:
    'お使いのネットワークから本日送られたご紹介の依頼が上限に達しました。明日以降に改めてお試しください。',
  ownCompany: 'ご自身の会社へのご紹介は依頼できません。',
  notFound: 'このご紹介の依頼は見つかりませんでした。',
  requestHeader: (w) => `${w}から、貴社へのご紹介の依頼が届きました。`,
  unregistered: 'Kakehashi に会社情報が登録されていない企業',
  why: (w) => `マッチの理由：${w}`,
  theySeek: (w) => `先方が求めているもの：${w}`,
  theirNeed: (n) => `先方のご要望：${n}`,
  theirMessage: 'メッセージ：',
  untranslated: '（現在翻訳をご利用いただけないため、原文のままお届けします）',
  linkWithheld: '［リンクは紹介の承諾後に共有できます］',
  askReason: 'お断りの理由があればご入力ください（任意・先方にお伝えします）。',
  declinedTarget: 'お断りの旨を先方にお伝えします。',
  declinedRequester: (t) => `${t}は、今回のご紹介をお断りしました。ほかの候補を探すこともできます。`,
  reason: (r) => `理由：${r}`,
  expiredRequester: (t) =>
    `${t}からお返事がなかったため、ご紹介の依頼は期限切れになりました。ほかの候補を探すこともできます。`,
  notPending: (s) => `このご紹介の依頼は既に「${s}」です。`,
  notForYou: 'この依頼にお答えできるのは、先方企業のご担当者のみです。',
  staffAsked: 'Kakehashi の担当者に連絡しました。追ってご連絡します。',
  requesterGone: '依頼者はすでにチャットを退会しているため、この依頼は取り消されました。',
  original: (l, t) => `原文（${l}）：\n${t}`,
  status: {
    draft: '下書き',
    pending: '回答待ち',
    accepted: '承諾済み',
    declined: 'お断り',
    expired: '期限切れ',
    cancelled: '取り消し',
  },
  labels: {
    send: 'この内容で依頼',
    cancel: '取り消す',
    accept: '承諾する',
    decline: 'お断りする',
    declineNow: '理由なしで断る',
    staff: '担当者に相談',
    original: '原文を表示',
  },
  listSep: '、',
};

const th: IntroductionTexts = {
  draft: (t, m) =>
    `จะส่งคำขอให้แนะนำ ${t} นี่คือร่างข้อความถึงอีกฝ่าย:\n\n"${m}"\n\nหากต้องการส่งตามนี้ กด "ส่ง" หรือพิมพ์ข้อความใหม่เพื่อแก้ไข`,
  confirm: (m) => `จะส่งคำขอด้วยข้อความนี้:\n\n"${m}"\n\nหากถูกต้อง กรุณากด "ส่ง"`,
  draftTemplate: (need, t) =>
    need
      ? `เรียน ${t} บริษัทของเราสนใจทำธุรกิจร่วมกันในเรื่อง "${need}" หากมีโอกาสได้พูดคุยกันจะยินดีเป็นอย่างยิ่ง`
      : `เรียน ${t} บริษัทของเราสนใจทำธุรกิจร่วมกัน หากมีโอกาสได้พูดคุยกันจะยินดีเป็นอย่างยิ่ง`,
  sent: (t, d) =>
    `ส่งคำขอให้แนะนำ ${t} แล้ว เมื่ออีกฝ่ายตอบรับ ห้องเจรจาธุรกิจจะเปิดขึ้น หากไม่มีการตอบกลับภายใน ${d} วัน คำขอจะหมดอายุ ข้อมูลติดต่อจะแชร์เมื่อทั้งสองฝ่ายยินยอมเท่านั้น`,
  sentToStaff: (t, d) =>
    `รับคำขอให้แนะนำ ${t} แล้ว เนื่องจากอีกฝ่ายยังไม่ได้ใช้งานแชต เจ้าหน้าที่ Kakehashi จะติดต่ออีกฝ่ายให้ (คำขอจะหมดอายุหากไม่มีการตอบกลับภายใน ${d} วัน)`,
  cancelled: 'ยกเลิกคำขอให้แนะนำแล้ว',
  already: (t) => `ได้ส่งคำขอให้แนะนำ ${t} ไว้แล้ว กรุณารอการตอบกลับจากอีกฝ่าย`,
  rateLimited: (n) => `ส่งคำขอให้แนะนำได้ไม่เกิน ${n} รายการใน 24 ชั่วโมง กรุณาลองใหม่ภายหลัง`,
  networkRateLimited: 'คำขอให้แนะนำที่ส่งจากเครือข่ายของท่านวันนี้ครบจำนวนสูงสุดแล้ว กรุณาลองใหม่ในวันพรุ่งนี้',
  ownCompany: 'ไม่สามารถขอให้แนะนำบริษัทของตนเองได้',
  notFound: 'ไม่พบคำขอให้แนะนำนี้',
  requestHeader: (w) => `${w} ส่งคำขอให้แนะนำถึงบริษัทของท่าน`,
  unregistered: 'บริษัทที่ยังไม่ได้ลงทะเบียนข้อมูลกับ Kakehashi',
  why: (w) => `เหตุผลที่เหมาะสม: ${w}`,
  theySeek: (w) => `สิ่งที่อีกฝ่ายกำลังมองหา: ${w}`,
  theirNeed: (n) => `ความต้องการของอีกฝ่าย: ${n}`,
  theirMessage: 'ข้อความ:',
  untranslated: '(ขณะนี้ระบบแปลไม่พร้อมใช้งาน จึงส่งข้อความต้นฉบับให้)',
  linkWithheld: '[แชร์ลิงก์ได้หลังจากตอบรับการแนะนำแล้ว]',
  askReason: 'หากมีเหตุผลในการปฏิเสธ กรุณาพิมพ์ (ไม่บังคับ จะแจ้งให้อีกฝ่ายทราบ)',
  declinedTarget: 'จะแจ้งการปฏิเสธให้อีกฝ่ายทราบ',
  declinedRequester: (t) => `${t} ได้ปฏิเสธคำขอให้แนะนำในครั้งนี้ สามารถค้นหาบริษัทอื่นได้`,
  reason: (r) => `เหตุผล: ${r}`,
  expiredRequester: (t) => `คำขอให้แนะนำ ${t} หมดอายุแล้ว เนื่องจากไม่มีการตอบกลับ สามารถค้นหาบริษัทอื่นได้`,
  notPending: (s) => `คำขอให้แนะนำนี้อยู่ในสถานะ "${s}" แล้ว`,
  notForYou: 'เฉพาะผู้แทนของบริษัทปลายทางเท่านั้นที่ตอบคำขอนี้ได้',
  staffAsked: 'แจ้งเจ้าหน้าที่ Kakehashi แล้ว เจ้าหน้าที่จะติดต่อกลับ',
  requesterGone: 'ผู้ขอได้ลบข้อมูลออกจากแชตแล้ว คำขอนี้จึงถูกยกเลิก',
  original: (l, t) => `ต้นฉบับ (${l}):\n${t}`,
  status: {
    draft: 'ร่าง',
    pending: 'รอการตอบกลับ',
    accepted: 'ตอบรับแล้ว',
    declined: 'ปฏิเสธ',
    expired: 'หมดอายุ',
    cancelled: 'ยกเลิก',
  },
  labels: {
    send: 'ส่งคำขอนี้',
    cancel: 'ยกเลิก',
    accept: 'ตอบรับ',
    decline: 'ปฏิเสธ',
    declineNow: 'ปฏิเสธโดยไม่ระบุเหตุผล',
    staff: 'ปรึกษาเจ้าหน้าที่',
    original: 'ดูต้นฉบับ',
  },
  listSep: ', ',
};

const en: IntroductionTexts = {
  draft: (t, m) =>
    `I will ask ${t} for an introduction. Here is a draft message to them:\n\n"${m}"\n\nPress "Send" to send it as is, or type your own message.`,
  confirm: (m) => `Your request will carry this message:\n\n"${m}"\n\nPress "Send" if it is right.`,
  draftTemplate: (need, t) =>
    need
      ? `Dear ${t}, we are interested in doing business with you regarding "${need}". We would be glad to have a conversation.`
      : `Dear ${t}, we are interested in doing business with you. We would be glad to have a conversation.`,
  sent: (t, d) =>
    `Your introduction request was sent to ${t}. When they accept, a deal room opens. Without an answer within ${d} days the request expires. Contact details are shared only when both sides agree.`,
  sentToStaff: (t, d) =>
    `Your introduction request for ${t} was received. They do not use the chat yet, so a Kakehashi coordinator will contact them (the request expires without an answer within ${d} days).`,
  cancelled: 'Your introduction request was cancelled.',
  already: (t) => `You already asked for an introduction to ${t}; please wait for their answer.`,
  rateLimited: (n) => `You can send at most ${n} introduction requests in 24 hours. Please try again later.`,
  networkRateLimited:
    'Your network has sent as many introduction requests as it may today. Please try again tomorrow.',
  ownCompany: 'You cannot request an introduction to your own company.',
  notFound: 'This introduction request could not be found.',
  requestHeader: (w) => `${w} asks to be introduced to your company.`,
  unregistered: 'A company not yet registered with Kakehashi',
  why: (w) => `Why you match: ${w}`,
  theySeek: (w) => `They are looking for: ${w}`,
  theirNeed: (n) => `Their request: ${n}`,
  theirMessage: 'Their message:',
  untranslated: '(Translation is unavailable right now; this is the original.)',
  linkWithheld: '[links can be shared once the introduction is accepted]',
  askReason: 'If you like, type a reason for declining (optional; it is passed on to them).',
  declinedTarget: 'We will let them know you declined.',
  declinedRequester: (t) => `${t} declined the introduction this time. You can look for other partners.`,
  reason: (r) => `Reason: ${r}`,
  expiredRequester: (t) =>
    `Your introduction request for ${t} expired without an answer. You can look for other partners.`,
  notPending: (s) => `This introduction request is already "${s}".`,
  notForYou: 'Only representatives of the company it was sent to can answer this request.',
  staffAsked: 'A Kakehashi coordinator has been asked and will get back to you.',
  requesterGone: 'The requester has deleted their chat data, so this request was cancelled.',
  original: (l, t) => `Original (${l}):\n${t}`,
  status: {
    draft: 'draft',
    pending: 'waiting for an answer',
    accepted: 'accepted',
    declined: 'declined',
    expired: 'expired',
    cancelled: 'cancelled',
  },
  labels: {
    send: 'Send this request',
    cancel: 'Cancel',
    accept: 'Accept',
    decline: 'Decline',
    declineNow: 'Decline, no reason',
    staff: 'Ask staff',
    original: 'Show original',
  },
  listSep: ', ',
};

const ALL: Record<Lang, IntroductionTexts> = { ja, th, en };

export function introductionTexts(lang: Lang): IntroductionTexts {
  return ALL[lang];
}

/**
 * Links (with a scheme, "www.", or a domain with a path) in a first message to a firm that has not accepted: a
 * stranger's link pushed from the official account is the classic phishing lure (the probe sent
 * https://phish.example/login to a LINE-linked firm from eight anonymous sessions). They are withheld until the
 * firm accepts and the two talk in a deal room.
 */
const LINK =
  /(?:\bhttps?:\/\/|\bwww\.)[^\s<>"'「」（）()]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\/[^\s<>"'「」（）()]*/giu;

export function withoutLinks(text: string, lang: Lang): string {
  return text.replace(LINK, introductionTexts(lang).linkWithheld);
}
