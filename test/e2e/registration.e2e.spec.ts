import { ApiTokenRepository } from '../../src/auth/api-token.repository';
import type { RunningApp } from '../../src/bootstrap/start-app';
import type { Database } from '../../src/database/open-database';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { type Delivery, type FakeLineApi, startFakeLineApi } from '../support/fake-line-api';
import { eventually, openSharedDatabase, startLineApp } from '../support/line-test-app';
import {
  type LineUser,
  lineUser,
  quickReplyData,
  relayEnv,
  staffApi,
  textsOf,
  widgetAsk,
} from '../support/relay-kit';
import { type ChatClient, connectChat, createSession } from '../support/web-chat-client';

/**
 * Firms registering themselves, as they would: a Thai firm over LINE in Thai and a Japanese one in the widget in
 * Japanese, each interrupted by a question to the bot and carried across a restart of the product in the middle
 * of the interview. Staff approve the Thai one (published, linked, found by a Japanese search and introduced to)
 * and ask the Japanese one a question it answers in chat; its duplicate of a seeded profile is flagged.
 * No language model: the interview and review do not need one.
 */
let fakeLine: FakeLineApi;
let shared: { database: Database; close(): Promise<void> };
let running: RunningApp;
let thaiFirm: LineUser;
let widget: ChatClient;
let widgetToken: string;
let clientIds = 0;

const env = () => relayEnv(undefined, { LINE_WORKER_POLL_MS: '100' });

async function restart(): Promise<void> {
  widget?.close();
  await running.close();
  running = await startLineApp(fakeLine.url, shared.database, env());
  widget = await connectChat(running.url, { token: widgetToken });
}

beforeAll(async () => {
  fakeLine = await startFakeLineApi();
  shared = await openSharedDatabase();
  running = await startLineApp(fakeLine.url, shared.database, env(), { seed: true });
  await running.app.get(SearchIndexerService).waitUntilIdle();
  thaiFirm = lineUser(() => running, 'Uregistrant00000000000000000000th1');
  widgetToken = (await createSession(running.url, { lang: 'ja' })).token;
  widget = await connectChat(running.url, { token: widgetToken });
});
afterAll(async () => {
  widget?.close();
  await running?.close();
  await shared?.close();
  await fakeLine?.close();
});

/** Says or taps something on LINE and resolves with the bot's answer (the next delivery to the user). */
async function line(act: () => Promise<void>): Promise<Delivery> {
  const before = thaiFirm.received(fakeLine).length;
  await act();
  await eventually(() => thaiFirm.received(fakeLine).length > before, 'the bot’s LINE answer');
  return thaiFirm.received(fakeLine).at(-1)!;
}
const lineSay = (text: string) => line(() => thaiFirm.say(text));
const lineTap = (delivery: Delivery, label: RegExp) => {
  const data = quickReplyData(delivery, label);
  if (!data) throw new Error(`no quick reply ${label} in ${JSON.stringify(delivery.messages)}`);
  return line(() => thaiFirm.tap(data));
};
const textOf = (d: Delivery) => textsOf([d]).join('\n');

const widgetSay = (text: string) =>
  widgetAsk(widget, 'user_message', { text, clientMessageId: `w-${++clientIds}` });
const widgetTap = (reply: any, label: RegExp) => {
  const button = (reply.quickReplies as Array<{ label: string; postback: string }>).find((q) =>
    label.test(q.label),
  );
  if (!button) throw new Error(`no quick reply ${label} in ${JSON.stringify(reply.quickReplies)}`);
  return widgetAsk(widget, 'postback', { data: button.postback, clientMessageId: `w-${++clientIds}` });
};

let thaiRegistration: string;
let japaneseRegistration: string;

