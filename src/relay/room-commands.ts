/**
 * Room commands typed in Japanese, Thai or English. Only a short message that is nothing but the command counts
 * ("連絡先を共有" is a command; "連絡先を共有してもよいですか" is a message for the other side), so ordinary
 * conversation is never swallowed. Buttons send postbacks (`action=room-…`) and need no parsing.
 */
export type RoomCommand =
  'leave' | 'share' | 'staff' | 'profile' | 'report' | 'invite' | 'bot' | 'original' | 'help' | 'room';

const COMMANDS: Array<[RoomCommand, RegExp]> = [
  [
    'leave',
    /^(leave|leave (the )?room|exit( the)? room|退出|退室|退出する|ルームを退出|ออกจากห้อง|ออกจากห้องเจรจา)$/,
  ],
  [
    'share',
    /^(share( my)? contacts?|share contact details|連絡先を共有|連絡先共有|連絡先を交換|แชร์ข้อมูลติดต่อ|แลกเปลี่ยนข้อมูลติดต่อ|แชร์ช่องทางติดต่อ)$/,
  ],
  [
    'staff',
    /^(staff|ask staff|talk to staff|coordinator|担当者|担当者を呼ぶ|担当者に相談|担当者と話す|เจ้าหน้าที่|ติดต่อเจ้าหน้าที่|คุยกับเจ้าหน้าที่|ขอคุยกับเจ้าหน้าที่)$/,
  ],
  [
    'profile',
    /^(profile|their profile|company profile|相手の会社|相手の会社情報|会社情報|ข้อมูลบริษัท|ข้อมูลบริษัทคู่ค้า|โปรไฟล์บริษัท)$/,
  ],
  ['report', /^(report|report abuse|通報|通報する|แจ้งปัญหา|รายงานความไม่เหมาะสม)$/],
  ['invite', /^(invite|invite (a )?colleague|招待|同僚を招待|เชิญ|เชิญเพื่อนร่วมงาน)$/],
  ['bot', /^(bot|back to bot|back to the bot|ボット|ボットに戻る|บอท|กลับไปที่บอท|คุยกับบอท)$/],
  ['original', /^(original|show original|原文|原文を表示|ต้นฉบับ|ดูต้นฉบับ)$/],
  ['help', /^(help|room help|ヘルプ|使い方|วิธีใช้|ช่วยเหลือ)$/],
  ['room', /^(room|rooms|my rooms?|deal room|ルーム|ルームに戻る|商談ルーム|ห้อง|ห้องเจรจา|กลับเข้าห้อง)$/],
];

/** NFKC, lower case, single spaces, no closing punctuation or polite particles around a short command. */
function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^["'「『]|["'」』]$/g, '')
    .replace(/[\s。.!！?？、,]+$/u, '')
    .replace(/(してください|ください|お願いします|ครับ|ค่ะ|คะ|please)$/u, '')
    .trim();
}

/** The command a short message is, or undefined for an ordinary message. */
export function roomCommandOf(text: string): RoomCommand | undefined {
  if ([...text].length > 40) return undefined;
  const t = normalize(text);
  return COMMANDS.find(([, re]) => re.test(t))?.[0];
}

/** "join ABC123" / "参加 ABC123" / "เข้าร่วม ABC123": an invitation code, upper-cased. */
export function inviteCodeIn(text: string): string | undefined {
  const t = text.normalize('NFKC').trim();
  const m = /^(?:join|参加|เข้าร่วม)\s*[:：]?\s*([A-Za-z0-9]{6,10})$/i.exec(t);
  return m ? m[1].toUpperCase() : undefined;
}
