import type { RunningApp } from '../../src/bootstrap/start-app';
import { LlmCallRepository } from '../../src/llm/llm-call.repository';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import {
  type FakeOpenAiServer,
  type FakeReply,
  type RecordedRequest,
  startFakeOpenAiServer,
} from '../support/fake-openai-server';
import { openWebRoom, relayEnv, relayModel, roomTexts, widgetUser } from '../support/relay-kit';
import { adminAuth, startTestApp } from '../support/test-app';
import { type ChatClient, connectChat, createSession } from '../support/web-chat-client';
import { printCounts, sleep, until } from './support/counts';

/**
 * The model endpoint down (5xx, dropped connections), slow (past LLM_TIMEOUT_MS) or answering garbage: the
 * circuit opens, chat users still get a reply in their own language from the rule-based path within a bounded
 * time (garbage is caught by the output check and never shown, not even streamed), and the deal-room relay
 * (RELAY_WITHOUT_LLM=wait) holds messages and delivers them translated, once and in order, when the model is back
 * (a garbage translation is held the same way, then relayed as the original with a note).
 */
type Mode = 'up' | 'down' | 'slow' | 'garbage';
const SCRIPT: Record<'ja' | 'th' | 'en', RegExp> = {
  ja: /[ぁ-んァ-ン]/,
  th: /[\u0e00-\u0e7f]/,
  en: /^[^\u0e00-\u0e7f\u3040-\u30ff]*$/,
};
/** What the fake model's garbage looks like once it reaches a user. */
const GARBAGE = /im_end|\}\}|\{\{|\]\]/;
const REQUESTS: Record<'ja' | 'th' | 'en', string> = {
  ja: 'タイの自動車部品メーカーを探しています',
  th: 'หาผู้ผลิตเครื่องจักรญี่ปุ่น',
  en: 'Looking for Thai food manufacturers',
};

