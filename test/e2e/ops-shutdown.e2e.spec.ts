import type { RunningApp } from '../../src/bootstrap/start-app';
import type { Database } from '../../src/database/open-database';
import { type FakeLineApi, startFakeLineApi } from '../support/fake-line-api';
import {
  eventually,
  lineQueuesSettled,
  openSharedDatabase,
  postWebhook,
  startLineApp,
  textEvent,
  webhookBody,
} from '../support/line-test-app';
import { connectChat, createSession } from '../support/web-chat-client';

/**
 * Graceful shutdown under load: LINE keeps posting webhooks while the serving instance is replaced (a rolling
 * restart: the new one starts, the old one gets SIGTERM's sequence). Whatever the old instance cannot take is
 * refused (LINE redelivers it), in-flight events are handed back, the outbox is flushed, and in the end every
 * event was handled once and answered once. Web chat sockets are told to reconnect.
 */
const EVENTS = 160;
const USERS = 16;
const WEB_CHAT = { WEB_CHAT_SECRET: 'ops-shutdown-web-chat-secret-0123456789' };

let fake: FakeLineApi;
let shared: { database: Database; close(): Promise<void> };
const apps: RunningApp[] = [];

beforeAll(async () => {
  fake = await startFakeLineApi();
  // A LINE API that takes a moment per call, so sends are in flight when the instance stops.
  fake.setDefaultDelay(15);
  shared = await openSharedDatabase();
});
afterAll(async () => {
  for (const a of apps) await a.close().catch(() => undefined);
  await shared?.close();
  await fake?.close();
});

it('a rolling restart during webhook traffic loses and duplicates nothing', async () => {
  const env = { ...WEB_CHAT, LINE_WORKER_CONCURRENCY: '4', LINE_SENDER_CONCURRENCY: '4' };
  let current = await startLineApp(fake.url, shared.database, env);
  apps.push(current);
  const first = current;
  const session = await createSession(first.url, { lang: 'en' });
  const socket = await connectChat(first.url, { token: session.token });
  const disconnected = new Promise<string>((resolve) => socket.socket.once('disconnect', resolve));

  const events = Array.from({ length: EVENTS }, (_, i) =>
    textEvent(
      `Ushutdown${String(i % USERS).padStart(2, '0')}`,
      i % 3 === 0 ? 'help' : 'タイの自動車部品メーカー',
    ),
  );
  const counts = { sent: 0, acknowledged: 0, refused: 0 };
  // LINE's side: post each event; anything but 200 (or no answer) is redelivered shortly after.
  const deliver = async (event: Record<string, unknown>) => {
    for (let attempt = 0; attempt < 100; attempt++) {
      counts.sent++;
      const target = current;
      const res = await postWebhook(target.url, webhookBody([event])).catch(() => undefined);
      if (res?.status === 200) {
        counts.acknowledged++;
        return;
      }
      counts.refused++;
      event.deliveryContext = { isRedelivery: true };
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('an event was never acknowledged');
  };

  let second: RunningApp | undefined;
  let restart: Promise<void> | undefined;
  const traffic = (async () => {
    for (const [i, event] of events.entries()) {
      if (i === EVENTS / 2) {
        // Rolling restart: the new instance starts, takes the traffic, and the old one drains and stops.
        restart = (async () => {
          second = await startLineApp(fake.url, shared.database, env);
          apps.push(second);
          current = second;
          await first.close();
          apps.splice(apps.indexOf(first), 1);
        })();
        // Keep sending to the old instance while it shuts down: it refuses, LINE redelivers.
      }
      void deliver(event);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  await traffic;
  await restart;
  await eventually(() => counts.acknowledged === EVENTS, 'every webhook acknowledged', 60_000);
  await eventually(() => lineQueuesSettled(shared.database), 'inbox and outbox drained', 60_000);

  // The web chat socket was told to reconnect, and its transport closed (so socket.io reconnects by itself).
  expect(socket.events.map((e) => e.event)).toContain('server_restarting');
  expect(await disconnected).toBe('transport close');
  socket.close();

  const pool = shared.database.pool;
  const { rows: inbox } = await pool.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM line_inbox GROUP BY status`,
  );
  expect(inbox).toEqual([{ status: 'done', n: EVENTS }]);
  const { rows: sent } = await pool.query<{ id: string; inbox_id: string; reply_token: string | null }>(
    `SELECT id, inbox_id, reply_token FROM line_outbox WHERE status = 'sent'`,
  );
  const { rows: notSent } = await pool.query(`SELECT 1 FROM line_outbox WHERE status <> 'sent'`);
  expect(notSent).toHaveLength(0);
  const deliveries = fake.delivered();
  const keys = deliveries.map((d) => (d.via === 'push' ? `push:${d.retryKey}` : `reply:${d.to}`));
  const duplicated = keys.length - new Set(keys).size;
  const answeredEvents = new Set(sent.map((r) => r.inbox_id));
  const lost = EVENTS - answeredEvents.size;
  process.stdout.write(
    `rolling restart under load: events sent ${counts.sent} (refused ${counts.refused}, redelivered), ` +
      `acknowledged ${counts.acknowledged}, processed ${inbox[0]?.n ?? 0}, duplicated ${duplicated}; ` +
      `messages sent ${sent.length}, delivered ${deliveries.length}, lost ${lost}\n`,
  );
  expect(duplicated).toBe(0);
  expect(lost).toBe(0);
  expect(deliveries).toHaveLength(sent.length);
});
