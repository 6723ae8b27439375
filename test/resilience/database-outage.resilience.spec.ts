import { Pool } from 'pg';
import { type RunningApp, startApp } from '../../src/bootstrap/start-app';
import { loadConfig } from '../../src/config/app-config';
import { type EmbeddedDatabase, openEmbeddedDatabase } from '../../src/database/embedded-postgres';
import { migrate } from '../../src/database/migrator';
import { type FakeLineApi, startFakeLineApi } from '../support/fake-line-api';
import { LINE_SECRET, LINE_TOKEN, postWebhook, textEvent, webhookBody } from '../support/line-test-app';
import { TEST_ADMIN_TOKEN } from '../support/test-app';
import { type ChatClient, connectChat, createSession } from '../support/web-chat-client';
import { printCounts, sleep, until } from './support/counts';

/**
 * The database goes away for 10 s in the middle of LINE webhook and web chat traffic (the PostgreSQL server the
 * app reaches over the wire is stopped and started again on the same port). The webhook answers 5xx while it
 * cannot store events, so LINE redelivers them; web chat turns fail with a clear error and the widget sends
 * them again. When the database is back, everything is handled once and nothing is lost.
 */
const OUTAGE_MS = 10_000;
const LINE_EVENTS = 40;
const CHAT_MESSAGES = 24;

