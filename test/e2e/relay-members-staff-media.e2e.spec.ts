import type { RunningApp } from '../../src/bootstrap/start-app';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { type FakeLineApi, startFakeLineApi } from '../support/fake-line-api';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../support/fake-openai-server';
import { eventually, lineEnv } from '../support/line-test-app';
import {
  type LineUser,
  PUBLIC_BASE_URL,
  linkLineUser,
  lineUser,
  mediaEvent,
  quickReplyData,
  relayEnv,
  relayModel,
  roomTexts,
  staffApi,
  textsOf,
  waitForEvent,
  widgetAsk,
  widgetUser,
} from '../support/relay-kit';
import { startTestApp } from '../support/test-app';
import type { ChatClient } from '../support/web-chat-client';

/**
 * A room with more going on: a colleague joins the Japanese side with an invitation code (from LINE, never
 * having talked to the bot), images and stickers cross between LINE and the widget, a coordinator joins from
 * the staff API and writes in English, hands back, a member leaves, a report flags the room, staff close it.
 */
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(200, 7)]);

let fakeLine: FakeLineApi;
let llm: FakeOpenAiServer;
let running: RunningApp;
let tanaka: LineUser;
let kato: LineUser;
let wichai: ChatClient;
let wichaiToken: string;
let roomId: string;

beforeAll(async () => {
  fakeLine = await startFakeLineApi();
  llm = await startFakeOpenAiServer();
  llm.onChat(relayModel);
  running = await startTestApp(lineEnv(fakeLine.url, relayEnv(llm.url, { RELAY_UPLOAD_MAX_BYTES: '4096' })), {
    seed: true,
  });
  await running.app.get(SearchIndexerService).waitUntilIdle();
  tanaka = lineUser(() => running, 'Utanaka0000000000000000000000002');
  kato = lineUser(() => running, 'Ukato00000000000000000000000000002');
  await tanaka.say('こんにちは');
  await eventually(() => tanaka.received(fakeLine).length > 0, 'greeting');
  await linkLineUser(running.url, tanaka, 'seed:jp-001');
  const w = await widgetUser(running.url, 'seed:th-001', 'wichai', 'th');
  wichai = w.client;
  wichaiToken = w.token;
  await widgetAsk(wichai, 'user_message', { text: 'สวัสดีค่ะ', clientMessageId: 'hello' });

  await tanaka.tap('action=intro&id=seed%3Ath-001');
  await eventually(() => !!quickReplyData(tanaka.received(fakeLine).at(-1)!, /この内容で依頼/), 'the draft');
  await tanaka.tap(quickReplyData(tanaka.received(fakeLine).at(-1)!, /この内容で依頼/)!);
  const notice = await waitForEvent(wichai, 'bot_message', (p) =>
    p.quickReplies.some((q: any) => /intro-accept/.test(q.postback)),
  );
  await wichai.request('postback', {
    data: notice.quickReplies.find((q: any) => /intro-accept/.test(q.postback)).postback,
    clientMessageId: 'accept',
  });
  roomId = (await waitForEvent(wichai, 'room_message', (p) => p.kind === 'notice')).room.id;
  await eventually(
    () => textsOf(tanaka.received(fakeLine)).some((t) => t.includes('商談ルームを開きました')),
    'opened',
  );
});
afterAll(async () => {
  wichai?.close();
  await running?.close();
  await fakeLine?.close();
  await llm?.close();
});

const lastText = (u: LineUser) => textsOf(u.received(fakeLine)).at(-1) ?? '';
const send = (text: string, id: string) =>
  wichai.request('user_message', { text, clientMessageId: id }).then((ack: any) => expect(ack.ok).toBe(true));

