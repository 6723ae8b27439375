import type { RunningApp } from '../../src/bootstrap/start-app';
import type { Database } from '../../src/database/open-database';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { type FakeLineApi, startFakeLineApi } from '../support/fake-line-api';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../support/fake-openai-server';
import { eventually, openSharedDatabase, startLineApp } from '../support/line-test-app';
import {
  type LineUser,
  linkLineUser,
  lineUser,
  quickReplyData,
  relayEnv,
  relayModel,
  staffApi,
  textsOf,
  widgetUser,
} from '../support/relay-kit';
import type { ChatClient } from '../support/web-chat-client';

/**
 * The whole story: a Japanese die maker on LINE asks to be introduced to a Thai stamping firm that uses the web
 * widget; the Thai side reads the request in Thai and accepts; a deal room opens; ten messages each way arrive
 * in order, translated into each reader's language (the glossary's 金型 ↔ แม่พิมพ์), originals one tap away;
 * "share contact" from one side reveals nothing, from both reveals both; the app restarts mid-conversation and
 * nothing is lost or repeated.
 */
const JP = 'seed:jp-001';
const TH = 'seed:th-001';
const JP_EMAIL = 'k.tanaka@tanaka-seiki.example';
const TH_EMAIL = 'wichai.t@siam-precision-stamping.example';

let fakeLine: FakeLineApi;
let llm: FakeOpenAiServer;
let shared: { database: Database; close(): Promise<void> };
let running: RunningApp;
let tanaka: LineUser;
let wichai: ChatClient;
let wichaiToken: string;
let roomId: string;

const start = async () => {
  running = await startLineApp(fakeLine.url, shared.database, relayEnv(llm.url), { seed: true });
  await running.app.get(SearchIndexerService).waitUntilIdle();
};

beforeAll(async () => {
  fakeLine = await startFakeLineApi();
  llm = await startFakeOpenAiServer();
  llm.onChat(relayModel);
  shared = await openSharedDatabase();
  await start();
  tanaka = lineUser(() => running, 'Utanaka0000000000000000000000001');
});
afterAll(async () => {
  wichai?.close();
  await running?.close();
  await shared?.close();
  await fakeLine?.close();
  await llm?.close();
});

/** Room messages the widget received (deduplicated by delivery id, as the widget does), in arrival order. */
function widgetRoomMessages(client: ChatClient): any[] {
  const seen = new Set<string>();
  return client.events
    .filter((e) => e.event === 'room_message')
    .map((e) => e.payload)
    .filter((p) => (seen.has(p.id) ? false : (seen.add(p.id), true)));
}

it('sets up: glossary term, the Japanese LINE user linked to Tanaka Seiki, the Thai widget user vouched for Siam Precision', async () => {
  const term = await staffApi(running.url, 'POST', '/api/glossary', { ja: '金型', th: 'แม่พิมพ์', en: 'die' });
  expect(term.status).toBe(201);
  await tanaka.say('こんにちは');
  await eventually(() => tanaka.received(fakeLine).length > 0, 'the greeting answer');
  await linkLineUser(running.url, tanaka, JP);
  const w = await widgetUser(running.url, TH, 'wichai', 'th');
  wichai = w.client;
  wichaiToken = w.token;
  const ack = await wichai.request('user_message', { text: 'สวัสดีค่ะ', clientMessageId: 'w-hello' });
  expect(ack.ok).toBe(true);
});

