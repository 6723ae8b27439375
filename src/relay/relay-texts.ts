import type { Lang } from '../companies/company-profile.schema';

/**
 * Everything a deal room says on its own, in Japanese (です/ます), Thai (polite, gender-neutral: no ครับ/ค่ะ)
 * and English, side by side for reviewers. Relayed messages themselves are the members' words, translated.
 */
export interface RelayTexts {
  roomOpened: (other: string) => string;
  joinedRoom: (other: string) => string;
  help: string;
  staffName: string;
  requesterName: string;
  showOriginal: string;
  original: (langName: string) => string;
  noOriginal: string;
  untranslated: string;
  /** Under a machine translation whose automatic checks found a minor problem. */
  unverifiedTranslation: string;
  sticker: (keywords: string) => string;
  stickerPlain: string;
  image: string;
  file: (name: string) => string;
  video: string;
  audio: string;
  location: (what: string) => string;
  attachmentFailed: string;
  openIt: (url: string) => string;
  memberJoined: (who: string) => string;
  memberLeft: (who: string) => string;
  staffJoined: string;
  staffLeft: string;
  leaveConfirm: (other: string) => string;
  youLeft: string;
  closed: string;
  closedReply: string;
  shareYours: string;
  shareAlready: string;
  shareRequested: string;
  contactsRevealed: (company: string, lines: string) => string;
  noContact: (company: string) => string;
  contactFields: { person: string; email: string; phone: string; lineId: string };
  staffAsked: string;
  staffAlready: string;
  reported: string;
  invite: (code: string, hours: number) => string;
  inviteInvalid: string;
  inviteAlreadyMember: string;
  backToBot: string;
  focused: (other: string) => string;
  noRooms: string;
  chooseRoom: string;
  roomTag: (other: string) => string;
  fileTooLarge: (mb: number) => string;
  labels: {
    share: string;
    profile: string;
    staff: string;
    leave: string;
    leaveYes: string;
    cancel: string;
    invite: string;
    report: string;
    bot: string;
    reply: string;
    help: string;
  };
}

const ja: RelayTexts = {
  roomOpened: (o) =>
    `${o}との商談ルームを開きました。ここに書いたメッセージは、相手の言語に翻訳して届けます（原文もご覧いただけます）。「ヘルプ」で使い方を表示します。`,
  joinedRoom: (o) =>
    `${o}との商談ルームに参加しました。ここに書いたメッセージは、相手の言語に翻訳して届けます。`,
  help: '商談ルームでできること：\n・メッセージ、画像、ファイルの送信（相手の言語に翻訳して届けます）\n・「連絡先を共有」：双方が押すと連絡先を交換します\n・「相手の会社」：相手の会社情報\n・「招待」：同僚をこのルームに招待\n・「担当者」：Kakehashi の担当者に相談\n・「通報」：不適切なやり取りの報告\n・「ボットに戻る」／「退出」',
  staffName: 'Kakehashi 担当者',
  requesterName: 'ご紹介の依頼者',
  showOriginal: '原文を表示',
  original: (l) => `原文（${l}）：`,
  noOriginal: '原文が見つかりませんでした。',
  untranslated: '（現在翻訳をご利用いただけないため、原文のままお届けします）',
  unverifiedTranslation:
    '（機械翻訳です。用語や数値の一部を自動確認できませんでした。原文もあわせてご確認ください）',
  sticker: (k) => `（スタンプ：${k}）`,
  stickerPlain: '（スタンプを送信しました）',
  image: '（画像を送信しました）',
  file: (n) => `（ファイル「${n}」を送信しました）`,
  video: '（動画を送信しました）',
  audio: '（音声を送信しました）',
  location: (w) => `（位置情報：${w}）`,
  attachmentFailed: '（添付ファイルを転送できませんでした）',
  openIt: (u) => `表示：${u}`,
  memberJoined: (w) => `${w}のメンバーがルームに参加しました。`,
  memberLeft: (w) => `${w}のメンバーがルームを退出しました。`,
  staffJoined: 'Kakehashi の担当者がルームに参加しました。',
  staffLeft: 'Kakehashi の担当者がルームを離れました。引き続きメッセージは翻訳して届けます。',
  leaveConfirm: (o) =>
    `${o}との商談ルームを退出しますか。退出すると、このルームのメッセージは届かなくなります。`,
  youLeft: 'ルームを退出しました。ボットとの会話に戻ります。',
  closed: 'このルームは Kakehashi の担当者によって閉じられました。',
  closedReply: 'この商談ルームは閉じられています。ボットとの会話に戻ります。',
  shareYours: '連絡先の共有に同意しました。相手側も同意すると、双方の連絡先をお知らせします。',
  shareAlready: '連絡先の共有には同意済みです。相手側の同意をお待ちください。',
  shareRequested: '相手側が連絡先の共有を希望しています。同意する場合は「連絡先を共有」を押してください。',
  contactsRevealed: (c, l) => `双方が連絡先の共有に同意しました。${c}の連絡先：\n${l}`,
  noContact: (c) =>
    `双方が連絡先の共有に同意しました。${c}の連絡先は登録されていないため、担当者がおつなぎします。`,
  contactFields: { person: 'ご担当者', email: 'メール', phone: '電話', lineId: 'LINE ID' },
  staffAsked: '担当者に連絡しました。担当者がこのルームに参加してご案内します。',
  staffAlready: '担当者には連絡済みです。もうしばらくお待ちください。',
  reported: 'ご報告ありがとうございます。担当者が内容を確認します。',
  invite: (c, h) =>
    `同僚をこのルームに招待するには、Kakehashi に「参加 ${c}」と送ってもらってください（LINE・ウェブどちらでも可、${h}時間有効）。`,
  inviteInvalid: 'この招待コードは無効か、期限が切れています。',
  inviteAlreadyMember: 'すでにこのルームのメンバーです。',
  backToBot: 'ボットとの会話に戻りました。ルームに戻るには「ルーム」と送ってください。',
  focused: (o) => `${o}との商談ルームに戻りました。`,
  noRooms: '参加中の商談ルームはありません。',
  chooseRoom: 'どのルームに戻りますか。',
  roomTag: (o) => `［${o}］`,
  fileTooLarge: (mb) => `ファイルが大きすぎます（上限 ${mb} MB）。`,
  labels: {
    share: '連絡先を共有',
    profile: '相手の会社',
    staff: '担当者',
    leave: '退出',
    leaveYes: '退出する',
    cancel: 'キャンセル',
    invite: '招待',
    report: '通報',
    bot: 'ボットに戻る',
    reply: 'このルームで返信',
    help: 'ヘルプ',
  },
};

