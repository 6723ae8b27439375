import type { Lang } from '../companies/company-profile.schema';
import type { RelayMessage } from './relay-message.repository';
import { type RenderContext, originalText, plainText, viewFor } from './relay-render';
import type { Side } from './room.repository';

const NAMES: Record<Side, Partial<Record<Lang, string>>> = {
  a: { ja: '田中精機株式会社', th: 'บริษัท ทานากะ เซกิ จำกัด', en: 'Tanaka Seiki' },
  b: { ja: 'サイアム社', th: 'บริษัท สยาม จำกัด', en: 'Siam Co.' },
};

const ctx = (lang: Lang, side: Side | 'staff', over: Partial<RenderContext> = {}): RenderContext => ({
  reader: { lang, side },
  senderSide: 'a',
  companyName: (s, l) => NAMES[s][l],
  fileUrl: (id, token) => `/relay/files/${id}/${token}`,
  ...over,
});

const message = (over: Partial<RelayMessage> = {}): RelayMessage => ({
  id: '7',
  roomId: 'r1',
  seq: 3,
  senderMemberId: 'm1',
  senderKind: 'member',
  kind: 'text',
  text: '金型の納期は3月10日です。',
  lang: 'ja',
  translations: { th: { text: 'กำหนดส่งแม่พิมพ์คือวันที่ 10 มีนาคม', model: 'typhoon' } },
  status: 'ready',
  attempts: 1,
  createdAt: new Date('2026-03-01T00:00:00Z'),
  ...over,
});

describe('viewFor', () => {
  it('gives a reader of another language the translation, with the original and the sender in their language', () => {
    const view = viewFor(message(), ctx('th', 'b'))!;
    expect(view).toMatchObject({
      label: 'บริษัท ทานากะ เซกิ จำกัด',
      text: 'กำหนดส่งแม่พิมพ์คือวันที่ 10 มีนาคม',
      lang: 'th',
      original: { text: '金型の納期は3月10日です。', lang: 'ja' },
    });
    expect(view.note).toBeUndefined();
    expect(plainText(view)).toBe('【บริษัท ทานากะ เซกิ จำกัด】\nกำหนดส่งแม่พิมพ์คือวันที่ 10 มีนาคม');
  });

  it('passes a message already in the reader’s language through untouched', () => {
    const view = viewFor(message(), ctx('ja', 'a'))!;
    expect(view).toMatchObject({ text: '金型の納期は3月10日です。', lang: 'ja' });
    expect(view.original).toBeUndefined();
  });

  it('marks a machine translation whose checks found a minor problem, in the reader language', () => {
    const flagged = message({
      translations: { th: { text: 'กำหนดส่งแม่พิมพ์คือวันที่ 11 มีนาคม', model: 'typhoon', flagged: true } },
    });
    const view = viewFor(flagged, ctx('th', 'b'))!;
    expect(view).toMatchObject({
      text: 'กำหนดส่งแม่พิมพ์คือวันที่ 11 มีนาคม',
      original: { text: '金型の納期は3月10日です。', lang: 'ja' },
      note: '(แปลโดยเครื่อง ระบบตรวจสอบคำศัพท์หรือตัวเลขบางส่วนไม่ผ่าน กรุณาตรวจสอบกับต้นฉบับด้วย)',
    });
    expect(plainText(view)).toContain('\n(แปลโดยเครื่อง');
    expect(
      viewFor({ ...flagged, translations: { en: { text: 'x', flagged: true } } }, ctx('en', 'b'))!.note,
    ).toMatch(/^\(Machine translation/);
  });

  it('relays the original with a localized note when no translation could be made', () => {
    const view = viewFor(
      message({ translations: { th: { text: '金型の納期は3月10日です。', unavailable: true } } }),
      ctx('th', 'b'),
    )!;
    expect(view.text).toBe('金型の納期は3月10日です。');
    expect(view.note).toBe('(ขณะนี้ระบบแปลไม่พร้อมใช้งาน จึงส่งข้อความต้นฉบับให้)');
    expect(view.original).toBeUndefined();
  });

  it('describes stickers and links files in the reader’s language', () => {
    expect(
      viewFor(message({ kind: 'sticker', attachment: { keywords: ['Happy', 'OK'] } }), ctx('ja', 'b'))!.text,
    ).toBe('（スタンプ：Happy, OK）');
    const image = viewFor(
      message({
        kind: 'image',
        text: undefined,
        attachment: { fileId: 'f1', fileToken: 'tok', media: 'image', contentType: 'image/png' },
      }),
      ctx('en', 'b'),
    )!;
    expect(image).toMatchObject({
      text: '(sent an image)',
      attachment: { url: '/relay/files/f1/tok', media: 'image' },
    });
    expect(viewFor(message({ kind: 'file', attachment: { failed: true } }), ctx('en', 'b'))!.text).toBe(
      '(an attachment could not be relayed)',
    );
  });

  it('writes notices for each reader, only for the side they are meant for', () => {
    const opened = message({
      kind: 'notice',
      senderKind: 'system',
      text: undefined,
      attachment: { notice: 'opened' },
    });
    expect(viewFor(opened, ctx('ja', 'a'))!.text).toMatch(/^サイアム社との商談ルームを開きました/);
    expect(viewFor(opened, ctx('th', 'b'))!.text).toMatch(/^เปิดห้องเจรจาธุรกิจกับ บริษัท ทานากะ เซกิ จำกัด/);
    const request = message({ kind: 'notice', attachment: { notice: 'share-requested', to: 'b' } });
    expect(viewFor(request, ctx('ja', 'a'))).toBeUndefined();
    expect(viewFor(request, ctx('th', 'b'))!.text).toMatch(/แลกเปลี่ยนข้อมูลติดต่อ/);
  });

  it('gives each side the other side’s contact, and staff none', () => {
    const contacts = {
      a: { email: 'a@tanaka.example', phone: '+81-1' },
      b: { email: 'b@siam.example', person: 'Wichai' },
    };
    const notice = message({ kind: 'notice', attachment: { notice: 'contacts' } });
    const forA = viewFor(notice, ctx('en', 'a', { contacts }))!.text;
    expect(forA).toContain('b@siam.example');
    expect(forA).not.toContain('a@tanaka.example');
    const forB = viewFor(notice, ctx('ja', 'b', { contacts }))!.text;
    expect(forB).toContain('a@tanaka.example');
    expect(forB).not.toContain('b@siam.example');
    expect(viewFor(notice, ctx('en', 'staff', { contacts }))).toBeUndefined();
    expect(viewFor(notice, ctx('en', 'a', { contacts: {} }))!.text).toMatch(/has no contact on file/);
  });

  it('labels the original with its language in the reader’s words', () => {
    expect(originalText(message(), 'th')).toBe('ต้นฉบับ (ภาษาญี่ปุ่น):\n金型の納期は3月10日です。');
  });
});