describe('a Thai firm registers over LINE, in Thai', () => {
  it('is interviewed one question at a time, survives an interruption and a restart, and submits', async () => {
    let d = await lineSay('อยากลงทะเบียนบริษัท');
    expect(textOf(d)).toContain('เริ่มลงทะเบียนบริษัท');
    expect(textOf(d)).toContain('ญี่ปุ่นหรือไทย');
    d = await lineTap(d, /^ไทย$/);
    expect(textOf(d)).toContain('ชื่อบริษัท');
    d = await lineSay('บริษัท ชลบุรี พลาสติก เทค จำกัด');
    expect(textOf(d)).toContain('ผลิตหรือให้บริการอะไร');
    d = await lineSay('รับจ้างผลิตชิ้นส่วนพลาสติกฉีดขึ้นรูปสำหรับรถยนต์และเครื่องใช้ไฟฟ้า');
    expect(textOf(d)).toContain('มองหาพันธมิตรแบบใด');

    // An interruption: a question to the bot is answered by the bot, and the draft waits.
    d = await lineSay('ช่วยเหลือ');
    expect(textOf(d)).toContain('สิ่งที่ทำได้');
    // The product restarts in the middle of the interview; asking again picks it up where it was.
    await restart();
    d = await lineSay('ลงทะเบียน');
    expect(textOf(d)).toContain('ทำการลงทะเบียนต่อ');
    expect(textOf(d)).toContain('มองหาพันธมิตรแบบใด');
    d = await lineSay('ลูกค้าผู้ผลิตรถยนต์ญี่ปุ่น, ผู้จัดหาเม็ดพลาสติก');
    expect(textOf(d)).toContain('รูปแบบความร่วมมือ');

    d = await lineTap(d, /รับจ้างผลิต|OEM/);
    expect(textOf(d)).toMatch(/เลือกแล้ว: .*(OEM|รับจ้างผลิต)/);
    d = await lineTap(d, /^เสร็จ$/);
    expect(textOf(d)).toContain('จังหวัดใด');
    d = await lineSay('ชลบุรี');
    expect(textOf(d)).toContain('พนักงานประมาณกี่คน');
    d = await lineSay('ประมาณ 120 คน');
    expect(textOf(d)).toContain('URL เว็บไซต์');
    d = await lineSay('www.chonburi plastic'); // not a web address
    expect(textOf(d)).toContain('อ่าน URL ไม่ได้');
    d = await lineTap(d, /^ข้าม$/);
    expect(textOf(d)).toContain('ช่องทางติดต่อ');
    d = await lineSay('คุณสมศรี 081-234-5678');

    // The review: the card other firms would see, the contact shown only to the firm itself.
    expect(textOf(d)).toContain('บริษัทอื่นจะเห็นข้อมูลของท่านแบบนี้');
    expect(textOf(d)).toContain('0812345678');
    const flex = d.messages.find((m: { type: string }) => m.type === 'flex');
    expect(JSON.stringify(flex)).toContain('บริษัท ชลบุรี พลาสติก เทค จำกัด');
    expect(JSON.stringify(flex)).not.toContain('0812345678');
    // A preview, not a match: no "details" or "introduce" buttons on it.
    expect(JSON.stringify(flex)).not.toContain('action=intro');
    // "Back" from the review returns to the last question; the new answer replaces the old one.
    d = await lineTap(d, /^ย้อนกลับ$/);
    expect(textOf(d)).toContain('ช่องทางติดต่อ');
    d = await lineSay('คุณสมศรี somsri@chonburi-plastic.example 081-234-5678');
    expect(textOf(d)).toContain('somsri@chonburi-plastic.example');
    d = await lineTap(d, /^ส่ง$/);
    expect(textOf(d)).toContain('เจ้าหน้าที่จะตรวจสอบ');

    const queue = await staffApi(running.url, 'GET', '/api/registrations');
    const item = queue.body.items.find((i: any) => i.name === 'บริษัท ชลบุรี พลาสติก เทค จำกัด');
    expect(item).toMatchObject({ status: 'submitted', channel: 'line', lang: 'th', country: 'TH' });
    thaiRegistration = item.id;
  });
});