describe('resilience: the database unavailable for 10 s', () => {
  let embedded: EmbeddedDatabase;
  let wire: { url: string; stop(): Promise<void> };
  let fake: FakeLineApi;
  let running: RunningApp;

  beforeAll(async () => {
    fake = await startFakeLineApi();
    embedded = await openEmbeddedDatabase();
    wire = await embedded.serveOverWire();
    const pool = new Pool({ connectionString: wire.url, max: 1 });
    await migrate(pool);
    await pool.end();
    running = await startApp(
      loadConfig({
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        ADMIN_API_TOKEN: TEST_ADMIN_TOKEN,
        DATABASE_URL: wire.url,
        LINE_CHANNEL_SECRET: LINE_SECRET,
        LINE_CHANNEL_ACCESS_TOKEN: LINE_TOKEN,
        LINE_API_BASE_URL: fake.url,
        LINE_DATA_API_BASE_URL: fake.url,
        LINE_WORKER_POLL_MS: '200',
        LINE_WORKER_LEASE_SECONDS: '5',
        LINE_RETRY_BASE_MS: '200',
        LINE_RETRY_MAX_DELAY_MS: '2000',
        LINE_INBOX_MAX_ATTEMPTS: '50',
        LINE_OUTBOX_MAX_ATTEMPTS: '50',
        WEB_CHAT_SECRET: 'db-outage-web-chat-secret-0123456789',
        WEB_CHAT_RATE_BURST: '100',
        WEB_CHAT_RATE_PER_MINUTE: '6000',
        LLM_AUTO_TRANSLATE_PROFILES: 'false',
        RETENTION_INTERVAL_MINUTES: '0',
      }),
      { seed: false },
    );
  });
  afterAll(async () => {
    await running?.close();
    await wire?.stop();
    await embedded?.close();
    await fake?.close();
  });

  it('answers 5xx while down, then handles every event and message once', async () => {
    const port = Number(new URL(wire.url).port);
    const counts = {
      'events sent': LINE_EVENTS,
      'webhook posts (with redeliveries)': 0,
      'events acknowledged': 0,
      'events processed': 0,
      'events duplicated': 0,
      'webhook 5xx while down': 0,
      'messages sent': CHAT_MESSAGES,
      'message sends (with resends)': 0,
      'messages delivered': 0,
      'messages lost': 0,
      'messages duplicated': 0,
      'chat errors while down': 0,
    };
    let down = false;
    const health: number[] = [];

    // LINE: each event is posted until it is acknowledged with 200 (LINE redelivers on 5xx and timeouts).
    const events = Array.from({ length: LINE_EVENTS }, (_, i) =>
      textEvent(`Uoutage${i % 8}`, i % 2 ? 'help' : 'もっと'),
    );
    const deliverEvent = async (event: Record<string, unknown>) => {
      for (;;) {
        counts['webhook posts (with redeliveries)']++;
        const res = await postWebhook(running.url, webhookBody([event])).catch(() => undefined);
        if (res?.status === 200) {
          counts['events acknowledged']++;
          return;
        }
        if (res && res.status >= 500 && down) counts['webhook 5xx while down']++;
        event.deliveryContext = { isRedelivery: true };
        await sleep(500);
      }
    };

    // Web chat: each message is sent until acknowledged (the widget resends what was not acknowledged).
    const session = await createSession(running.url, { lang: 'en' });
    const chat: ChatClient = await connectChat(running.url, { token: session.token });
    const sendMessage = async (i: number) => {
      const id = `outage-${i}`;
      for (;;) {
        counts['message sends (with resends)']++;
        const ack = (await chat
          .request('user_message', { text: i % 2 ? 'help' : 'Thai food makers', clientMessageId: id }, 5000)
          .catch(() => ({ ok: false }))) as { ok: boolean };
        if (ack.ok) return;
        if (down) counts['chat errors while down']++;
        await sleep(500);
      }
    };

    const started = Date.now();
    const outage = (async () => {
      await sleep(3000);
      down = true;
      await wire.stop();
      const probe = setInterval(() => {
        void fetch(`${running.url}/health/ready`).then((r) => health.push(r.status));
      }, 1000);
      await sleep(OUTAGE_MS);
      clearInterval(probe);
      wire = await embedded.serveOverWire(port);
      down = false;
    })();
    const traffic: Array<Promise<void>> = [];
    for (let i = 0; i < Math.max(LINE_EVENTS, CHAT_MESSAGES); i++) {
      if (i < LINE_EVENTS) traffic.push(deliverEvent(events[i]));
      if (i < CHAT_MESSAGES) traffic.push(sendMessage(i));
      await sleep(350);
    }
    await outage;
    await Promise.all(traffic);
    expect((await fetch(`${running.url}/health`)).status).toBe(200);
    // Readiness said so while the database was away.
    expect(health).toContain(503);

    const pool = running.database.pool;
    await until(
      'LINE inbox and outbox drained',
      async () => {
        const { rows } = await pool.query<{ n: number }>(
          `SELECT ((SELECT count(*) FROM line_inbox WHERE status <> 'done')
                 + (SELECT count(*) FROM line_outbox WHERE status <> 'sent'))::int AS n`,
        );
        return rows[0].n === 0;
      },
      60_000,
    );
    const { rows: processed } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM line_inbox WHERE status = 'done'`,
    );
    counts['events processed'] = processed[0].n;
    const replied = fake
      .calls('reply')
      .filter((r) => r.status === 200)
      .map((r) => String(r.body.replyToken));
    const pushed = fake.delivered().filter((d) => d.via === 'push');
    counts['events duplicated'] =
      replied.length + pushed.length - new Set([...replied, ...pushed.map((p) => p.retryKey)]).size;
    const answered = new Set(replied);
    const unanswered = events.filter((e) => !answered.has(String(e.replyToken))).length - pushed.length;

    // Messages: replies received live, plus those stored while the socket missed them (resume).
    const resume = await connectChat(running.url, { token: session.token, lastSeenId: '0' });
    await sleep(500);
    const replies = [...chat.events, ...resume.events].filter(
      (e) => e.event === 'bot_message' && e.payload.replyTo,
    );
    const byMessage = new Map<string, Set<string>>();
    for (const r of replies) {
      const set = byMessage.get(r.payload.replyTo) ?? new Set<string>();
      set.add(String(r.payload.id));
      byMessage.set(r.payload.replyTo, set);
    }
    counts['messages delivered'] = byMessage.size;
    counts['messages lost'] = CHAT_MESSAGES - byMessage.size;
    counts['messages duplicated'] = [...byMessage.values()].filter((ids) => ids.size > 1).length;
    chat.close();
    resume.close();
    printCounts('database outage', { ...counts, seconds: Math.round((Date.now() - started) / 1000) });

    expect(counts['webhook 5xx while down']).toBeGreaterThan(0);
    expect(counts['events acknowledged']).toBe(LINE_EVENTS);
    expect(counts['events processed']).toBe(LINE_EVENTS);
    expect(counts['events duplicated']).toBe(0);
    expect(Math.max(0, unanswered)).toBe(0);
    expect(counts['messages lost']).toBe(0);
    expect(counts['messages duplicated']).toBe(0);
  });
});
