import { AlertWorker } from '../../src/alerts/alert.worker';
import type { RunningApp } from '../../src/bootstrap/start-app';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { japaneseProfile, thaiProfile } from '../fixtures/profiles';
import { type FakeLineApi, startFakeLineApi } from '../support/fake-line-api';
import { lineEnv } from '../support/line-test-app';
import { type LineUser, lineUser, quickReplyData, relayEnv, staffApi, widgetAsk } from '../support/relay-kit';
import { startTestApp } from '../support/test-app';
import { type ChatClient, connectChat, createSession } from '../support/web-chat-client';

/**
 * "Tell me when a firm like this joins", as users meet it: a Japanese buyer in the widget saves a search from its
 * results, firms are published over the following days, and the buyer hears of the ones that fit, once each, in
 * at most one message a day, until they say "stop alerts". A Thai user on LINE gets theirs as a push with a retry
 * key. The worker is run by hand (runNow) so the test decides when a check happens; "the next day" moves the
 * last alert's time back.
 */
let running: RunningApp;
let fakeLine: FakeLineApi;
let buyer: ChatClient;
let thaiUser: LineUser;
let ids = 0;

beforeAll(async () => {
  fakeLine = await startFakeLineApi();
  running = await startTestApp(lineEnv(fakeLine.url, relayEnv(undefined, { ALERT_CHECK_MS: '3600000' })), {
    seed: true,
  });
  await running.app.get(SearchIndexerService).waitUntilIdle();
  buyer = await connectChat(running.url, { token: (await createSession(running.url, { lang: 'ja' })).token });
  thaiUser = lineUser(() => running, 'Ualerts000000000000000000000000th1');
});
afterAll(async () => {
  buyer?.close();
  await running?.close();
  await fakeLine?.close();
});

const say = (text: string) => widgetAsk(buyer, 'user_message', { text, clientMessageId: `a-${++ids}` });
const tap = (reply: any, label: RegExp) =>
  widgetAsk(buyer, 'postback', {
    data: (reply.quickReplies as any[]).find((q) => label.test(q.label)).postback,
    clientMessageId: `a-${++ids}`,
  });
const botMessages = () => buyer.events.filter((e) => e.event === 'bot_message').map((e) => e.payload);

async function publish(profile: Record<string, unknown>): Promise<void> {
  const res = await staffApi(running.url, 'POST', '/api/companies', profile);
  expect(res.status).toBe(201);
}
/** Indexes what was published and runs the alert check (the index change also starts one by itself). */
async function check(): Promise<void> {
  await running.app.get(SearchIndexerService).waitUntilIdle();
  await running.app.get(AlertWorker).runNow();
  // What was sent reaches the socket after the commit: give it a moment before counting.
  await new Promise((r) => setTimeout(r, 300));
}
const plasticMaker = (id: string, name: string) =>
  thaiProfile(id, {
    names: { th: name },
    summary: { th: 'รับจ้างผลิตชิ้นส่วนพลาสติกฉีดขึ้นรูปสำหรับรถยนต์' },
    offerings: { th: ['ชิ้นส่วนพลาสติกฉีดขึ้นรูป'] },
    industries: undefined,
    seeking: undefined,
    certifications: undefined,
    website: undefined,
  });

it('alerts a saved search once per firm that joins, at most one message a day, until stopped', async () => {
  const results = await say('タイでプラスチック射出成形のメーカーを探しています');
  const saved = await tap(results, /新着を通知/);
  expect(saved.texts[0]).toContain('新しく登録されたら、こちらでお知らせします');
  expect((await tap(results, /新着を通知/)).texts[0]).toContain('すでに通知の対象');

  // Day 1: a plastics maker and a food maker join; only the first is announced.
  const before = botMessages().length;
  await publish(plasticMaker('alert:th-plastic-1', 'บริษัท ระยองพลาสติก จำกัด'));
  await publish(
    thaiProfile('alert:th-food-1', {
      names: { th: 'บริษัท อาหารทะเล จำกัด' },
      summary: { th: 'ผลิตอาหารทะเลแช่แข็งส่งออก' },
      offerings: { th: ['กุ้งแช่แข็ง'] },
      industries: undefined,
    }),
  );
  await check();
  const alert = botMessages().at(-1);
  expect(botMessages().length).toBe(before + 1);
  expect(alert.texts[0]).toContain('に合う企業が新しく登録されました（1社）');
  expect(alert.cards.map((c: any) => c.externalId)).toEqual(['alert:th-plastic-1']);

  // The same day, another one joins: it waits for tomorrow's message.
  await publish(plasticMaker('alert:th-plastic-2', 'บริษัท ชลบุรีโมลด์ จำกัด'));
  await check();
  expect(botMessages().length).toBe(before + 1);
  // An edit of the first firm does not announce it again.
  const edited = await staffApi(running.url, 'PATCH', '/api/companies/alert:th-plastic-1', {
    employees: 300,
  });
  expect(edited.status).toBe(200);

  // The next day: the second firm, and only it.
  await running.database.pool.query(
    `UPDATE alert_digests SET last_sent_at = last_sent_at - interval '25 hours'`,
  );
  await check();
  expect(botMessages().length).toBe(before + 2);
  expect(
    botMessages()
      .at(-1)
      .cards.map((c: any) => c.externalId),
  ).toEqual(['alert:th-plastic-2']);

  // "Stop alerts" in words: nothing more, even on a later day.
  const stopped = await say('通知を止めて');
  expect(stopped.texts[0]).toContain('停止しました');
  await running.database.pool.query(
    `UPDATE alert_digests SET last_sent_at = last_sent_at - interval '25 hours'`,
  );
  await publish(plasticMaker('alert:th-plastic-3', 'บริษัท บางนาพลาสติก จำกัด'));
  await check();
  expect(botMessages().length).toBe(before + 3); // the "stopped" answer, no alert
});

it('pushes a LINE user’s alert through the outbox with a retry key, in Thai', async () => {
  const before = thaiUser.received(fakeLine).length;
  await thaiUser.say('หาผู้ผลิตแม่พิมพ์ญี่ปุ่น');
  await fakeLine.waitFor(() => thaiUser.received(fakeLine).length > before, 'the search results');
  const data = quickReplyData(thaiUser.received(fakeLine).at(-1)!, /แจ้งเตือนบริษัทใหม่/);
  expect(data).toBe('action=alert-save');
  await thaiUser.tap(data!);
  await fakeLine.waitFor(
    () => JSON.stringify(thaiUser.received(fakeLine).at(-1)?.messages ?? '').includes('จะแจ้งให้ทราบที่นี่'),
    'the confirmation',
  );

  await publish(japaneseProfile('alert:jp-mold-1'));
  await check();
  await fakeLine.waitFor(
    () =>
      thaiUser
        .received(fakeLine)
        .some((d) => d.via === 'push' && /มีบริษัทใหม่ที่ตรงกับ/.test(JSON.stringify(d.messages))),
    'the alert push',
  );
  const push = thaiUser.received(fakeLine).find((d) => d.via === 'push')!;
  expect(push.retryKey).toMatch(/^[0-9a-f-]{36}$/);
  expect(JSON.stringify(push.messages)).toContain('action=intro&id=alert%3Ajp-mold-1');
  expect(thaiUser.received(fakeLine).filter((d) => d.via === 'push')).toHaveLength(1);
});