describe('a Japanese firm registers in the widget, in Japanese', () => {
  it('is interviewed, interrupted, restarted and submits; its duplicate is flagged', async () => {
    let r = await widgetSay('うちの会社を登録したい');
    expect(r.texts.join('\n')).toContain('御社の登録を始めます');
    r = await widgetTap(r, /^日本$/);
    r = await widgetSay('尾張ギア工業');
    expect(r.texts.at(-1)).toContain('何を製造・提供');
    r = await widgetSay('自動車用の精密歯車の製造、熱処理');
    expect(r.texts.at(-1)).toContain('相手先をお探し');
    // "Back" returns to the previous question.
    r = await widgetTap(r, /^戻る$/);
    expect(r.texts.at(-1)).toContain('何を製造・提供');
    r = await widgetSay('自動車用の精密歯車・減速機の製造');
    r = await widgetSay('スキップ');
    expect(r.texts.at(-1)).toContain('提携の形');

    // Interrupted by a request to the bot, then a restart.
    r = await widgetSay('ヘルプ');
    expect(r.texts.join('\n')).toContain('できること');
    await restart();
    r = await widgetSay('登録');
    expect(r.texts.join('\n')).toContain('登録の続きから');
    expect(r.texts.at(-1)).toContain('提携の形');
    r = await widgetSay('販売代理店と技術提携');
    r = await widgetSay('愛知県');
    r = await widgetTap(r, /〜300人/);
    r = await widgetSay('https://owari-gear.example');
    r = await widgetSay('営業部 鈴木 suzuki@owari-gear.example');
    expect(r.cards[0].title).toBe('尾張ギア工業');
    expect(r.texts.join('\n')).toContain('連絡先（非公開）');
    r = await widgetTap(r, /^送信$/);
    expect(r.texts.join('\n')).toContain('担当者が内容を確認');

    const queue = await staffApi(running.url, 'GET', '/api/registrations?status=submitted');
    japaneseRegistration = queue.body.items.find((i: any) => i.name === '尾張ギア工業').id;
    const detail = await staffApi(running.url, 'GET', `/api/registrations/${japaneseRegistration}`);
    expect(detail.body.profile).toMatchObject({
      country: 'JP',
      names: { ja: '尾張ギア工業' },
      partnershipTypes: ['distributor', 'technology_transfer'],
      location: { ja: '愛知県' },
      employees: 300,
      website: 'https://owari-gear.example/',
    });
    expect(detail.body.duplicates).toEqual([
      expect.objectContaining({
        externalId: 'seed:jp-003',
        matchedOn: expect.arrayContaining(['name', 'website']),
      }),
    ]);
    const said = detail.body.transcript.map((e: any) => `${e.by}:${e.text}`);
    // The transcript is what was said, the first answer too; the profile has the answer that replaced it.
    expect(said).toEqual(
      expect.arrayContaining([
        'firm:自動車用の精密歯車の製造、熱処理',
        'firm:自動車用の精密歯車・減速機の製造',
      ]),
    );
    expect(detail.body.profile.summary).toEqual({ ja: '自動車用の精密歯車・減速機の製造' });
  });
});