it('the Japanese firm asks for an introduction from a card button, confirms the drafted message, and it is sent', async () => {
  const before = tanaka.received(fakeLine).length;
  await tanaka.tap(`action=intro&id=${encodeURIComponent(TH)}`);
  await eventually(() => tanaka.received(fakeLine).length > before, 'the draft');
  const draft = tanaka.received(fakeLine).at(-1)!;
  expect(textsOf([draft]).join('\n')).toMatch(/サイアム・プレシジョン・スタンピング社へのご紹介を依頼します/);
  expect(textsOf([draft]).join('\n')).toContain(
    'はじめまして。金型のプレス加工についてご相談させてください。',
  );
  const send = quickReplyData(draft, /この内容で依頼/);
  expect(send).toMatch(/^action=intro-send&i=/);
  await tanaka.tap(send!);
  await eventually(() => tanaka.received(fakeLine).length > before + 1, 'the confirmation');
  expect(textsOf([tanaka.received(fakeLine).at(-1)!]).join('')).toMatch(/ご紹介の依頼を送りました/);

  const list = await staffApi(running.url, 'GET', '/api/introductions');
  expect(list.body.items[0]).toMatchObject({ status: 'pending', targetExternalId: TH, requesterCompany: JP });
});

it('the Thai side reads the request in Thai — who asks, why they match, the message translated, the original one tap away — and nothing private', async () => {
  const notice = await wichai.next('bot_message', 15_000).then(async function skipHello(
    m: any,
  ): Promise<any> {
    return m.quickReplies.some((q: any) => /intro-accept/.test(q.postback ?? ''))
      ? m
      : skipHello(await wichai.next('bot_message'));
  });
  const text = notice.texts.join('\n');
  expect(notice.lang).toBe('th');
  expect(text).toContain('บริษัท ทานากะ เซกิ จำกัด'); // the requester's public profile, in Thai
  expect(text).toMatch(/เหตุผลที่เหมาะสม|สิ่งที่อีกฝ่ายกำลังมองหา/); // why they match
  expect(text).toContain('คำแปลภาษาไทย'); // the message, translated
  expect(text).toContain('แม่พิมพ์'); // with the glossary's term
  expect(text).not.toContain(JP_EMAIL);
  expect(text).not.toMatch(/\+81|tanakaseiki-sales|田中 健一/);
  const labels = notice.quickReplies.map((q: any) => q.label);
  expect(labels).toEqual(['ตอบรับ', 'ปฏิเสธ', 'ปรึกษาเจ้าหน้าที่', 'ดูต้นฉบับ']);
  const orig = notice.quickReplies.find((q: any) => q.label === 'ดูต้นฉบับ').postback;
  const ack = await wichai.request('postback', { data: orig, clientMessageId: 'w-orig' });
  expect(ack.ok).toBe(true);
  const original = await wichai.next('bot_message');
  expect(original.texts.join('')).toContain('はじめまして。金型のプレス加工についてご相談させてください。');

  const accept = notice.quickReplies.find((q: any) => q.label === 'ตอบรับ').postback;
  expect((await wichai.request('postback', { data: accept, clientMessageId: 'w-accept' })).ok).toBe(true);
  const opened = await wichai.next('room_message');
  expect(opened.kind).toBe('notice');
  expect(opened.text).toMatch(/เปิดห้องเจรจาธุรกิจกับ บริษัท ทานากะ เซกิ จำกัด/);
  roomId = opened.room.id;
  await eventually(
    () =>
      textsOf(tanaka.received(fakeLine)).some((t) =>
        t.includes('サイアム・プレシジョン・スタンピング社との商談ルームを開きました'),
      ),
    'the room notice on LINE',
  );
  const intro = await staffApi(running.url, 'GET', '/api/introductions');
  expect(intro.body.items[0]).toMatchObject({ status: 'accepted', roomId });
});

