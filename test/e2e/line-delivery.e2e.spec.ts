import type { RunningApp } from '../../src/bootstrap/start-app';
import { LineInboxWorker } from '../../src/line/line-inbox.worker';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { type FakeLineApi, startFakeLineApi } from '../support/fake-line-api';
import {
  BOT_USER_ID,
  eventually,
  lineEnv,
  lineQueuesSettled,
  postWebhook,
  textEvent,
  webhookBody,
} from '../support/line-test-app';
import { startTestApp } from '../support/test-app';

/**
 * From webhook to LINE: the answer goes out once, as a reply while the token is fresh and as a push (with a
 * retry key) after that; rate limits, server errors and lost answers are retried without duplicates; failures
 * stay visible. The engine runs on the seed profiles, rule-based (no LLM).
 */
let fake: FakeLineApi;
let running: RunningApp;

beforeAll(async () => {
  fake = await startFakeLineApi();
  running = await startTestApp(lineEnv(fake.url, { LINE_OUTBOX_MAX_ATTEMPTS: '3' }), { seed: true });
  await running.app.get(SearchIndexerService).waitUntilIdle();
});
beforeEach(() => fake.reset());
afterAll(async () => {
  await running?.close();
  await fake?.close();
});

const settled = () => eventually(() => lineQueuesSettled(running.database), 'LINE queues settled');
const outboxOf = async (userId: string) =>
  (
    await running.database.pool.query(
      `SELECT id, status, attempts, sent_via, last_status, reply_token_used_at IS NOT NULL AS token_used
       FROM line_outbox WHERE to_id = $1 ORDER BY seq`,
      [userId],
    )
  ).rows;

/** Company ids on a carousel's buttons (postback data `action=details&id=…`). */
function carouselIds(flex: any): string[] {
  return flex.contents.contents.map((bubble: any) => {
    const data: string = bubble.footer.contents[0].action.data;
    return new URLSearchParams(data).get('id')!;
  });
}

it('a Japanese request for Thai auto-parts makers gets ONE reply whose Flex carousel lists Thai seed companies', async () => {
  fake.setProfile('Ujp1', { displayName: '田中', language: 'ja' });
  const event = textEvent('Ujp1', 'タイで自動車部品のメーカーを探しています');
  expect((await postWebhook(running.url, webhookBody([event]))).status).toBe(200);
  await eventually(() => fake.delivered().length > 0, 'the reply');
  await settled();

  const deliveries = fake.delivered();
  expect(deliveries).toHaveLength(1);
  expect(deliveries[0]).toMatchObject({ via: 'reply', to: event.replyToken });
  const messages = deliveries[0].messages;
  expect(messages.length).toBeLessThanOrEqual(5);
  const flexes = messages.filter((m: any) => m.type === 'flex');
  expect(flexes).toHaveLength(1);
  const flex = flexes[0];
  expect(flex.contents.type).toBe('carousel');
  expect(flex.altText.length).toBeGreaterThan(0);
  const ids = carouselIds(flex);
  expect(ids.length).toBeGreaterThan(0);
  const { rows } = await running.database.pool.query<{
    external_id: string;
    country: string;
    industries: any;
  }>('SELECT external_id, country, industries FROM companies WHERE external_id = ANY($1)', [ids]);
  // Real seed companies, all Thai, the best one an automotive maker.
  expect(rows).toHaveLength(ids.length);
  expect(rows.every((r) => r.country === 'TH')).toBe(true);
  const best = rows.find((r) => r.external_id === ids[0])!;
  expect(JSON.stringify(best.industries)).toMatch(/Automotive/);
  // Localized for a Japanese reader: Japanese buttons and country label, a Japanese text first.
  const bubble = flex.contents.contents[0];
  expect(bubble.footer.contents.map((b: any) => b.action.label)).toEqual(['詳細', '紹介を依頼']);
  expect(bubble.body.contents.map((c: any) => c.text)).toContain('タイ');
  expect(messages[0].type).toBe('text');
  expect(messages[0].text).toMatch(/[ぁ-んァ-ン一-龯]/);
  // The loading animation ran in this 1:1 chat before the reply.
  const loading = fake.calls('loading');
  expect(loading.map((r) => r.body)).toEqual([{ chatId: 'Ujp1', loadingSeconds: 20 }]);
  expect(loading[0].seq).toBeLessThan(fake.calls('reply')[0].seq);
  expect(fake.calls('profile').map((r) => r.path)).toEqual(['/v2/bot/profile/Ujp1']);
  expect(fake.calls('reply')[0].headers.authorization).toBe('Bearer test-line-channel-access-token');
});