describe('staff review', () => {
  it('approves the Thai firm: published, linked, found from Japan, and reachable by an introduction', async () => {
    const approved = await staffApi(running.url, 'POST', `/api/registrations/${thaiRegistration}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    const externalId = approved.body.companyExternalId as string;
    await eventually(
      () => textsOf(thaiFirm.received(fakeLine)).some((t) => t.includes('ได้รับอนุมัติและเผยแพร่แล้ว')),
      'the approval message on LINE',
    );
    const company = await staffApi(running.url, 'GET', `/api/companies/${encodeURIComponent(externalId)}`);
    expect(company.body).toMatchObject({ status: 'published', country: 'TH', employees: 120 });
    expect(company.body.contact).toMatchObject({
      email: 'somsri@chonburi-plastic.example',
      phone: '0812345678',
    });
    // Deciding twice is refused.
    expect(
      (await staffApi(running.url, 'POST', `/api/registrations/${thaiRegistration}/approve`)).status,
    ).toBe(409);

    // A Japanese buyer finds it with its own words, and asks for an introduction: the firm's LINE hears of it.
    await running.app.get(SearchIndexerService).waitUntilIdle();
    const buyerToken = (await createSession(running.url, { lang: 'ja' })).token;
    const buyer = await connectChat(running.url, { token: buyerToken });
    try {
      const found = await widgetAsk(buyer, 'user_message', {
        text: 'タイでプラスチック射出成形のOEM先を探しています',
        clientMessageId: 'buyer-1',
      });
      const card = (found.cards as any[]).find((c) => c.externalId === externalId);
      expect(card).toBeDefined();
      const intro = card.buttons.find((b: any) => /紹介/.test(b.label)).postback as string;
      const draft = await widgetAsk(buyer, 'postback', { data: intro, clientMessageId: 'buyer-2' });
      const send = (draft.quickReplies as any[]).find((q) => /依頼/.test(q.label)).postback as string;
      await widgetAsk(buyer, 'postback', { data: send, clientMessageId: 'buyer-3' });
    } finally {
      buyer.close();
    }
    await eventually(
      () =>
        thaiFirm.received(fakeLine).some((d) => /ส่งคำขอให้แนะนำถึงบริษัทของท่าน/.test(JSON.stringify(d.messages))),
      'the introduction request on the firm’s LINE',
    );
  });

  it('lets the approved firm see its card, hide and publish its profile, and unlink itself', async () => {
    let d = await lineSay('บริษัทของเรา');
    expect(textOf(d)).toContain('บัญชีนี้เชื่อมกับ "บริษัท ชลบุรี พลาสติก เทค จำกัด"');
    const externalId = (await staffApi(running.url, 'GET', `/api/registrations/${thaiRegistration}`)).body
      .companyExternalId as string;
    const status = async () =>
      (await staffApi(running.url, 'GET', `/api/companies/${encodeURIComponent(externalId)}`)).body.status;
    d = await lineTap(d, /^ซ่อนโปรไฟล์$/);
    expect(textOf(d)).toContain('ซ่อนโปรไฟล์บริษัทแล้ว');
    expect(await status()).toBe('draft');
    d = await lineTap(d, /^เปิดเผยอีกครั้ง$/);
    expect(textOf(d)).toContain('เปิดเผยโปรไฟล์บริษัทอีกครั้งแล้ว');
    expect(await status()).toBe('published');
    const history = await staffApi(
      running.url,
      'GET',
      `/api/companies/${encodeURIComponent(externalId)}/history`,
    );
    expect(history.body.items.slice(0, 2).map((h: any) => h.actor)).toEqual([
      expect.stringMatching(/^chat:/),
      expect.stringMatching(/^chat:/),
    ]);
    // The firm edits what it offers: the edit waits for staff, then is published in its language.
    d = await lineSay('บริษัทของเรา');
    d = await lineTap(d, /^แก้ไขข้อมูลบริษัท$/);
    expect(textOf(d)).toContain('นี่คือข้อมูลที่เผยแพร่อยู่');
    d = await lineTap(d, /^แก้ไข$/);
    expect(quickReplyData(d, /^ประเทศ$/)).toBeUndefined(); // the country of a published firm is staff's to change
    d = await lineTap(d, /^สินค้า\/บริการ$/);
    d = await lineSay('รับจ้างผลิตชิ้นส่วนพลาสติกฉีดขึ้นรูปและแม่พิมพ์');
    expect(textOf(d)).toContain('บริษัทอื่นจะเห็นข้อมูลของท่านแบบนี้');
    d = await lineTap(d, /^ส่ง$/);
    expect(textOf(d)).toContain('ส่งการแก้ไขให้เจ้าหน้าที่แล้ว');
    const change = (
      await staffApi(running.url, 'GET', '/api/registrations?status=submitted')
    ).body.items.find((i: any) => i.kind === 'change');
    expect(change).toMatchObject({ companyExternalId: externalId, lang: 'th' });
    expect((await staffApi(running.url, 'POST', `/api/registrations/${change.id}/approve`)).status).toBe(200);
    const edited = (await staffApi(running.url, 'GET', `/api/companies/${encodeURIComponent(externalId)}`))
      .body;
    expect(edited.summary).toEqual({ th: 'รับจ้างผลิตชิ้นส่วนพลาสติกฉีดขึ้นรูปและแม่พิมพ์' });
    expect(edited.employees).toBe(120);
    await eventually(
      () => textsOf(thaiFirm.received(fakeLine)).some((x) => x.includes('ได้รับอนุมัติและปรับใช้แล้ว')),
      'the firm told its edit is published',
    );

    // A colleague joins with a one-time code.
    d = await lineSay('บริษัทของเรา');
    d = await lineTap(d, /^เชิญเพื่อนร่วมงาน$/);
    const code = /KH-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(textOf(d))![0];
    const colleague = lineUser(() => running, 'Ucolleague0000000000000000000000th2');
    fakeLine.setProfile(colleague.id, { displayName: 'สมใจ', language: 'th' });
    const heard = async (text: string) => {
      const n = colleague.received(fakeLine).length;
      await colleague.say(text);
      await eventually(() => colleague.received(fakeLine).length > n, 'the colleague’s answer');
      return textsOf([colleague.received(fakeLine).at(-1)!]).join('\n');
    };
    expect(await heard(`รหัส ${code.toLowerCase()}`)).toContain('เชื่อมบัญชีนี้กับ "บริษัท ชลบุรี พลาสติก เทค จำกัด" แล้ว');
    expect(await heard('บริษัทของเรา')).toContain('บัญชีนี้เชื่อมกับ "บริษัท ชลบุรี พลาสติก เทค จำกัด"');
    // The code was for one person.
    const other = lineUser(() => running, 'Uothercolleague00000000000000000th3');
    fakeLine.setProfile(other.id, { language: 'th' });
    const n = other.received(fakeLine).length;
    await other.say(`ขอเข้าร่วม ${code}`);
    await eventually(() => other.received(fakeLine).length > n, 'the answer to a used code');
    expect(textsOf([other.received(fakeLine).at(-1)!]).join('\n')).toContain('ใช้รหัสเชิญนี้ไม่ได้');

    d = await lineSay('บริษัทของเรา');
    d = await lineTap(d, /^ยกเลิกการเชื่อม$/);
    expect(textOf(d)).toContain('ยกเลิกการเชื่อมบัญชีนี้');
    d = await lineSay('บริษัทของเรา');
    expect(textOf(d)).toContain('ยังไม่ได้เชื่อมกับบริษัทใด');
  });

  it('asks the Japanese firm a question; its answer in chat puts it back in the queue', async () => {
    const asked = await staffApi(running.url, 'POST', `/api/registrations/${japaneseRegistration}/ask`, {
      question: '主な納入先の業種を教えてください。',
    });
    expect(asked.status).toBe(200);
    expect(asked.body.status).toBe('question');
    await eventually(
      () =>
        widget.events.some(
          (e) => e.event === 'bot_message' && /担当者から登録内容について質問/.test(e.payload.text),
        ),
      'the question in the widget',
    );
    const thanks = await widgetSay('主に自動車部品メーカー（Tier1）です。');
    expect(thanks.texts.join('\n')).toContain('担当者に伝えました');
    const detail = await staffApi(running.url, 'GET', `/api/registrations/${japaneseRegistration}`);
    expect(detail.body.status).toBe('submitted');
    expect(detail.body.transcript.slice(-2).map((e: any) => e.by)).toEqual(['staff', 'firm']);
    const audit = await staffApi(
      running.url,
      'GET',
      `/api/console/audit?entityType=registration&entityId=${japaneseRegistration}`,
    );
    expect(audit.body.items.map((e: any) => e.action)).toEqual(['firm-answered', 'ask', 'submit']);
  });

  it('shows a viewer the registration without the firm’s contact', async () => {
    const viewer = (await new ApiTokenRepository(running.database.pool).create('viewer', 'viewer')).token;
    const res = await fetch(`${running.url}/api/registrations/${japaneseRegistration}`, {
      headers: { Authorization: `Bearer ${viewer}` },
    });
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body.profile.contact).toBeUndefined();
    expect(JSON.stringify(body)).not.toContain('suzuki@owari-gear.example');
    expect(body.transcript.length).toBeGreaterThan(5);
  });

  it('refuses an empty question or reason with a problem+json', async () => {
    const res = await fetch(`${running.url}/api/registrations/${japaneseRegistration}/reject`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        Authorization: 'Bearer test-admin-token-0123456789abcdef',
      },
      body: JSON.stringify({ reason: ' ' }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
