import type { RunningApp } from '../../src/bootstrap/start-app';
import { IntroductionWorker } from '../../src/introductions/introduction.worker';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { type FakeLineApi, startFakeLineApi } from '../support/fake-line-api';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../support/fake-openai-server';
import { eventually, lineEnv } from '../support/line-test-app';
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
import { startTestApp } from '../support/test-app';
import type { ChatClient } from '../support/web-chat-client';

/**
 * Introduction requests beyond the happy path: a rewritten message, a decline with a reason (translated for the
 * requester), a request "in words" after a search, expiry, the staff queue and accepting on a company's behalf,
 * the per-requester rate limit, and nobody but the target answering for it. The requester uses the widget, the
 * target LINE.
 */
const RATE = 3;

let fakeLine: FakeLineApi;
let llm: FakeOpenAiServer;
let running: RunningApp;
let requester: ChatClient;
let rayong: LineUser;
let outsider: LineUser;
let clientIds = 0;

beforeAll(async () => {
  fakeLine = await startFakeLineApi();
  llm = await startFakeOpenAiServer();
  llm.onChat(relayModel);
  running = await startTestApp(
    lineEnv(
      fakeLine.url,
      relayEnv(llm.url, { INTRODUCTION_RATE_PER_DAY: String(RATE), INTRODUCTION_TTL_HOURS: '48' }),
    ),
    { seed: true },
  );
  await running.app.get(SearchIndexerService).waitUntilIdle();
  requester = (await widgetUser(running.url, 'seed:jp-002', 'sato', 'ja')).client;
  await say('こんにちは');
  rayong = lineUser(() => running, 'Urayong000000000000000000000000001');
  outsider = lineUser(() => running, 'Uoutsider00000000000000000000000001');
  await rayong.say('สวัสดีครับ');
  await outsider.say('สวัสดีครับ');
  await eventually(
    () => rayong.received(fakeLine).length > 0 && outsider.received(fakeLine).length > 0,
    'greetings',
  );
  await linkLineUser(running.url, rayong, 'seed:th-002');
});
afterAll(async () => {
  requester?.close();
  await running?.close();
  await fakeLine?.close();
  await llm?.close();
});

async function say(text: string): Promise<any> {
  const n = requester.events.filter((e) => e.event === 'bot_message').length;
  const ack = await requester.request('user_message', { text, clientMessageId: `r-${++clientIds}` });
  expect(ack.ok).toBe(true);
  await eventually(() => requester.events.filter((e) => e.event === 'bot_message').length > n, 'the answer');
  return requester.events.filter((e) => e.event === 'bot_message').at(-1)!.payload;
}

async function tap(data: string): Promise<any> {
  const n = requester.events.filter((e) => e.event === 'bot_message').length;
  const ack = await requester.request('postback', { data, clientMessageId: `r-${++clientIds}` });
  expect(ack.ok).toBe(true);
  await eventually(() => requester.events.filter((e) => e.event === 'bot_message').length > n, 'the answer');
  return requester.events.filter((e) => e.event === 'bot_message').at(-1)!.payload;
}

const button = (reply: any, label: RegExp): string =>
  reply.quickReplies.find((q: any) => label.test(q.label))!.postback;

async function sendIntroduction(target: string, message?: string): Promise<string> {
  const draft = await tap(`action=intro&id=${encodeURIComponent(target)}`);
  expect(draft.texts[0]).toMatch(/ご紹介を依頼します/);
  let send = button(draft, /この内容で依頼/);
  if (message) {
    const confirm = await say(message);
    expect(confirm.texts[0]).toContain(message);
    send = button(confirm, /この内容で依頼/);
  }
  const sent = await tap(send);
  expect(sent.texts[0]).toMatch(/ご紹介の依頼(を送りました|を受け付けました)/);
  return new URLSearchParams(send).get('i')!;
}

async function lastBotMessage(pattern: RegExp): Promise<any> {
  await eventually(
    () => requester.events.some((e) => e.event === 'bot_message' && pattern.test(e.payload.texts.join('\n'))),
    `a bot message matching ${pattern}`,
  );
  return requester.events
    .filter((e) => e.event === 'bot_message' && pattern.test(e.payload.texts.join('\n')))
    .at(-1)!.payload;
}