it('a redelivered event (same webhookEventId) and a duplicate POST yield no second message', async () => {
  const event = textEvent('Uredeliver', 'タイの食品加工会社を探しています');
  await postWebhook(running.url, webhookBody([event]));
  await eventually(() => fake.delivered().length === 1, 'the first answer');
  const redelivery = { ...event, deliveryContext: { isRedelivery: true } };
  expect((await postWebhook(running.url, webhookBody([redelivery]))).status).toBe(200);
  expect((await postWebhook(running.url, webhookBody([event]))).status).toBe(200);
  await settled();
  await new Promise((r) => setTimeout(r, 300));
  expect(fake.delivered()).toHaveLength(1);
  const { rows } = await running.database.pool.query(
    `SELECT count(*)::int AS n FROM line_inbox WHERE event_key = $1`,
    [event.webhookEventId],
  );
  expect(rows[0].n).toBe(1);
});

it('an expired reply token falls back to push with X-Line-Retry-Key = the outbox id', async () => {
  const event = textEvent('Ulate', 'หาผู้ผลิตเครื่องจักรญี่ปุ่น', { timestamp: Date.now() - 2 * 60_000 });
  await postWebhook(running.url, webhookBody([event]));
  await eventually(() => fake.delivered().length === 1, 'the push');
  await settled();
  expect(fake.calls('reply')).toHaveLength(0);
  const [push] = fake.calls('push');
  const [row] = await outboxOf('Ulate');
  expect(push.headers['x-line-retry-key']).toBe(row.id);
  expect(push.body.to).toBe('Ulate');
  expect(row).toMatchObject({ status: 'sent', sent_via: 'push', token_used: false });
});

it('a reply token LINE refuses (used or expired on its side) falls back to push at once', async () => {
  const event = textEvent('Urefused', 'help');
  fake.expireReplyToken(String(event.replyToken));
  await postWebhook(running.url, webhookBody([event]));
  await eventually(() => fake.delivered().length === 1, 'the push');
  await settled();
  expect(fake.calls('reply').map((r) => r.status)).toEqual([400]);
  expect(fake.delivered()[0]).toMatchObject({ via: 'push', to: 'Urefused' });
  const [row] = await outboxOf('Urefused');
  expect(row).toMatchObject({ status: 'sent', sent_via: 'push', token_used: true, attempts: 2 });
});

it('429 with Retry-After, then 200: delivered once, after the wait, with the same retry key', async () => {
  fake.enqueue('push', {
    status: 429,
    headers: { 'retry-after': '1' },
    body: { message: 'Too many requests' },
  });
  const event = textEvent('Urate', 'タイの物流会社を紹介してください', {
    timestamp: Date.now() - 5 * 60_000,
  });
  await postWebhook(running.url, webhookBody([event]));
  await eventually(() => fake.delivered().length === 1, 'the delivery', 20_000);
  await settled();
  const pushes = fake.calls('push');
  expect(pushes.map((p) => p.status)).toEqual([429, 200]);
  expect(pushes[1].receivedAt - pushes[0].receivedAt).toBeGreaterThanOrEqual(950);
  expect(new Set(pushes.map((p) => p.headers['x-line-retry-key'])).size).toBe(1);
  expect(fake.delivered()).toHaveLength(1);
  expect(await outboxOf('Urate')).toMatchObject([{ status: 'sent', attempts: 2, last_status: 200 }]);
});

