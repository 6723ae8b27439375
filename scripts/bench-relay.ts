import 'reflect-metadata';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { io, type Socket } from 'socket.io-client';
import { startApp } from '../src/bootstrap/start-app';
import { loadConfig } from '../src/config/app-config';
import { ConversationService } from '../src/conversation/conversation.service';
import { openEmbeddedDatabase } from '../src/database/embedded-postgres';
import { withTransaction } from '../src/database/transaction';
import { lineSignature } from '../src/line/line-signature';
import { SearchIndexerService } from '../src/matching/indexing/search-indexer.service';
import { RelayService } from '../src/relay/relay.service';
import { issueVisitorToken } from '../src/web-chat/visitor-token';
import { startFakeLineApi } from '../test/support/fake-line-api';
import { allMessageText, startFakeOpenAiServer } from '../test/support/fake-openai-server';
import { parseArgs } from './cli-args';
import { carrying, nextMessage } from './support/worker-messages';

/**
 * `npm run bench:relay` — deal rooms under load. N rooms with two members each (half the rooms LINE ↔ widget,
 * half widget ↔ widget; Japanese on side A, Thai on side B) exchange messages at R messages per second in total
 * for S seconds, every message crossing Japanese ↔ Thai through a local model server that takes D ms per call.
 * Each message goes the whole way: LINE webhook (signed) → inbox → engine → relay queue, or socket.io → engine →
 * relay queue; the relay worker translates it (one model call) and delivers it in room order through the LINE
 * outbox (pushes to a local fake LINE API) or to the reader's socket.
 *
 *   npm run bench:relay -- [--rooms 50] [--rate 10] [--seconds 60] [--delay 800] [--warmup 20]
 *
 * Reported: the delay each message's reader saw beyond the model's own time (arrival − send − D), p50/p95/p99/max
 * (target p95 ≤ 100 ms), and loss and duplicates (target: none). The model server runs in a worker thread, the
 * load (sockets, webhooks, the fake LINE API) in another, as they would run on other machines; times are compared
 * on one clock.
 */
const P95_TARGET_MS = 100;
const LINE_SECRET = 'bench-line-channel-secret';
const WEB_SECRET = 'bench-web-chat-secret-0123456789abcdef';

interface Member {
  channel: 'line' | 'web';
  address: string;
  token?: string;
}
interface RoomPlan {
  a: Member;
  b: Member;
}
interface LoadJob {
  url: string;
  rooms: RoomPlan[];
  rate: number;
  seconds: number;
  warmup: number;
  delayMs: number;
}
interface LoadResult {
  sent: number;
  delays: number[];
  lost: number;
  duplicates: number;
  lineDelays: number[];
  webDelays: number[];
  seconds: number;
}

// One clock for the load thread and the fake LINE API's record (which stamps with Date.now()).
const now = () => Date.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function modelServerThread(delayMs: number): Promise<void> {
  const fake = await startFakeOpenAiServer({ defaultDelayMs: delayMs, recordBodies: false });
  // A translation in the target language that keeps the message's number (the load identifies messages by it).
  fake.onChat((req) => {
    const text = allMessageText(req);
    const target = /into (Thai|Japanese|English)/.exec(text)?.[1];
    const source = /<data name="text">\n([\s\S]*?)\n<\/data>/.exec(text)?.[1] ?? '';
    const numbers = source.normalize('NFKC').match(/\d+/g) ?? [];
    const word = target === 'Thai' ? 'ข้อความแปล' : target === 'Japanese' ? '訳文' : 'translation';
    return { content: [word, ...numbers].join(' ') };
  });
  parentPort!.on('message', (msg: string) => {
    if (msg === 'count') parentPort!.postMessage({ calls: fake.chatRequests().length });
    if (msg === 'close') void fake.close().then(() => parentPort!.postMessage({ closed: true }));
  });
  parentPort!.postMessage({ url: fake.url });
}