const th: RelayTexts = {
  roomOpened: (o) =>
    `เปิดห้องเจรจาธุรกิจกับ ${o} แล้ว ข้อความที่พิมพ์ในห้องนี้จะถูกแปลเป็นภาษาของอีกฝ่าย (และดูต้นฉบับได้) พิมพ์ "วิธีใช้" เพื่อดูคำสั่ง`,
  joinedRoom: (o) => `เข้าร่วมห้องเจรจาธุรกิจกับ ${o} แล้ว ข้อความที่พิมพ์ในห้องนี้จะถูกแปลเป็นภาษาของอีกฝ่าย`,
  help: 'สิ่งที่ทำได้ในห้องเจรจา:\n• ส่งข้อความ รูปภาพ และไฟล์ (แปลเป็นภาษาของอีกฝ่ายให้)\n• "แชร์ข้อมูลติดต่อ": เมื่อทั้งสองฝ่ายกด จะแลกเปลี่ยนข้อมูลติดต่อกัน\n• "ข้อมูลบริษัท": ดูข้อมูลบริษัทของอีกฝ่าย\n• "เชิญ": เชิญเพื่อนร่วมงานเข้าห้อง\n• "เจ้าหน้าที่": ปรึกษาเจ้าหน้าที่ Kakehashi\n• "แจ้งปัญหา": รายงานพฤติกรรมไม่เหมาะสม\n• "กลับไปที่บอท" / "ออกจากห้อง"',
  staffName: 'เจ้าหน้าที่ Kakehashi',
  requesterName: 'ผู้ขอให้แนะนำ',
  showOriginal: 'ดูต้นฉบับ',
  original: (l) => `ต้นฉบับ (${l}):`,
  noOriginal: 'ไม่พบข้อความต้นฉบับ',
  untranslated: '(ขณะนี้ระบบแปลไม่พร้อมใช้งาน จึงส่งข้อความต้นฉบับให้)',
  unverifiedTranslation: '(แปลโดยเครื่อง ระบบตรวจสอบคำศัพท์หรือตัวเลขบางส่วนไม่ผ่าน กรุณาตรวจสอบกับต้นฉบับด้วย)',
  sticker: (k) => `(สติกเกอร์: ${k})`,
  stickerPlain: '(ส่งสติกเกอร์)',
  image: '(ส่งรูปภาพ)',
  file: (n) => `(ส่งไฟล์ "${n}")`,
  video: '(ส่งวิดีโอ)',
  audio: '(ส่งข้อความเสียง)',
  location: (w) => `(ตำแหน่ง: ${w})`,
  attachmentFailed: '(ไม่สามารถส่งต่อไฟล์แนบได้)',
  openIt: (u) => `เปิดดู: ${u}`,
  memberJoined: (w) => `สมาชิกจาก ${w} เข้าร่วมห้องแล้ว`,
  memberLeft: (w) => `สมาชิกจาก ${w} ออกจากห้องแล้ว`,
  staffJoined: 'เจ้าหน้าที่ Kakehashi เข้าร่วมห้องแล้ว',
  staffLeft: 'เจ้าหน้าที่ Kakehashi ออกจากห้องแล้ว ข้อความยังคงถูกแปลและส่งต่อตามปกติ',
  leaveConfirm: (o) => `ต้องการออกจากห้องเจรจากับ ${o} หรือไม่ เมื่อออกแล้วจะไม่ได้รับข้อความจากห้องนี้อีก`,
  youLeft: 'ออกจากห้องแล้ว กลับสู่การสนทนากับบอท',
  closed: 'เจ้าหน้าที่ Kakehashi ได้ปิดห้องนี้แล้ว',
  closedReply: 'ห้องเจรจานี้ปิดแล้ว กลับสู่การสนทนากับบอท',
  shareYours: 'ยินยอมแชร์ข้อมูลติดต่อแล้ว เมื่ออีกฝ่ายยินยอมด้วย จะส่งข้อมูลติดต่อของทั้งสองฝ่ายให้',
  shareAlready: 'ยินยอมแชร์ข้อมูลติดต่อไว้แล้ว กรุณารอการยินยอมจากอีกฝ่าย',
  shareRequested: 'อีกฝ่ายต้องการแลกเปลี่ยนข้อมูลติดต่อ หากยินยอม กรุณากด "แชร์ข้อมูลติดต่อ"',
  contactsRevealed: (c, l) => `ทั้งสองฝ่ายยินยอมแชร์ข้อมูลติดต่อแล้ว ข้อมูลติดต่อของ ${c}:\n${l}`,
  noContact: (c) => `ทั้งสองฝ่ายยินยอมแชร์ข้อมูลติดต่อแล้ว แต่ ${c} ยังไม่มีข้อมูลติดต่อในระบบ เจ้าหน้าที่จะช่วยประสานงานให้`,
  contactFields: { person: 'ผู้ติดต่อ', email: 'อีเมล', phone: 'โทรศัพท์', lineId: 'LINE ID' },
  staffAsked: 'แจ้งเจ้าหน้าที่แล้ว เจ้าหน้าที่จะเข้าร่วมห้องนี้เพื่อช่วยเหลือ',
  staffAlready: 'แจ้งเจ้าหน้าที่ไว้แล้ว กรุณารอสักครู่',
  reported: 'ขอบคุณสำหรับการแจ้ง เจ้าหน้าที่จะตรวจสอบโดยเร็ว',
  invite: (c, h) =>
    `หากต้องการเชิญเพื่อนร่วมงานเข้าห้องนี้ ให้ส่งข้อความ "เข้าร่วม ${c}" ถึง Kakehashi (ทาง LINE หรือเว็บก็ได้ ใช้ได้ ${h} ชั่วโมง)`,
  inviteInvalid: 'รหัสเชิญนี้ไม่ถูกต้องหรือหมดอายุแล้ว',
  inviteAlreadyMember: 'เป็นสมาชิกของห้องนี้อยู่แล้ว',
  backToBot: 'กลับสู่การสนทนากับบอทแล้ว หากต้องการกลับเข้าห้อง พิมพ์ "ห้อง"',
  focused: (o) => `กลับเข้าห้องเจรจากับ ${o} แล้ว`,
  noRooms: 'ยังไม่มีห้องเจรจาที่เข้าร่วมอยู่',
  chooseRoom: 'ต้องการกลับไปที่ห้องใด',
  roomTag: (o) => `[${o}]`,
  fileTooLarge: (mb) => `ไฟล์ใหญ่เกินไป (ไม่เกิน ${mb} MB)`,
  labels: {
    share: 'แชร์ข้อมูลติดต่อ',
    profile: 'ข้อมูลบริษัท',
    staff: 'เจ้าหน้าที่',
    leave: 'ออกจากห้อง',
    leaveYes: 'ยืนยันออกจากห้อง',
    cancel: 'ยกเลิก',
    invite: 'เชิญ',
    report: 'แจ้งปัญหา',
    bot: 'กลับไปที่บอท',
    reply: 'ตอบในห้องนี้',
    help: 'วิธีใช้',
  },
};