it('a colleague joins the Japanese side with an invitation code and reads and writes like the first member', async () => {
  const n = tanaka.received(fakeLine).length;
  await tanaka.say('招待');
  await eventually(() => tanaka.received(fakeLine).length > n, 'the code');
  const code = /「参加 ([A-Z0-9]{6})」/.exec(lastText(tanaka))?.[1];
  expect(code).toBeDefined();

  await kato.say(`参加 ${code}`);
  await eventually(() => kato.received(fakeLine).length > 0, 'joined');
  expect(lastText(kato)).toBe(
    'サイアム・プレシジョン・スタンピング社との商談ルームに参加しました。ここに書いたメッセージは、相手の言語に翻訳して届けます。',
  );
  await waitForEvent(
    wichai,
    'room_message',
    (p) => p.kind === 'notice' && /สมาชิกจาก บริษัท ทานากะ เซกิ จำกัด เข้าร่วมห้องแล้ว/.test(p.text),
  );
  // A used code does not work twice.
  const other = lineUser(() => running, 'Uother0000000000000000000000000002');
  await other.say(`参加 ${code}`);
  await eventually(() => other.received(fakeLine).length > 0, 'refused');
  expect(lastText(other)).toBe('この招待コードは無効か、期限が切れています。');

  // LINE fails twice (a 500, then a lost connection): the outbox retries; each reader gets the message once.
  fakeLine.enqueue('push', { status: 500 }, { drop: true });
  await send('เรื่องแม่พิมพ์ ข้อความที่ 1 ครับ', 'm-1');
  const first = '【サイアム・プレシジョン・スタンピング社】\n日本語の訳文 1';
  await eventually(() => lastText(kato) === first, 'Kato reads it');
  await eventually(() => lastText(tanaka) === first, 'Tanaka reads it');
  await new Promise((r) => setTimeout(r, 300));
  expect(textsOf(kato.received(fakeLine)).filter((t) => t === first)).toHaveLength(1);
  expect(textsOf(tanaka.received(fakeLine)).filter((t) => t === first)).toHaveLength(1);
  expect(fakeLine.calls('push').filter((c) => c.status !== 200).length).toBeGreaterThanOrEqual(2);

  const before = tanaka.received(fakeLine).length;
  await kato.say('加藤です。第2便は来週出荷します。');
  await eventually(
    () => roomTexts(wichai).some((m) => m.original?.text === '加藤です。第2便は来週出荷します。'),
    'Wichai reads Kato',
  );
  const onWidget = roomTexts(wichai).at(-1);
  expect(onWidget).toMatchObject({ label: 'บริษัท ทานากะ เซกิ จำกัด', text: 'คำแปลภาษาไทย 2', lang: 'th' });
  // Tanaka reads his colleague in Japanese as written: no translation, no "show original".
  await eventually(() => tanaka.received(fakeLine).length > before, 'Tanaka reads Kato');
  const toTanaka = tanaka.received(fakeLine).at(-1)!;
  expect(textsOf([toTanaka])).toEqual(['【田中精機株式会社】\n加藤です。第2便は来週出荷します。']);
  expect(quickReplyData(toTanaka, /原文/)).toBeUndefined();
});