/** The other machines: members' sockets, LINE's webhook calls, and the LINE API receiving pushes. */
async function loadThread(): Promise<void> {
  const line = await startFakeLineApi({ recordBodies: true });
  parentPort!.postMessage({ lineUrl: line.url });
  const job = await new Promise<LoadJob>((resolve) =>
    parentPort!.once('message', (m) => resolve(m as LoadJob)),
  );

  // Arrivals: message number → reader → times it arrived.
  const arrivals = new Map<number, Map<string, number[]>>();
  const arrived = (n: number, reader: string) => {
    const byReader = arrivals.get(n) ?? new Map<string, number[]>();
    byReader.set(reader, [...(byReader.get(reader) ?? []), now()]);
    arrivals.set(n, byReader);
  };
  const numberIn = (text: string) => Number(/(\d+)/.exec(text)?.[1] ?? NaN);

  const sockets = new Map<string, Socket>();
  for (const room of job.rooms) {
    for (const m of [room.a, room.b]) {
      if (m.channel !== 'web') continue;
      const s = io(`${job.url}/chat`, {
        auth: { token: m.token },
        transports: ['websocket'],
        reconnection: false,
      });
      s.on('room_message', (p: { kind: string; original?: { text: string }; text: string }) => {
        if (p.kind !== 'text') return;
        arrived(numberIn(p.original?.text ?? p.text), m.address);
      });
      await new Promise<void>((resolve, reject) => {
        s.once('connect', () => resolve());
        s.once('connect_error', reject);
      });
      sockets.set(m.address, s);
    }
  }
  // LINE pushes arrive at the fake LINE API: poll its record (the deliveries carry their own arrival time).
  let seenDeliveries = 0;
  const lineArrivals = () => {
    const all = line.delivered();
    for (const d of all.slice(seenDeliveries)) {
      for (const m of d.messages as Array<{ type: string; text?: string }>) {
        if (m.type !== 'text' || !m.text?.startsWith('【')) continue;
        const byReader = arrivals.get(numberIn(m.text.split('\n')[1] ?? '')) ?? new Map<string, number[]>();
        byReader.set(d.to, [...(byReader.get(d.to) ?? []), d.at]);
        arrivals.set(numberIn(m.text.split('\n')[1] ?? ''), byReader);
      }
    }
    seenDeliveries = all.length;
  };

  let sequence = 0;
  const send = async (n: number, from: Member, lang: 'ja' | 'th') => {
    const text = lang === 'ja' ? `第${n}便の件、ご確認をお願いします。` : `เรื่องการส่งสินค้าครั้งที่ ${n} ครับ`;
    if (from.channel === 'web') {
      sockets.get(from.address)!.emit('user_message', { text, clientMessageId: `m-${n}` });
    } else {
      sequence++;
      const body = JSON.stringify({
        destination: 'Ubench',
        events: [
          {
            type: 'message',
            mode: 'active',
            timestamp: Date.now(),
            webhookEventId: `01BENCH${n}x${sequence}`,
            deliveryContext: { isRedelivery: false },
            replyToken: `bench-${n}-${sequence}`,
            source: { type: 'user', userId: from.address },
            message: { id: `${5_000_000 + n}`, type: 'text', quoteToken: `q${n}`, text },
          },
        ],
      });
      await fetch(`${job.url}/webhooks/line`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-line-signature': lineSignature(body, LINE_SECRET) },
        body,
      });
    }
  };

  const plan: Array<{ n: number; from: Member; to: Member; lang: 'ja' | 'th'; measured: boolean }> = [];
  const total = job.warmup + job.rate * job.seconds;
  for (let i = 0; i < total; i++) {
    const room = job.rooms[i % job.rooms.length];
    const fromA = Math.floor(i / job.rooms.length) % 2 === 0;
    plan.push({
      n: i + 1,
      from: fromA ? room.a : room.b,
      to: fromA ? room.b : room.a,
      lang: fromA ? 'ja' : 'th',
      measured: i >= job.warmup,
    });
  }
  const sentAt = new Map<number, number>();
  const started = now();
  const interval = 1000 / job.rate;
  for (const [i, p] of plan.entries()) {
    const due = started + i * interval;
    const wait = due - now();
    if (wait > 0) await sleep(wait);
    sentAt.set(p.n, now());
    void send(p.n, p.from, p.lang);
    if (i % 10 === 0) lineArrivals();
  }
  const deadline = now() + job.delayMs * 4 + 15_000;
  const complete = () => plan.every((p) => (arrivals.get(p.n)?.get(p.to.address)?.length ?? 0) > 0);
  while (!complete() && now() < deadline) {
    lineArrivals();
    await sleep(50);
  }
  // A moment more, so that a duplicate would have time to show up.
  await sleep(1000);
  lineArrivals();

  const result: LoadResult = {
    sent: 0,
    delays: [],
    lineDelays: [],
    webDelays: [],
    lost: 0,
    duplicates: 0,
    seconds: 0,
  };
  for (const p of plan) {
    if (!p.measured) continue;
    result.sent++;
    const times = arrivals.get(p.n)?.get(p.to.address) ?? [];
    if (times.length === 0) {
      result.lost++;
      continue;
    }
    if (times.length > 1) result.duplicates += times.length - 1;
    const delay = times[0] - sentAt.get(p.n)! - job.delayMs;
    result.delays.push(delay);
    (p.to.channel === 'line' ? result.lineDelays : result.webDelays).push(delay);
  }
  // Anything that reached someone it was not for would be a duplicate of a kind too.
  for (const [n, byReader] of arrivals) {
    const p = plan[n - 1];
    if (!p) continue;
    for (const reader of byReader.keys()) if (reader !== p.to.address) result.duplicates++;
  }
  result.seconds = (now() - started) / 1000;
  for (const s of sockets.values()) s.disconnect();
  await line.close();
  parentPort!.postMessage(result);
}

