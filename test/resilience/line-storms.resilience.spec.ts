import type { RunningApp } from '../../src/bootstrap/start-app';
import { type FakeLineApi, type FakeLineReply, startFakeLineApi } from '../support/fake-line-api';
import { lineEnv, lineQueuesSettled, postWebhook, textEvent, webhookBody } from '../support/line-test-app';
import { startTestApp } from '../support/test-app';
import { printCounts, until } from './support/counts';

/**
 * LINE's API in a storm: rate limits (429 with Retry-After), 5xx, dropped connections, and pushes accepted
 * whose answer is lost on the way back. Every answer still arrives exactly once (the push retry key makes a
 * resend a 409 "already accepted"), and the sender's backoff stays bounded (LINE_RETRY_MAX_DELAY_MS, or the
 * Retry-After LINE asked for).
 */
const EVENTS = 30;
const MAX_DELAY_MS = 1000;
const RETRY_AFTER_S = 1;

describe('resilience: LINE API 429 and 5xx storms', () => {
  let fake: FakeLineApi;
  let running: RunningApp;

  beforeAll(async () => {
    fake = await startFakeLineApi();
    running = await startTestApp(
      lineEnv(fake.url, {
        LOG_LEVEL: 'silent',
        LINE_RETRY_BASE_MS: '50',
        LINE_RETRY_MAX_DELAY_MS: String(MAX_DELAY_MS),
        LINE_OUTBOX_MAX_ATTEMPTS: '30',
        LINE_WORKER_POLL_MS: '100',
        LLM_AUTO_TRANSLATE_PROFILES: 'false',
      }),
    );
  });
  afterAll(async () => {
    await running?.close();
    await fake?.close();
  });

  it('delivers every answer once through the storm, with bounded backoff', async () => {
    const storm = (n: number): FakeLineReply[] =>
      Array.from(
        { length: n },
        (_, i) =>
          [
            { status: 429, headers: { 'retry-after': String(RETRY_AFTER_S) } },
            { status: 500 },
            { status: 503 },
            { status: 502 },
            { drop: true },
          ][i % 5],
      );
    // Replies fail for a while, so messages fall back to pushes; pushes storm too, some accepted with the
    // answer lost (the resend must not deliver twice).
    fake.enqueue('reply', ...storm(40));
    fake.enqueue(
      'push',
      ...storm(40).flatMap((r, i) => (i % 8 === 0 ? [r, { dropAfterAccepting: true }] : [r])),
    );
    const events = Array.from({ length: EVENTS }, (_, i) =>
      textEvent(`Ustorm${i % 6}`, i % 2 ? 'help' : 'もっと'),
    );
    for (const e of events) expect((await postWebhook(running.url, webhookBody([e]))).status).toBe(200);
    await until('the outbox drained through the storm', () => lineQueuesSettled(running.database), 90_000);

    const pool = running.database.pool;
    const { rows: outbox } = await pool.query<{
      id: string;
      reply_token: string | null;
      status: string;
      attempts: number;
    }>(`SELECT id, reply_token, status, attempts FROM line_outbox`);
    const calls = fake.requests.filter((r) => r.endpoint === 'reply' || r.endpoint === 'push');
    const deliveries = fake.delivered();
    // One outbox row is one message; it is delivered by its reply token or by a push with its id as retry key.
    const deliveredRows = new Map<string, number>();
    for (const d of deliveries) {
      const row = outbox.find((o) => (d.via === 'push' ? o.id === d.retryKey : o.reply_token === d.to));
      if (row) deliveredRows.set(row.id, (deliveredRows.get(row.id) ?? 0) + 1);
    }
    // Gaps between attempts of one message: never longer than the cap (or Retry-After), plus polling slack.
    const byRow = new Map<string, number[]>();
    for (const c of calls) {
      const key =
        c.endpoint === 'push'
          ? String(c.headers['x-line-retry-key'])
          : outbox.find((o) => o.reply_token === c.body?.replyToken)?.id;
      if (!key) continue;
      byRow.set(key, [...(byRow.get(key) ?? []), c.receivedAt]);
    }
    let maxGap = 0;
    for (const times of byRow.values())
      for (let i = 1; i < times.length; i++) maxGap = Math.max(maxGap, times[i] - times[i - 1]);
    const counts = {
      'events sent': EVENTS,
      'messages sent': outbox.length,
      'LINE API calls': calls.length,
      '429s': calls.filter((c) => c.status === 429).length,
      '5xx': calls.filter((c) => (c.status ?? 0) >= 500).length,
      'dropped connections': calls.filter((c) => c.status === 0).length,
      '409 already accepted': calls.filter((c) => c.status === 409).length,
      'messages delivered': deliveredRows.size,
      'messages lost': outbox.length - deliveredRows.size,
      'messages duplicated': [...deliveredRows.values()].filter((n) => n > 1).length,
      'max attempts for one message': Math.max(...outbox.map((o) => o.attempts)),
      'longest wait between attempts (ms)': maxGap,
    };
    printCounts('LINE API storm', counts);
    expect(outbox.every((o) => o.status === 'sent')).toBe(true);
    expect(counts['messages lost']).toBe(0);
    expect(counts['messages duplicated']).toBe(0);
    expect(counts['429s']).toBeGreaterThan(0);
    expect(counts['5xx']).toBeGreaterThan(0);
    expect(maxGap).toBeLessThan(Math.max(MAX_DELAY_MS, RETRY_AFTER_S * 1000) + 1500);
  });
});