describe('resilience: the LLM endpoint down, slow or returning garbage', () => {
  let llm: FakeOpenAiServer;
  let running: RunningApp;
  let mode: Mode = 'up';

  beforeAll(async () => {
    llm = await startFakeOpenAiServer();
    let n = 0;
    llm.onChat((req: RecordedRequest): FakeReply => {
      n++;
      switch (mode) {
        case 'down':
          return n % 2 ? { status: 503 } : { drop: true };
        case 'slow':
          return { ...relayModel(req), delayMs: 2500 };
        case 'garbage':
          return n % 2
            ? { raw: '{"choices": [{"message": {"content": ' }
            : { content: '\u0000<|im_end|>}}{{ ]]' };
        default:
          return relayModel(req);
      }
    });
    running = await startTestApp(
      relayEnv(llm.url, {
        LOG_LEVEL: 'silent',
        RELAY_WITHOUT_LLM: 'wait',
        LLM_TIMEOUT_MS: '1000',
        LLM_CIRCUIT_FAILURE_THRESHOLD: '3',
        LLM_CIRCUIT_COOLDOWN_MS: '500',
      }),
      { seed: true },
    );
    await running.app.get(SearchIndexerService).waitUntilIdle();
  });
  afterAll(async () => {
    await running?.close();
    await llm?.close();
  });

  it('keeps answering chat users in their language, and the relay catches up when the model is back', async () => {
    // Printed even when nothing happened: a 0 here is the finding.
    const counts: Record<string, number> = {
      'garbage replies reaching users': 0,
      'model text streamed during garbage': 0,
    };
    const add = (k: string, n = 1) => (counts[k] = (counts[k] ?? 0) + n);
    let circuitOpened = 0;
    const users: Array<{ lang: 'ja' | 'th' | 'en'; client: ChatClient }> = [];
    for (const lang of ['ja', 'th', 'en'] as const) {
      const { token } = await createSession(running.url, { lang });
      users.push({ lang, client: await connectChat(running.url, { token }) });
    }
    // A deal room opened while the model is up (the introduction draft is written by it).
    const jp = (await widgetUser(running.url, 'seed:jp-001', 'tanaka', 'ja')).client;
    const th = (await widgetUser(running.url, 'seed:th-001', 'wichai', 'th')).client;
    await jp.request('user_message', { text: 'こんにちは', clientMessageId: 'jp-hello' });
    await th.request('user_message', { text: 'สวัสดีค่ะ', clientMessageId: 'th-hello' });
    await openWebRoom(jp, th, 'seed:th-001');

    let relaySent = 0;
    let maxReplyMs = 0;
    let heldWhileDown = 0;
    let caughtUp: string[] = [];
    for (const m of ['down', 'slow', 'garbage'] as const) {
      if (m === 'garbage') {
        // Down and slow: nothing could be translated, so the relay held everything. The model comes back:
        // the held messages go out translated, once, in order.
        heldWhileDown = roomTexts(th).length;
        mode = 'up';
        await until('the relay caught up', () => roomTexts(th).length >= relaySent, 30_000);
        await sleep(300);
        caughtUp = roomTexts(th).map((x: { text: string }) => x.text);
      }
      mode = m;
      for (let round = 0; round < 2; round++) {
        for (const u of users) {
          const id = `${m}-${round}-${u.lang}`;
          const started = Date.now();
          add('chat messages sent');
          const ack = (await u.client.request(
            'user_message',
            { text: REQUESTS[u.lang], clientMessageId: id },
            30_000,
          )) as {
            ok: boolean;
          };
          const reply = u.client.events.find(
            (e) => e.event === 'bot_message' && e.payload.replyTo === id,
          )?.payload;
          maxReplyMs = Math.max(maxReplyMs, Date.now() - started);
          if (!ack.ok || !reply) {
            add('chat messages without reply');
            continue;
          }
          add('chat replies');
          if (m === 'garbage') {
            // Every model answer is garbage now: the output check must keep all of it from the user, streamed or
            // final, and the rule-based reply answers instead.
            const streamed = u.client.events
              .filter((e) => e.event === 'bot_delta' && e.payload.replyTo === id)
              .map((e) => e.payload.text as string)
              .join('');
            if (reply.generated || GARBAGE.test(reply.text) || GARBAGE.test(streamed))
              add('garbage replies reaching users');
            if (streamed) add('model text streamed during garbage');
          }
          if (!reply.generated) add('fallback replies (rule-based)');
          if (!SCRIPT[u.lang].test(reply.text)) add('replies in the wrong language');
        }
        const ready = (await (await fetch(`${running.url}/health/ready`, { headers: adminAuth })).json()) as {
          checks: Record<string, { status: string; detail?: string }>;
        };
        if (/open|half-open/.test(ready.checks.llm?.detail ?? '')) {
          circuitOpened++;
          if (m === 'garbage') add('readiness saw the circuit open during garbage');
        }
      }
      // The relay holds what it cannot translate.
      relaySent++;
      const ack = await jp.request('user_message', {
        text: `第${relaySent}便の件です。`,
        clientMessageId: `relay-${m}`,
      });
      expect(ack.ok).toBe(true);
    }
    // The message sent while the model answered garbage, once the model is back.
    await sleep(1000);
    mode = 'up';
    await until('the last relay message', () => roomTexts(th).length >= relaySent, 30_000);
    await sleep(500);
    const got = roomTexts(th).map((x: { text: string }) => x.text);
    const deliveries = th.events.filter(
      (e) => e.event === 'room_message' && e.payload.kind !== 'notice',
    ).length;
    await running.app.get(LlmCallRepository).flush();
    const rejected = await running.database.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM llm_calls WHERE outcome = 'invalid_output' AND error_kind LIKE 'rejected_output:%'`,
    );
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    const llmErrors = [...metrics.matchAll(/^kakehashi_llm_errors_total\{[^}]*\} (\d+)/gm)].reduce(
      (s, x) => s + Number(x[1]),
      0,
    );
    for (const u of users) u.client.close();
    jp.close();
    th.close();
    Object.assign(counts, {
      'longest wait for a reply (ms)': maxReplyMs,
      'readiness saw the circuit open': circuitOpened,
      'LLM errors counted': llmErrors,
      'model replies rejected by the output check': Number(rejected.rows[0].n),
      'relay messages sent': relaySent,
      'relay delivered while down': heldWhileDown,
      'relay delivered after the model was back': caughtUp.length,
      'relay delivered in all': got.length,
      'relay lost': relaySent - got.length,
      'relay duplicated': deliveries - got.length,
      'relay garbage passed as a translation': roomTexts(th).filter(
        (x: { text: string; note?: string }) =>
          GARBAGE.test(x.text) || (!/[\u0e00-\u0e7f]/.test(x.text) && !x.note),
      ).length,
      'relay originals with the unavailable note': roomTexts(th).filter((x: { note?: string }) => x.note)
        .length,
    });
    printCounts('LLM down/slow/garbage', counts);
    expect(counts['chat messages without reply'] ?? 0).toBe(0);
    expect(counts['replies in the wrong language'] ?? 0).toBe(0);
    // Down, slow and garbage: every reply is the rule-based one, in the user's language; no garbage reached a
    // user, not even streamed.
    expect(counts['fallback replies (rule-based)']).toBe(counts['chat messages sent']);
    expect(counts['garbage replies reaching users'] ?? 0).toBe(0);
    expect(counts['model text streamed during garbage'] ?? 0).toBe(0);
    expect(counts['model replies rejected by the output check']).toBeGreaterThan(0);
    expect(circuitOpened).toBeGreaterThan(0);
    expect(maxReplyMs).toBeLessThan(10_000);
    expect(heldWhileDown).toBe(0);
    expect(caughtUp).toEqual(['คำแปลภาษาไทย 1', 'คำแปลภาษาไทย 2']);
    // The one sent during garbage arrives once too: translated once the model is back, or (after the bounded
    // retries) as the original with the note, never as a garbage "translation".
    expect(got).toHaveLength(3);
    expect(got.slice(0, 2)).toEqual(caughtUp);
    expect(['คำแปลภาษาไทย 3', '第3便の件です。']).toContain(got[2]);
    expect(counts['relay garbage passed as a translation']).toBe(0);
  });
});