async function main(): Promise<void> {
  const args = parseArgs();
  const roomCount = Number(args.rooms ?? 50);
  const rate = Number(args.rate ?? 10);
  const seconds = Number(args.seconds ?? 60);
  const delayMs = Number(args.delay ?? 800);
  const warmup = Number(args.warmup ?? 20);

  const model = new Worker(__filename, { workerData: { role: 'model-server', delayMs } });
  const { url: modelUrl } = await nextMessage<{ url: string }>(model, carrying('url'));
  const load = new Worker(__filename, { workerData: { role: 'load' } });
  const { lineUrl } = await nextMessage<{ lineUrl: string }>(load, carrying('lineUrl'));

  const config = loadConfig({
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    PUBLIC_BASE_URL: 'https://kakehashi.bench',
    LLM_BASE_URL: `${modelUrl}/v1`,
    LLM_MODEL: 'bench-model',
    // The model server's capacity, as it would be configured for a vLLM server (about rate × delay in flight).
    LLM_CONCURRENCY: String(Math.max(16, Math.ceil((rate * delayMs) / 1000) * 3)),
    LLM_TIMEOUT_MS: String(delayMs * 10),
    LLM_AUTO_TRANSLATE_PROFILES: 'false',
    LINE_CHANNEL_SECRET: LINE_SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: 'bench-line-token',
    LINE_API_BASE_URL: lineUrl,
    LINE_DATA_API_BASE_URL: lineUrl,
    WEB_CHAT_SECRET: WEB_SECRET,
    WEB_CHAT_RATE_BURST: '100',
    WEB_CHAT_RATE_PER_MINUTE: '6000',
  });
  const embedded = await openEmbeddedDatabase();
  const app = await startApp(config, {
    database: { pool: embedded.pool, kind: 'embedded', close: () => embedded.close() },
    seed: true,
  });
  await app.app.get(SearchIndexerService).waitUntilIdle();

  // The rooms, opened directly (the introduction flow has its own tests): members exist as chat users.
  const conversation = app.app.get(ConversationService);
  const relay = app.app.get(RelayService);
  const rooms: RoomPlan[] = [];
  for (let i = 0; i < roomCount; i++) {
    const viaLine = i % 2 === 0;
    const a: Member = viaLine
      ? { channel: 'line', address: `Ubench${String(i).padStart(27, '0')}` }
      : { channel: 'web', address: `w-bench-a-${i}` };
    const b: Member = { channel: 'web', address: `w-bench-b-${i}` };
    for (const [m, lang] of [
      [a, 'ja'],
      [b, 'th'],
    ] as const) {
      if (m.channel === 'web') m.token = issueVisitorToken(WEB_SECRET, { vid: m.address, lang }, 3600).token;
    }
    const userA = await conversation.ensureUser(a.channel, a.address, 'ja');
    const userB = await conversation.ensureUser(b.channel, b.address, 'th');
    const roomId = await withTransaction(embedded.pool, (tx) =>
      relay.openRoom(tx, {
        aCompany: `seed:jp-${String((i % 30) + 1).padStart(3, '0')}`,
        bCompany: `seed:th-${String((i % 30) + 1).padStart(3, '0')}`,
        members: [
          { side: 'a', chatUserId: userA.id, channel: a.channel, address: a.address, lang: 'ja' },
          { side: 'b', chatUserId: userB.id, channel: b.channel, address: b.address, lang: 'th' },
        ],
      }),
    );
    relay.kick(roomId);
    rooms.push({ a, b });
  }
  await sleep(1000);

  const calls = async () => {
    const reply = nextMessage<{ calls: number }>(model, carrying('calls'));
    model.postMessage('count');
    return (await reply).calls;
  };
  const callsBefore = await calls();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  load.postMessage({ url: app.url, rooms, rate, seconds, warmup, delayMs } satisfies LoadJob);
  const result = await nextMessage<LoadResult>(load, carrying('delays'));
  loopDelay.disable();
  const modelCalls = (await calls()) - callsBefore;
  // Where the time went, per stage, from the relay's own timestamps (text messages only).
  const { rows: stages } = await embedded.pool.query<{ queued: number; delivered: number }>(
    `SELECT extract(epoch FROM ready_at - created_at) * 1000 - $1 AS queued,
            extract(epoch FROM delivered_at - ready_at) * 1000 AS delivered
     FROM relay_messages WHERE kind = 'text' AND delivered_at IS NOT NULL`,
    [delayMs],
  );

  const pct = (xs: number[], p: number) => {
    if (xs.length === 0) return NaN;
    const s = [...xs].sort((x, y) => x - y);
    return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
  };
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
  const p95 = pct(result.delays, 95);
  const met = p95 <= P95_TARGET_MS && result.lost === 0 && result.duplicates === 0;
  const lines = [
    `bench:relay — ${roomCount} rooms × 2 members (${Math.ceil(roomCount / 2)} LINE↔widget, ${Math.floor(roomCount / 2)} widget↔widget), ` +
      `${rate} msg/s for ${seconds} s (+${warmup} warm-up), ja↔th, model server ${delayMs} ms per call`,
    '',
    `  messages measured    ${result.sent} (model calls ${modelCalls}, incl. warm-up)`,
    `  added delay          p50 ${f(pct(result.delays, 50))} ms, p95 ${f(p95)} ms, p99 ${f(pct(result.delays, 99))} ms, max ${f(Math.max(...result.delays))} ms  (beyond the model's ${delayMs} ms)`,
    `    to LINE readers    p50 ${f(pct(result.lineDelays, 50))} ms, p95 ${f(pct(result.lineDelays, 95))} ms (${result.lineDelays.length} messages)`,
    `    to widget readers  p50 ${f(pct(result.webDelays, 50))} ms, p95 ${f(pct(result.webDelays, 95))} ms (${result.webDelays.length} messages)`,
    `  stages (p50/p95)     claim+translate beyond the model ${f(
      pct(
        stages.map((x) => Number(x.queued)),
        50,
      ),
    )} / ${f(
      pct(
        stages.map((x) => Number(x.queued)),
        95,
      ),
    )} ms, ` +
      `ready→delivered ${f(
        pct(
          stages.map((x) => Number(x.delivered)),
          50,
        ),
      )} / ${f(
        pct(
          stages.map((x) => Number(x.delivered)),
          95,
        ),
      )} ms`,
    `  server event loop    delay p50 ${f(loopDelay.percentile(50) / 1e6)} ms, p99 ${f(loopDelay.percentile(99) / 1e6)} ms, max ${f(loopDelay.max / 1e6)} ms`,
    `  lost                 ${result.lost}`,
    `  duplicates           ${result.duplicates}`,
    `  target (p95 ≤ ${P95_TARGET_MS} ms, no loss, no duplicates): ${met ? 'met' : 'NOT met'}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');

  await app.close();
  const closed = nextMessage(model, carrying('closed'));
  model.postMessage('close');
  await closed;
  await model.terminate();
  await load.terminate();
  process.exitCode = met ? 0 : 1;
}

const role = (workerData as { role?: string } | null)?.role;
const entry = isMainThread
  ? main()
  : role === 'model-server'
    ? modelServerThread((workerData as { delayMs: number }).delayMs)
    : loadThread();
entry.catch((err: unknown) => {
  process.stderr.write(`bench:relay failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