it('a push whose answer was lost is retried with the same key; LINE answers 409 and it is not sent twice', async () => {
  fake.enqueue('push', { status: 503 }, { dropAfterAccepting: true });
  const event = textEvent('Ulost', 'help', { timestamp: Date.now() - 5 * 60_000 });
  await postWebhook(running.url, webhookBody([event]));
  await eventually(async () => (await outboxOf('Ulost'))[0]?.status === 'sent', 'sent', 20_000);
  const pushes = fake.calls('push');
  expect(pushes.map((p) => p.status)).toEqual([503, 0, 409]);
  expect(new Set(pushes.map((p) => p.headers['x-line-retry-key'])).size).toBe(1);
  expect(fake.delivered()).toHaveLength(1);
  expect(await outboxOf('Ulost')).toMatchObject([{ status: 'sent', last_status: 409, attempts: 3 }]);
});

it('a message LINE keeps refusing stays failed and visible after the last attempt, never deleted', async () => {
  fake.enqueue('push', { status: 500 }, { status: 502 }, { status: 500 });
  const event = textEvent('Udown', 'help', { timestamp: Date.now() - 5 * 60_000 });
  await postWebhook(running.url, webhookBody([event]));
  await eventually(async () => (await outboxOf('Udown'))[0]?.status === 'failed', 'failed', 20_000);
  expect(fake.calls('push')).toHaveLength(3);
  const { rows } = await running.database.pool.query(
    `SELECT status, attempts, last_status, last_error, jsonb_array_length(messages) > 0 AS has_messages
     FROM line_outbox WHERE to_id = 'Udown'`,
  );
  expect(rows).toEqual([
    {
      status: 'failed',
      attempts: 3,
      last_status: 500,
      last_error: expect.stringMatching(/500/),
      has_messages: true,
    },
  ]);
});

it("one user's events are answered in the order they were sent", async () => {
  const events = ['help', 'タイの自動車部品メーカー', 'もっと'].map((t) => textEvent('Uorder', t));
  for (const e of events) await postWebhook(running.url, webhookBody([e]));
  await eventually(() => fake.delivered().length === 3, 'three answers');
  await settled();
  expect(fake.calls('reply').map((r) => r.body.replyToken)).toEqual(events.map((e) => e.replyToken));
});

it('in a group the bot answers only when mentioned, without the loading animation', async () => {
  const group = { type: 'group', groupId: 'Cgroup1', userId: 'Umember' };
  const chatter = textEvent('Umember', 'タイの部品メーカーはどこが良いかな', { source: group });
  const asked = textEvent('Umember', '@Kakehashi タイの自動車部品メーカー', {
    source: group,
    message: {
      id: '990001',
      type: 'text',
      text: '@Kakehashi タイの自動車部品メーカー',
      mention: { mentionees: [{ index: 0, length: 10, type: 'user', userId: BOT_USER_ID }] },
    },
  });
  await postWebhook(running.url, webhookBody([chatter, asked]));
  await eventually(() => fake.delivered().length === 1, 'the answer');
  await settled();
  expect(fake.delivered()[0].to).toBe(asked.replyToken);
  expect(fake.delivered()[0].messages.some((m: any) => m.type === 'flex')).toBe(true);
  expect(fake.calls('loading')).toHaveLength(0);
  const { rows } = await running.database.pool.query(
    `SELECT status FROM line_inbox WHERE conversation_key = 'group:Cgroup1' ORDER BY id`,
  );
  expect(rows.map((r) => r.status)).toEqual(['ignored', 'done']);
});

it('handled events and sent messages are purged after the retention period; failed ones stay', async () => {
  const pool = running.database.pool;
  await pool.query(
    `UPDATE line_inbox SET processed_at = now() - interval '8 days' WHERE status IN ('done', 'ignored')`,
  );
  await pool.query(
    `UPDATE line_outbox SET sent_at = now() - interval '8 days', created_at = now() - interval '8 days'`,
  );
  const before = (await pool.query(`SELECT count(*)::int AS n FROM line_inbox`)).rows[0].n as number;
  const purged = await running.app.get(LineInboxWorker).purgeOld(3);
  expect(purged.events).toBe(before);
  const { rows } = await pool.query(`SELECT status FROM line_outbox`);
  expect(rows).toEqual([{ status: 'failed' }]);
  expect((await pool.query(`SELECT count(*)::int AS n FROM line_inbox`)).rows[0].n).toBe(0);
});
