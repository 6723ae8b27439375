import type { RunningApp } from '../../src/bootstrap/start-app';
import type { Database } from '../../src/database/open-database';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { type FakeLineApi, startFakeLineApi } from '../support/fake-line-api';
import { startFakeOpenAiServer } from '../support/fake-openai-server';
import {
  eventually,
  lineQueuesSettled,
  openSharedDatabase,
  postWebhook,
  startLineApp,
  textEvent,
  webhookBody,
} from '../support/line-test-app';

/**
 * A restart loses nothing: events stored by one app instance are handled by the next one on the same database,
 * including events and messages a crashed worker had claimed (their lease runs out and they are taken over).
 */
let fake: FakeLineApi;
let shared: { database: Database; close(): Promise<void> };
let first: RunningApp | undefined;
let second: RunningApp | undefined;

beforeAll(async () => {
  fake = await startFakeLineApi();
  shared = await openSharedDatabase();
});
afterAll(async () => {
  await first?.close();
  await second?.close();
  await shared?.close();
  await fake?.close();
});

it('pending inbox rows, and rows a crashed worker held, are delivered by the next instance', async () => {
  // An instance that only receives webhooks (LINE_WORKER_CONCURRENCY=0): everything stays pending.
  first = await startLineApp(fake.url, shared.database, { LINE_WORKER_CONCURRENCY: '0' }, { seed: true });
  const pending = [
    textEvent('Urestart1', 'タイの自動車部品メーカーを探しています'),
    textEvent('Urestart2', 'help'),
    textEvent('Urestart1', 'もっと'),
  ];
  const crashed = textEvent('Ucrashed', 'help');
  for (const e of [...pending, crashed])
    expect((await postWebhook(first.url, webhookBody([e]))).status).toBe(200);
  const pool = shared.database.pool;
  // A worker of the first instance claimed one event and died: its lease ran out a second ago.
  await pool.query(
    `UPDATE line_inbox SET status = 'processing', attempts = 1, locked_by = 'dead-worker',
            locked_until = now() - interval '1 second'
     WHERE event_key = $1`,
    [crashed.webhookEventId],
  );
  // And one message was being sent when it died: LINE got it, the answer was lost.
  await pool.query(
    `INSERT INTO line_outbox (id, conversation_key, to_id, messages, status, attempts, locked_by, locked_until)
     VALUES ('5b1f7a3e-8c1d-4f0e-9a77-0c6a3e1f2b44', 'user:Ucrashed-send', 'Ucrashed-send',
             '[{"type":"text","text":"sent before the crash"}]', 'sending', 1, 'dead-worker', now() - interval '1 second')`,
  );
  fake.enqueue('push', { status: 409 });
  await new Promise((r) => setTimeout(r, 300));
  expect(fake.delivered()).toHaveLength(0);
  await first.close();
  first = undefined;

  second = await startLineApp(fake.url, shared.database);
  await second.app.get(SearchIndexerService).waitUntilIdle();
  await eventually(() => lineQueuesSettled(shared.database), 'the backlog handled', 30_000);

  // Fresh events are answered with their reply tokens, in order per user; the crashed one too.
  const replied = fake.calls('reply').map((r) => r.body.replyToken);
  expect(replied).toEqual(expect.arrayContaining([...pending, crashed].map((e) => e.replyToken)));
  expect(replied.indexOf(pending[0].replyToken)).toBeLessThan(replied.indexOf(pending[2].replyToken));
  expect(replied).toHaveLength(4);
  // The message that was in flight is pushed again with its retry key; LINE's 409 marks it sent, once.
  const push = fake.calls('push');
  expect(push.map((p) => [p.headers['x-line-retry-key'], p.status])).toEqual([
    ['5b1f7a3e-8c1d-4f0e-9a77-0c6a3e1f2b44', 409],
  ]);
  const { rows } = await pool.query(`SELECT status, count(*)::int AS n FROM line_inbox GROUP BY status`);
  expect(rows).toEqual([{ status: 'done', n: 4 }]);
  const { rows: outbox } = await pool.query(
    `SELECT status, count(*)::int AS n FROM line_outbox GROUP BY status`,
  );
  expect(outbox).toEqual([{ status: 'sent', n: 5 }]);
});

it('two instances on one database share the inbox: every event answered once, in order per user', async () => {
  await second?.close();
  fake.reset();
  const a = await startLineApp(fake.url, shared.database, { LINE_WORKER_CONCURRENCY: '2' });
  const b = await startLineApp(fake.url, shared.database, { LINE_WORKER_CONCURRENCY: '2' });
  second = undefined;
  try {
    await a.app.get(SearchIndexerService).waitUntilIdle();
    const users = ['Ushare1', 'Ushare2', 'Ushare3', 'Ushare4'];
    const events = Array.from({ length: 16 }, (_, i) => textEvent(users[i % 4], i % 2 ? 'help' : 'もっと'));
    // Half the webhooks reach one instance, half the other, as behind a load balancer.
    for (const [i, e] of events.entries()) await postWebhook((i % 2 ? a : b).url, webhookBody([e]));
    await eventually(() => lineQueuesSettled(shared.database), 'all handled', 30_000);
    const replied = fake.calls('reply').map((r) => r.body.replyToken as string);
    expect([...replied].sort()).toEqual(events.map((e) => String(e.replyToken)).sort());
    for (const user of users) {
      const own = events
        .filter((e) => (e.source as { userId: string }).userId === user)
        .map((e) => e.replyToken);
      expect(replied.filter((t) => own.includes(t))).toEqual(own);
    }
  } finally {
    await a.close();
    await b.close();
  }
});

it('an event being handled at shutdown (waiting on the model) is answered exactly once across the restart', async () => {
  fake.reset();
  const llm = await startFakeOpenAiServer({ defaultDelayMs: 20_000 });
  const app = await startLineApp(fake.url, shared.database, {
    LLM_BASE_URL: `${llm.url}/v1`,
    LLM_MODEL: 'fake-model',
    LLM_TIMEOUT_MS: '60000',
    LLM_MAX_RETRIES: '0',
    LLM_AUTO_TRANSLATE_PROFILES: 'false',
  });
  try {
    const event = textEvent('Ushutdown', 'タイで自動車部品のメーカーを探しています');
    await postWebhook(app.url, webhookBody([event]));
    await eventually(() => llm.chatRequests().length > 0, 'the model being asked');
    const closing = Date.now();
    await app.close();
    // The model call is abandoned (the engine answers without it, or the event goes back to the inbox),
    // not waited for.
    expect(Date.now() - closing).toBeLessThan(10_000);

    second = await startLineApp(fake.url, shared.database);
    await eventually(() => lineQueuesSettled(shared.database), 'settled after the restart', 30_000);
    await eventually(() => fake.delivered().length >= 1, 'the answer', 30_000);
    expect(fake.delivered()).toHaveLength(1);
    expect(fake.delivered()[0].to).toBe(event.replyToken);
    const { rows } = await shared.database.pool.query(`SELECT status FROM line_inbox WHERE event_key = $1`, [
      event.webhookEventId,
    ]);
    expect(rows).toEqual([{ status: 'done' }]);
  } finally {
    await llm.close();
  }
});