it('a LINE image is fetched through the LINE API and re-sent; a sticker is described; a widget upload reaches LINE as an image', async () => {
  const image = mediaEvent(tanaka.id, { type: 'image', contentProvider: { type: 'line' } });
  fakeLine.setContent((image.message as any).id, PNG, 'image/png');
  await tanaka.send(image);
  const got = await waitForEvent(wichai, 'room_message', (p) => p.kind === 'image');
  expect(got).toMatchObject({
    text: '(ส่งรูปภาพ)',
    label: 'บริษัท ทานากะ เซกิ จำกัด',
    attachment: { contentType: 'image/png', media: 'image' },
  });
  expect(fakeLine.calls('content').map((c) => c.path)).toContain(
    `/v2/bot/message/${(image.message as any).id}/content`,
  );
  const file = await fetch(`${running.url}${got.attachment.url}`);
  expect(file.status).toBe(200);
  expect(file.headers.get('content-type')).toBe('image/png');
  expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
  await eventually(
    () => kato.received(fakeLine).some((d) => d.messages.some((m: any) => m.type === 'image')),
    'the image for Kato',
  );

  await tanaka.send(
    mediaEvent(tanaka.id, {
      type: 'sticker',
      packageId: '446',
      stickerId: '1988',
      keywords: ['Happy', 'Thanks'],
    }),
  );
  const sticker = await waitForEvent(wichai, 'room_message', (p) => p.kind === 'sticker');
  expect(sticker.text).toBe('(สติกเกอร์: Happy, Thanks)');

  const upload = await fetch(`${running.url}/relay/uploads`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${wichaiToken}`,
      'content-type': 'image/png',
      'x-file-name': encodeURIComponent('แบบ.png'),
      'x-client-message-id': 'up-1',
    },
    body: new Uint8Array(PNG),
  });
  expect(upload.status).toBe(201);
  await eventually(
    () =>
      tanaka
        .received(fakeLine)
        .some((d) =>
          d.messages.some((m: any) => m.type === 'image' && m.originalContentUrl.includes('/relay/files/')),
        ),
    'the upload on LINE',
  );
  const pushed = tanaka
    .received(fakeLine)
    .flatMap((d) => d.messages)
    .filter((m: any) => m.type === 'image')
    .at(-1);
  expect(pushed.originalContentUrl.startsWith(`${PUBLIC_BASE_URL}/relay/files/`)).toBe(true);
  const served = await fetch(`${running.url}${pushed.originalContentUrl.slice(PUBLIC_BASE_URL.length)}`);
  expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);

  const tooLarge = await fetch(`${running.url}/relay/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${wichaiToken}`, 'content-type': 'application/pdf' },
    body: new Uint8Array(5000),
  });
  expect(tooLarge.status).toBe(413);
  const stranger = await widgetUser(running.url, 'seed:th-009', 'nobody', 'th');
  await widgetAsk(stranger.client, 'user_message', { text: 'สวัสดี', clientMessageId: 's-1' });
  const notInRoom = await fetch(`${running.url}/relay/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stranger.token}`, 'content-type': 'image/png' },
    body: new Uint8Array(PNG),
  });
  expect(notInRoom.status).toBe(409);
  // A file sent as application/json is a file like any other, and answered (it used to hang for ever).
  const jsonFile = await fetch(`${running.url}/relay/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stranger.token}`, 'content-type': 'application/json' },
    body: '{"drawing": 7}',
    signal: AbortSignal.timeout(5000),
  });
  expect(jsonFile.status).toBe(409);
  stranger.client.close();
  const { rows } = await running.database.pool.query(`SELECT count(*)::int AS n FROM relay_files`);
  expect(rows[0].n).toBe(2);
});

it('a coordinator joins, writes in English (each side reads it in its language), reads both languages side by side, hands back', async () => {
  const list = await staffApi(running.url, 'GET', '/api/rooms?status=open');
  expect(list.body.items.map((r: any) => r.id)).toContain(roomId);
  expect((await staffApi(running.url, 'POST', `/api/rooms/${roomId}/join`, { lang: 'en' })).status).toBe(200);
  await waitForEvent(
    wichai,
    'room_message',
    (p) => p.kind === 'notice' && p.text === 'เจ้าหน้าที่ Kakehashi เข้าร่วมห้องแล้ว',
  );
  await eventually(
    () => lastText(tanaka) === 'Kakehashi の担当者がルームに参加しました。',
    'staff joined on LINE',
  );

  const posted = await staffApi(running.url, 'POST', `/api/rooms/${roomId}/messages`, {
    text: 'Please send the drawings for part 7 this week.',
    lang: 'en',
  });
  expect(posted.status).toBe(201);
  const staffMessage = await waitForEvent(wichai, 'room_message', (p) => p.label === 'เจ้าหน้าที่ Kakehashi');
  expect(staffMessage).toMatchObject({
    text: 'คำแปลภาษาไทย 7',
    original: { text: 'Please send the drawings for part 7 this week.', lang: 'en' },
  });
  await eventually(() => lastText(tanaka) === '【Kakehashi 担当者】\n日本語の訳文 7', 'on LINE');
  await eventually(() => lastText(kato) === '【Kakehashi 担当者】\n日本語の訳文 7', 'for Kato');

  const view = await staffApi(running.url, 'GET', `/api/rooms/${roomId}`);
  expect(view.status).toBe(200);
  const fromKato = view.body.messages.find(
    (m: any) => m.original?.text === '加藤です。第2便は来週出荷します。',
  );
  expect(fromKato).toMatchObject({
    side: 'a',
    original: { lang: 'ja' },
    translations: { th: { text: 'คำแปลภาษาไทย 2' } },
  });
  const fromStaff = view.body.messages.find((m: any) => m.senderKind === 'staff');
  expect(Object.keys(fromStaff.translations).sort()).toEqual(['ja', 'th']);
  expect(view.body.room.companies.b.names.ja).toBe('サイアム・プレシジョン・スタンピング社');
  expect(
    view.body.members
      .filter((m: any) => !m.leftAt)
      .map((m: any) => `${m.side}:${m.channel}`)
      .sort(),
  ).toEqual(['a:line', 'a:line', 'b:web', 'staff:console']);

  expect((await staffApi(running.url, 'POST', `/api/rooms/${roomId}/hand-back`)).status).toBe(200);
  await waitForEvent(
    wichai,
    'room_message',
    (p) => p.kind === 'notice' && /ออกจากห้องแล้ว ข้อความยังคงถูกแปล/.test(p.text),
  );
  const after = await staffApi(running.url, 'GET', `/api/rooms/${roomId}`);
  expect(after.body.room.mode).toBe('bot');
});

it('a report flags the room for staff; a member leaves; staff close the room and threads go back to the bot', async () => {
  const reported = await widgetAsk(wichai, 'user_message', { text: 'แจ้งปัญหา', clientMessageId: 'report' });
  expect(reported.texts).toEqual(['ขอบคุณสำหรับการแจ้ง เจ้าหน้าที่จะตรวจสอบโดยเร็ว']);
  const flagged = await staffApi(running.url, 'GET', '/api/rooms?needsStaff=true');
  expect(flagged.body.items.find((r: any) => r.id === roomId)).toMatchObject({
    reportedAt: expect.any(String),
  });

  const n = kato.received(fakeLine).length;
  await kato.say('退出');
  await eventually(() => kato.received(fakeLine).length > n, 'the confirmation');
  const leave = quickReplyData(kato.received(fakeLine).at(-1)!, /退出する/)!;
  await kato.tap(leave);
  await eventually(() => lastText(kato) === 'ルームを退出しました。ボットとの会話に戻ります。', 'left');
  await waitForEvent(wichai, 'room_message', (p) => p.kind === 'notice' && /ออกจากห้องแล้ว$/.test(p.text));
  const katoCount = kato.received(fakeLine).length;
  await send('ข้อความที่ 9 ครับ', 'm-9');
  await eventually(
    () => lastText(tanaka) === '【サイアム・プレシジョン・スタンピング社】\n日本語の訳文 9',
    'Tanaka only',
  );
  expect(kato.received(fakeLine).length).toBe(katoCount);

  expect(
    (await staffApi(running.url, 'POST', `/api/rooms/${roomId}/close`, { reason: 'abuse reported' })).status,
  ).toBe(200);
  await waitForEvent(
    wichai,
    'room_message',
    (p) => p.kind === 'notice' && p.text === 'เจ้าหน้าที่ Kakehashi ได้ปิดห้องนี้แล้ว',
  );
  await eventually(
    () => lastText(tanaka) === 'このルームは Kakehashi の担当者によって閉じられました。',
    'closed on LINE',
  );
  const m = tanaka.received(fakeLine).length;
  await tanaka.say('了解しました');
  await eventually(() => tanaka.received(fakeLine).length > m, 'the answer');
  expect(lastText(tanaka)).toBe('この商談ルームは閉じられています。ボットとの会話に戻ります。');
  // "Forget me" from the widget user takes the file they uploaded with it (Tanaka's image stays).
  await widgetAsk(wichai, 'user_message', { text: 'สวัสดี', clientMessageId: 'after-close' });
  const confirm = await widgetAsk(wichai, 'user_message', { text: 'ลบข้อมูลของฉัน', clientMessageId: 'forget' });
  const yes = confirm.quickReplies.find((q: any) => /forget-confirm/.test(q.postback)).postback;
  await widgetAsk(wichai, 'postback', { data: yes, clientMessageId: 'forget-yes' });
  const files = await running.database.pool.query(`SELECT content_type FROM relay_files`);
  expect(files.rows).toHaveLength(1);
  const audit = await running.database.pool.query(
    `SELECT action FROM audit_log WHERE entity_type = 'room' AND entity_id = $1 ORDER BY id`,
    [roomId],
  );
  expect(audit.rows.map((r: any) => r.action)).toEqual([
    'member-joined',
    'staff-join',
    'hand-back',
    'report',
    'close',
  ]);
});