it('ten messages each way arrive in order, in the reader’s language with the glossary term, originals attached', async () => {
  const lineBefore = tanaka.received(fakeLine).length;
  const loadingBefore = fakeLine.calls('loading').length;
  for (let i = 1; i <= 10; i++) {
    await tanaka.say(`金型の件、第${i}便について確認させてください。`);
    const ack = await wichai.request('user_message', {
      text: `เรื่องแม่พิมพ์ ข้อความที่ ${i} ครับ`,
      clientMessageId: `w-${i}`,
    });
    expect(ack.ok).toBe(true);
  }
  await eventually(
    () => widgetRoomMessages(wichai).filter((m) => m.kind === 'text').length >= 10,
    'ten messages on the widget',
    30_000,
  );
  const lineRoomTexts = () =>
    textsOf(tanaka.received(fakeLine).slice(lineBefore)).filter((t) => t.startsWith('【サイアム'));
  await eventually(() => lineRoomTexts().length >= 10, 'ten messages on LINE', 30_000);

  // Widget (Thai reader): Japanese messages translated into Thai, in order, original attached.
  const onWidget = widgetRoomMessages(wichai).filter((m) => m.kind === 'text');
  expect(onWidget).toHaveLength(10);
  onWidget.forEach((m, i) => {
    expect(m.lang).toBe('th');
    expect(m.text).toBe(`คำแปลภาษาไทย ${i + 1} แม่พิมพ์`);
    expect(m.original).toEqual({ text: `金型の件、第${i + 1}便について確認させてください。`, lang: 'ja' });
    expect(m.label).toBe('บริษัท ทานากะ เซกิ จำกัด');
  });
  expect(onWidget.map((m) => m.seq)).toEqual([...onWidget.map((m) => m.seq)].sort((a, b) => a - b));

  // LINE (Japanese reader): Thai messages translated into Japanese, in order, "show original" on each.
  const texts = lineRoomTexts();
  expect(texts).toEqual(
    Array.from(
      { length: 10 },
      (_, i) => `【サイアム・プレシジョン・スタンピング社】\n日本語の訳文 ${i + 1} 金型`,
    ),
  );
  // The bot does not answer room messages, so LINE's loading animation is not started for them (at most for
  // the first, before the engine has seen the thread in its room).
  expect(fakeLine.calls('loading').length - loadingBefore).toBeLessThanOrEqual(1);
  const last = tanaka.received(fakeLine).at(-1)!;
  const showOriginal = quickReplyData(last, /原文を表示/);
  expect(showOriginal).toMatch(/^action=room-orig&m=\d+$/);
  const n = tanaka.received(fakeLine).length;
  await tanaka.tap(showOriginal!);
  await eventually(() => tanaka.received(fakeLine).length > n, 'the original');
  expect(textsOf([tanaka.received(fakeLine).at(-1)!]).join('')).toBe(
    '原文（タイ語）：\nเรื่องแม่พิมพ์ ข้อความที่ 10 ครับ',
  );

  // Each message is stored once, with every translation it needed.
  const { rows } = await running.database.pool.query(
    `SELECT lang, translations FROM relay_messages WHERE room_id = $1 AND kind = 'text' ORDER BY seq`,
    [roomId],
  );
  expect(rows).toHaveLength(20);
  expect(rows.every((r: any) => Object.keys(r.translations).length === 1)).toBe(true);
});

it('"share contact" from one side reveals nothing; from both, each side gets the other’s contact', async () => {
  const lineBefore = tanaka.received(fakeLine).length;
  await tanaka.say('連絡先を共有');
  await eventually(() => tanaka.received(fakeLine).length > lineBefore, 'the answer');
  expect(textsOf(tanaka.received(fakeLine).slice(lineBefore)).join('')).toMatch(/連絡先の共有に同意しました/);
  const asked = await eventually(
    () => widgetRoomMessages(wichai).some((m) => m.kind === 'notice' && /แลกเปลี่ยนข้อมูลติดต่อ/.test(m.text)),
    'the request on the widget',
  );
  void asked;
  const everythingSoFar = () => JSON.stringify(wichai.events) + JSON.stringify(tanaka.received(fakeLine));
  expect(everythingSoFar()).not.toContain(JP_EMAIL);
  expect(everythingSoFar()).not.toContain(TH_EMAIL);

  const share = widgetRoomMessages(wichai).find((m) => m.kind === 'notice' && /แลกเปลี่ยน/.test(m.text));
  expect(share.quickReplies[0].postback).toBe(`action=room-share&r=${roomId}`);
  expect(
    (await wichai.request('postback', { data: share.quickReplies[0].postback, clientMessageId: 'w-share' }))
      .ok,
  ).toBe(true);
  await eventually(
    () => widgetRoomMessages(wichai).some((m) => m.text.includes(JP_EMAIL)),
    'Tanaka’s contact on the widget',
  );
  await eventually(
    () => textsOf(tanaka.received(fakeLine)).some((t) => t.includes(TH_EMAIL)),
    'Wichai’s contact on LINE',
  );
  const onWidget = widgetRoomMessages(wichai).find((m) => m.text.includes(JP_EMAIL));
  expect(onWidget.text).toContain('+81-566-00-2841');
  expect(onWidget.text).not.toContain(TH_EMAIL);
  expect(textsOf(tanaka.received(fakeLine)).join('\n')).not.toContain(JP_EMAIL);
});