it('a rewritten message reaches the target in Thai; a decline with a reason reaches the requester in Japanese', async () => {
  const id = await sendIntroduction(
    'seed:th-002',
    '御社のブレーキ部品について、年間12000個の調達を相談したいです。資料 https://phish.example/login',
  );
  await eventually(
    () => textsOf(rayong.received(fakeLine)).some((t) => t.includes('ส่งคำขอให้แนะนำถึงบริษัทของท่าน')),
    'the request on LINE',
  );
  const notice = rayong.received(fakeLine).at(-1)!;
  const text = textsOf([notice]).join('\n');
  expect(text).toContain('คำแปลภาษาไทย 12000'); // the rewritten message, translated, numbers kept
  // A stranger's link is withheld until the firm accepts, in the message and in its original alike.
  expect(text).not.toContain('phish.example');
  const k = rayong.received(fakeLine).length;
  await rayong.tap(`action=intro-orig&i=${id}`);
  await eventually(() => rayong.received(fakeLine).length > k, 'the original');
  const original = textsOf([rayong.received(fakeLine).at(-1)!]).join('');
  expect(original).toContain('御社のブレーキ部品');
  expect(original).not.toContain('phish.example');
  expect(original).toContain('แชร์ลิงก์ได้หลังจากตอบรับการแนะนำแล้ว');

  // Somebody else cannot answer for Rayong Brake.
  const before = outsider.received(fakeLine).length;
  await outsider.tap(`action=intro-accept&i=${id}`);
  await eventually(() => outsider.received(fakeLine).length > before, 'the refusal');
  expect(textsOf([outsider.received(fakeLine).at(-1)!]).join('')).toMatch(/เฉพาะผู้แทนของบริษัทปลายทาง/);

  const decline = quickReplyData(notice, /ปฏิเสธ/)!;
  const n = rayong.received(fakeLine).length;
  await rayong.tap(decline);
  await eventually(() => rayong.received(fakeLine).length > n, 'the reason question');
  expect(textsOf([rayong.received(fakeLine).at(-1)!]).join('')).toMatch(/เหตุผลในการปฏิเสธ/);
  await rayong.say('ขณะนี้กำลังการผลิตเต็มถึงเดือน 9');
  await eventually(() => rayong.received(fakeLine).length > n + 1, 'the acknowledgement');
  expect(textsOf([rayong.received(fakeLine).at(-1)!]).join('')).toMatch(/จะแจ้งการปฏิเสธ/);

  const outcome = await lastBotMessage(/お断りしました/);
  expect(outcome.texts.join('\n')).toContain('理由：日本語の訳文 9');
  const got = await staffApi(running.url, 'GET', `/api/introductions/${id}`);
  expect(got.body).toMatchObject({
    status: 'declined',
    route: 'chat',
    declineReason: 'ขณะนี้กำลังการผลิตเต็มถึงเดือน 9',
  });
  expect(got.body.recipients).toEqual([{ chatUserId: expect.any(String), channel: 'line', lang: 'th' }]);

  // Too late to accept now.
  const m = rayong.received(fakeLine).length;
  await rayong.tap(`action=intro-accept&i=${id}`);
  await eventually(() => rayong.received(fakeLine).length > m, 'the answer');
  expect(textsOf([rayong.received(fakeLine).at(-1)!]).join('')).toMatch(/อยู่ในสถานะ "ปฏิเสธ"/);
});

it('asked in words after a search; with nobody to reach it waits for staff, and expires', async () => {
  const results = await say('タイの自動車部品メーカーを探しています');
  expect(results.cards.length).toBeGreaterThan(0);
  const first = results.cards.find((c: any) => c.externalId !== 'seed:th-002') ?? results.cards[0];
  const index = results.cards.indexOf(first) + 1;
  const draft = await say(`${index}番目の会社を紹介してください`);
  expect(draft.texts[0]).toContain(`${first.title}へのご紹介を依頼します`);
  const sent = await tap(button(draft, /この内容で依頼/));
  expect(sent.texts[0]).toMatch(/担当者が先方にご連絡します/);
  const id = new URLSearchParams(button(draft, /この内容で依頼/)).get('i')!;

  await eventually(
    async () => (await staffApi(running.url, 'GET', `/api/introductions/${id}`)).body.route === 'staff',
    'the staff route',
  );
  const queue = await staffApi(running.url, 'GET', '/api/introductions?needsStaff=true');
  expect(queue.body.items.map((i: any) => i.id)).toContain(id);

  await running.database.pool.query(
    `UPDATE introductions SET expires_at = now() - interval '1 second' WHERE id = $1`,
    [id],
  );
  await running.app.get(IntroductionWorker).sweepNow();
  const expired = await lastBotMessage(/期限切れになりました/);
  expect(expired.texts[0]).toContain(first.title);
  expect((await staffApi(running.url, 'GET', `/api/introductions/${id}`)).body.status).toBe('expired');
});

it('staff accept on the company’s behalf: the room opens for the requester', async () => {
  const id = await sendIntroduction('seed:th-004');
  await eventually(
    async () => (await staffApi(running.url, 'GET', `/api/introductions/${id}`)).body.route === 'staff',
    'the staff route',
  );
  const accepted = await staffApi(running.url, 'POST', `/api/introductions/${id}/accept`);
  expect(accepted.status).toBe(200);
  expect(accepted.body).toMatchObject({ status: 'accepted', roomId: expect.any(String) });
  await eventually(() => requester.events.some((e) => e.event === 'room_message'), 'the room notice');
  const opened = requester.events.find((e) => e.event === 'room_message')!.payload;
  expect(opened.text).toMatch(/チャンタブリ・ドリアン・エクスポート社との商談ルームを開きました/);
  expect((await staffApi(running.url, 'POST', `/api/introductions/${id}/accept`)).status).toBe(409);
  const list = await staffApi(running.url, 'GET', '/api/introductions');
  expect(list.body.total).toBe(3);
  expect(list.body.items.map((i: any) => i.status).sort()).toEqual(['accepted', 'declined', 'expired']);
});

it('a requester may send at most INTRODUCTION_RATE_PER_DAY requests a day', async () => {
  await say('ボットに戻る');
  const limited = await tap(`action=intro&id=${encodeURIComponent('seed:th-005')}`);
  expect(limited.texts[0]).toBe(`ご紹介の依頼は24時間に${RATE}件までです。しばらくしてからお試しください。`);
  const { rows } = await running.database.pool.query(
    `SELECT count(*)::int AS n FROM introductions WHERE target_external_id = 'seed:th-005'`,
  );
  expect(rows[0].n).toBe(0);
});
