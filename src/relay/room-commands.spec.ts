import { inviteCodeIn, roomCommandOf } from './room-commands';

describe('roomCommandOf', () => {
  it.each([
    ['連絡先を共有', 'share'],
    ['連絡先を共有してください', 'share'],
    ['แชร์ข้อมูลติดต่อ', 'share'],
    ['Share contact', 'share'],
    ['退出', 'leave'],
    ['ออกจากห้อง', 'leave'],
    ['leave the room.', 'leave'],
    ['担当者', 'staff'],
    ['เจ้าหน้าที่ครับ', 'staff'],
    ['相手の会社', 'profile'],
    ['ข้อมูลบริษัท', 'profile'],
    ['通報', 'report'],
    ['招待', 'invite'],
    ['ボットに戻る', 'bot'],
    ['原文', 'original'],
    ['ヘルプ', 'help'],
    ['ルーム', 'room'],
    ['ＨＥＬＰ', 'help'],
  ])('%s → %s', (text, command) => {
    expect(roomCommandOf(text)).toBe(command);
  });

  it.each([
    '連絡先を共有してもよいですか',
    '金型の納期について相談したいです',
    'ราคาแม่พิมพ์เท่าไหร่',
    'Could you share your contact details with us next week?',
    'OK',
  ])('%s is an ordinary message', (text) => {
    expect(roomCommandOf(text)).toBeUndefined();
  });
});

describe('inviteCodeIn', () => {
  it('reads a code after join / 参加 / เข้าร่วม', () => {
    expect(inviteCodeIn('参加 ab12cd')).toBe('AB12CD');
    expect(inviteCodeIn('join: XYZ789')).toBe('XYZ789');
    expect(inviteCodeIn('เข้าร่วม QWERTY12')).toBe('QWERTY12');
    expect(inviteCodeIn('参加したいです')).toBeUndefined();
  });
});