const en: RelayTexts = {
  roomOpened: (o) =>
    `Your deal room with ${o} is open. What you write here reaches them translated into their language (the original is one tap away). Say "help" for the room commands.`,
  joinedRoom: (o) =>
    `You joined the deal room with ${o}. What you write here reaches them translated into their language.`,
  help: 'In a deal room you can:\n• Send messages, images and files (translated for the other side)\n• "share contact": contacts are exchanged once both sides press it\n• "profile": the other company\'s profile\n• "invite": invite a colleague to this room\n• "staff": ask a Kakehashi coordinator\n• "report": report abuse\n• "back to bot" / "leave"',
  staffName: 'Kakehashi coordinator',
  requesterName: 'Introduction requester',
  showOriginal: 'Show original',
  original: (l) => `Original (${l}):`,
  noOriginal: 'The original could not be found.',
  untranslated: '(Translation is unavailable right now; this is the original.)',
  unverifiedTranslation:
    '(Machine translation: some terms or figures could not be verified automatically; please check the original.)',
  sticker: (k) => `(sticker: ${k})`,
  stickerPlain: '(sent a sticker)',
  image: '(sent an image)',
  file: (n) => `(sent the file "${n}")`,
  video: '(sent a video)',
  audio: '(sent a voice message)',
  location: (w) => `(location: ${w})`,
  attachmentFailed: '(an attachment could not be relayed)',
  openIt: (u) => `Open: ${u}`,
  memberJoined: (w) => `A member of ${w} joined the room.`,
  memberLeft: (w) => `A member of ${w} left the room.`,
  staffJoined: 'A Kakehashi coordinator joined the room.',
  staffLeft: 'The Kakehashi coordinator left the room. Messages are still translated and relayed.',
  leaveConfirm: (o) => `Leave the deal room with ${o}? You will no longer receive its messages.`,
  youLeft: 'You left the room. You are back with the bot.',
  closed: 'A Kakehashi coordinator closed this room.',
  closedReply: 'This deal room is closed. You are back with the bot.',
  shareYours:
    'You agreed to share contact details. Once the other side agrees too, both sides receive each other’s contacts.',
  shareAlready: 'You already agreed to share contact details; waiting for the other side.',
  shareRequested:
    'The other side would like to exchange contact details. Press "share contact" if you agree.',
  contactsRevealed: (c, l) => `Both sides agreed to share contact details. ${c}:\n${l}`,
  noContact: (c) =>
    `Both sides agreed to share contact details, but ${c} has no contact on file; a coordinator will connect you.`,
  contactFields: { person: 'Contact person', email: 'E-mail', phone: 'Phone', lineId: 'LINE ID' },
  staffAsked: 'A coordinator has been asked and will join this room.',
  staffAlready: 'A coordinator has already been asked; please wait a moment.',
  reported: 'Thank you for the report. A coordinator will review it.',
  invite: (c, h) =>
    `To invite a colleague into this room, have them send "join ${c}" to Kakehashi (on LINE or the web chat; valid for ${h} hours).`,
  inviteInvalid: 'This invitation code is not valid or has expired.',
  inviteAlreadyMember: 'You are already a member of this room.',
  backToBot: 'You are back with the bot. Say "room" to return to your deal room.',
  focused: (o) => `You are back in the deal room with ${o}.`,
  noRooms: 'You are not in any deal room.',
  chooseRoom: 'Which room?',
  roomTag: (o) => `[${o}]`,
  fileTooLarge: (mb) => `The file is too large (at most ${mb} MB).`,
  labels: {
    share: 'Share contact',
    profile: 'Their profile',
    staff: 'Ask staff',
    leave: 'Leave',
    leaveYes: 'Leave the room',
    cancel: 'Cancel',
    invite: 'Invite',
    report: 'Report',
    bot: 'Back to bot',
    reply: 'Reply in this room',
    help: 'Help',
  },
};

const ALL: Record<Lang, RelayTexts> = { ja, th, en };

export function relayTexts(lang: Lang): RelayTexts {
  return ALL[lang];
}