it('survives a restart mid-conversation: every message arrives once, in order', async () => {
  const webBefore = widgetRoomMessages(wichai).filter((m) => m.kind === 'text').length;
  const lineCount = () => textsOf(tanaka.received(fakeLine)).filter((t) => t.startsWith('【サイアム')).length;
  const lineBefore = lineCount();
  // A slow model, so that messages are still being translated when the app goes down.
  llm.setDefaultDelay(400);
  for (let i = 11; i <= 13; i++) {
    await tanaka.say(`金型の件、第${i}便について確認させてください。`);
    await wichai.request('user_message', { text: `เรื่องแม่พิมพ์ ข้อความที่ ${i} ครับ`, clientMessageId: `w-${i}` });
  }
  await new Promise((r) => setTimeout(r, 150));
  const lastSeen = widgetRoomMessages(wichai).at(-1)?.id;
  wichai.close();
  await running.close();
  llm.setDefaultDelay(0);

  await start();
  const again = await widgetUser(running.url, TH, 'wichai', 'th', { lastRelayId: lastSeen });
  expect(again.token).not.toBe(wichaiToken);
  const resumed = again.client;
  // The widget's earlier events plus what it gets now: the same list a real widget keeps in local storage.
  resumed.events.unshift(...wichai.events);
  wichai = resumed;
  for (let i = 14; i <= 15; i++) {
    await tanaka.say(`金型の件、第${i}便について確認させてください。`);
    await wichai.request('user_message', { text: `เรื่องแม่พิมพ์ ข้อความที่ ${i} ครับ`, clientMessageId: `w-${i}` });
  }
  await eventually(
    () => widgetRoomMessages(wichai).filter((m) => m.kind === 'text').length >= webBefore + 5,
    'five more on the widget',
    30_000,
  );
  await eventually(() => lineCount() >= lineBefore + 5, 'five more on LINE', 30_000);
  await new Promise((r) => setTimeout(r, 500));

  const web = widgetRoomMessages(wichai).filter((m) => m.kind === 'text');
  expect(web.map((m) => m.text)).toEqual(Array.from({ length: 15 }, (_, i) => `คำแปลภาษาไทย ${i + 1} แม่พิมพ์`));
  const seqs = web.map((m) => m.messageId);
  expect(new Set(seqs).size).toBe(seqs.length);
  const line = textsOf(tanaka.received(fakeLine)).filter((t) => t.startsWith('【サイアム'));
  expect(line).toEqual(
    Array.from(
      { length: 15 },
      (_, i) => `【サイアム・プレシジョン・スタンピング社】\n日本語の訳文 ${i + 1} 金型`,
    ),
  );
  const { rows } = await running.database.pool.query(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'delivered')::int AS delivered
     FROM relay_messages WHERE room_id = $1 AND kind = 'text'`,
    [roomId],
  );
  expect(rows[0]).toEqual({ n: 30, delivered: 30 });
});
