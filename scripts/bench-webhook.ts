import 'reflect-metadata';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { startApp } from '../src/bootstrap/start-app';
import { loadConfig } from '../src/config/app-config';
import { openEmbeddedDatabase } from '../src/database/embedded-postgres';
import type { Database } from '../src/database/open-database';
import { lineSignature } from '../src/line/line-signature';
import { MetricsService } from '../src/observability/metrics.service';
import { SearchIndexerService } from '../src/matching/indexing/search-indexer.service';
import { startFakeLineApi } from '../test/support/fake-line-api';
import { startFakeOpenAiServer } from '../test/support/fake-openai-server';
import { sharedPath } from '../test/support/shared-data';
import { parseArgs } from './cli-args';

/**
 * `npm run bench:webhook [-- --events 2000 --rate 200 --users 200 --llm-sleep-ms 30000 --llm-timeout-ms 1000]`
 *
 * LINE's side of a busy day while the model is stuck: signed webhook events arrive at a steady rate (one event
 * per request, open loop: a slow answer does not slow the sender; sent from a worker thread over kept-alive
 * node:http connections) while the local OpenAI-compatible server
 * sleeps 30 s on every call. The app runs as `npm start` does (embedded PGlite on disk, seed profiles) with a
 * short LLM timeout, so answers fall back to the rule-based path. Reported: acknowledgement latency
 * (p50/p90/p99/max), every event acknowledged, and, once the backlog drains, every event handled once and
 * every answer delivered once (fake LINE API), none failed.
 */
async function main() {
  const args = parseArgs();
  const events = Number(args.events ?? 2000);
  const rate = Number(args.rate ?? 200);
  const users = Number(args.users ?? 200);
  const llmSleepMs = Number(args['llm-sleep-ms'] ?? 30000);
  const llmTimeoutMs = String(args['llm-timeout-ms'] ?? 1000);
  const drainTimeoutMs = Number(args['drain-timeout-s'] ?? 900) * 1000;

  const llm = await startFakeOpenAiServer({ defaultDelayMs: llmSleepMs, recordBodies: false });
  const line = await startFakeLineApi({ recordBodies: false });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kakehashi-bench-webhook-'));
  const secret = 'bench-line-channel-secret';
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    LLM_BASE_URL: `${llm.url}/v1`,
    LLM_MODEL: 'fake-model',
    LLM_TIMEOUT_MS: llmTimeoutMs,
    LLM_MAX_RETRIES: '0',
    LINE_CHANNEL_SECRET: secret,
    LINE_CHANNEL_ACCESS_TOKEN: 'bench-line-access-token',
    LINE_API_BASE_URL: line.url,
    LINE_DATA_API_BASE_URL: line.url,
  });
  // --in-memory: the embedded database without a data directory (isolates the cost of PGlite's disk writes).
  const inMemory = args['in-memory'] === true;
  const running = await startApp(config, {
    seed: true,
    ...(inMemory ? { database: await inMemoryDatabase() } : {}),
  });
  const pool = running.database.pool;
  try {
    await running.app.get(SearchIndexerService).waitUntilIdle();
    // A running server is warm: let start-up work finish, and exercise the webhook path with LINE's
    // "Verify" requests (no events) before measuring.
    await new Promise((r) => setTimeout(r, 5000));
    for (let i = 0; i < 50; i++) {
      const verify = Buffer.from('{"destination":"Ubench","events":[]}');
      await fetch(`${running.url}/webhooks/line`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-line-signature': lineSignature(verify, secret) },
        body: new Uint8Array(verify),
      });
    }
    // LINE is another machine: the load runs on its own thread, so its clock and sockets are not slowed by
    // the app's work, and the latencies are what LINE would see.
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const load = await runLoad({ url: running.url, secret, events, rate, users, texts: messageStream() });
    const latencies = load.latencies;
    const statuses = new Map(load.statuses);
    const sendSeconds = (performance.now() - started) / 1000;
    const acked = statuses.get(200) ?? 0;
    const backlogAtEndOfSend = await openCounts(pool);
    const serverSide = await serverAckHistogram(running.app.get(MetricsService));
    // CPU of the whole process (app and load thread) while sending: what one acknowledgement costs here.
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMsPerEvent = (cpu.user + cpu.system) / 1000 / events;
    const sortedNow = [...latencies].sort((a, b) => a - b);
    process.stderr.write(
      `sent ${events} events in ${sendSeconds.toFixed(1)}s: ${acked} acknowledged, ack p50 ` +
        `${sortedNow[Math.floor(sortedNow.length / 2)].toFixed(1)} ms, p99 ` +
        `${sortedNow[Math.ceil(sortedNow.length * 0.99) - 1].toFixed(1)} ms; backlog ${JSON.stringify(backlogAtEndOfSend)}; draining…\n`,
    );

    // Drain: wait until nothing is left to do in the inbox and the outbox.
    const drainStarted = performance.now();
    for (;;) {
      const open = await openCounts(pool);
      if (open.inbox + open.outbox === 0) break;
      if (performance.now() - drainStarted > drainTimeoutMs)
        throw new Error(`backlog not drained: ${JSON.stringify(open)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const drainSeconds = (performance.now() - started) / 1000;
    const { rows: inbox } = await pool.query<{ status: string; n: string }>(
      'SELECT status, count(*)::text AS n FROM line_inbox GROUP BY status',
    );
    const { rows: outbox } = await pool.query<{ status: string; via: string | null; n: string }>(
      'SELECT status, sent_via AS via, count(*)::text AS n FROM line_outbox GROUP BY status, sent_via',
    );
    const delivered = line.delivered();
    const deliveredTokens = new Set(delivered.map((d) => d.retryKey ?? d.to));

    const sorted = [...latencies].sort((a, b) => a - b);
    const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
    const inboxByStatus = Object.fromEntries(inbox.map((r) => [r.status, Number(r.n)]));
    const outboxByStatus = Object.fromEntries(
      outbox.map((r) => [`${r.status}${r.via ? `:${r.via}` : ''}`, Number(r.n)]),
    );
    const handled = (inboxByStatus.done ?? 0) + (inboxByStatus.ignored ?? 0);
    const failed = (inboxByStatus.failed ?? 0) + (outboxByStatus.failed ?? 0);
    const report = {
      benchmark: 'webhook',
      events,
      targetRatePerSecond: rate,
      achievedRatePerSecond: Math.round((events - 1) / load.sendingSeconds),
      users,
      llmSleepMs,
      llmTimeoutMs: Number(llmTimeoutMs),
      acknowledged: acked,
      statuses: Object.fromEntries(statuses),
      ackMs: {
        p50: +pct(50).toFixed(1),
        p90: +pct(90).toFixed(1),
        p99: +pct(99).toFixed(1),
        max: +sorted[sorted.length - 1].toFixed(1),
      },
      // Measured inside the app (request in → response out), from the /metrics histogram.
      serverAck: serverSide,
      backlogWhenSendingEnded: backlogAtEndOfSend,
      processCpuMsPerEventWhileSending: +cpuMsPerEvent.toFixed(2),
      loadAverage: os.loadavg().map((l) => +l.toFixed(1)),
      cpus: os.cpus().length,
      drainedAfterSeconds: +drainSeconds.toFixed(1),
      inbox: inboxByStatus,
      outbox: outboxByStatus,
      llmCalls: llm.chatRequests().length,
      lineDeliveries: delivered.length,
      distinctDeliveries: deliveredTokens.size,
      database: inMemory ? 'embedded PGlite (in memory)' : 'embedded PGlite (on disk)',
    };
    const ok =
      acked === events &&
      handled === events &&
      failed === 0 &&
      delivered.length === events &&
      report.ackMs.p99 <= 50;
    process.stdout.write(`${JSON.stringify(report)}\n`);
    process.stdout.write(
      `webhook: ${acked}/${events} acknowledged at ${report.achievedRatePerSecond}/s; ack p50 ${report.ackMs.p50} ms, ` +
        `p99 ${report.ackMs.p99} ms, max ${report.ackMs.max} ms; backlog drained after ${report.drainedAfterSeconds}s; ` +
        `${handled} handled, ${delivered.length} delivered (${deliveredTokens.size} distinct), ${failed} failed: ` +
        `${ok ? 'PASS' : 'FAIL'}\n`,
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    await running.close();
    await line.close();
    await llm.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Share of webhook requests the app itself answered within 10, 25, 50 and 100 ms (its latency histogram). */
async function serverAckHistogram(metrics: MetricsService): Promise<Record<string, string>> {
  const { values } = await metrics.httpDuration.get();
  const mine = values.filter(
    (v) => String(v.labels.route).includes('webhooks/line') && String(v.labels.status) === '200',
  );
  const total = mine.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
  const within = (le: number) =>
    mine.find((v) => v.metricName?.endsWith('_bucket') && Number((v.labels as { le?: number }).le) === le)
      ?.value ?? 0;
  const share = (le: number) => (total ? `${((within(le) / total) * 100).toFixed(1)}%` : 'n/a');
  return {
    requests: String(total),
    '≤10ms': share(0.01),
    '≤25ms': share(0.025),
    '≤50ms': share(0.05),
    '≤100ms': share(0.1),
  };
}

async function inMemoryDatabase(): Promise<Database> {
  const embedded = await openEmbeddedDatabase();
  return { pool: embedded.pool, kind: 'embedded', close: () => embedded.close() };
}

async function openCounts(pool: import('pg').Pool): Promise<{ inbox: number; outbox: number }> {
  const { rows } = await pool.query<{ inbox: string; outbox: string }>(
    `SELECT (SELECT count(*) FROM line_inbox WHERE status IN ('pending', 'processing'))::text AS inbox,
            (SELECT count(*) FROM line_outbox WHERE status IN ('pending', 'sending'))::text AS outbox`,
  );
  return { inbox: Number(rows[0].inbox), outbox: Number(rows[0].outbox) };
}

/**
 * What users send: business requests in Japanese, Thai and English mixed with everyday sentences from the
 * TALPCo Japanese–Thai corpus (../shared/data/parallel) when it is present.
 */
function messageStream(): string[] {
  const requests = [
    'タイで自動車部品のメーカーを探しています',
    'タイの食品加工のOEM先を紹介してください',
    'หาผู้ผลิตเครื่องจักรญี่ปุ่น',
    'ต้องการตัวแทนจำหน่ายชิ้นส่วนอิเล็กทรอนิกส์จากญี่ปุ่น',
    'Looking for a Thai logistics partner near Laem Chabang',
    'もっと',
    'help',
  ];
  const corpus: string[] = [];
  for (const file of ['talpco-ja.txt', 'talpco-th.txt']) {
    const p = sharedPath('data', 'parallel', file);
    if (!fs.existsSync(p)) continue;
    for (const line of fs.readFileSync(p, 'utf8').split('\n')) {
      const text = line.split('\t')[1]?.replace(/ /g, '').trim();
      if (text) corpus.push(text);
    }
  }
  const out: string[] = [];
  for (let i = 0; i < Math.max(corpus.length, 50); i++) {
    out.push(i % 3 === 0 || corpus.length === 0 ? requests[i % requests.length] : corpus[i % corpus.length]);
  }
  return out;
}

interface LoadSpec {
  url: string;
  secret: string;
  events: number;
  rate: number;
  users: number;
  texts: string[];
}

interface LoadResult {
  latencies: number[];
  statuses: Array<[number, number]>;
  /** Seconds from the first request sent to the last one sent (the rate LINE's side kept). */
  sendingSeconds: number;
}

function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: spec });
    worker.once('message', (result: LoadResult) => resolve(result));
    worker.once('error', reject);
  });
}

/**
 * One POST over a kept-alive connection with node:http (lighter than fetch, so the load generator takes as
 * little CPU as possible from the app it measures). Resolves with the status (-1: network error) and the time
 * from sending to the end of the answer.
 */
function post(
  agent: http.Agent,
  target: URL,
  body: Buffer,
  signature: string,
): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      target,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          'x-line-signature': signature,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? -1, ms: performance.now() - t0 }));
      },
    );
    req.on('error', () => resolve({ status: -1, ms: performance.now() - t0 }));
    req.end(body);
  });
}

/** The load generator (worker thread): one signed event per request, sent on schedule (open loop). */
async function generateLoad(spec: LoadSpec): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL(`${spec.url}/webhooks/line`);
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const sends: Array<Promise<void>> = [];
  const started = performance.now();
  for (let i = 0; i < spec.events; i++) {
    const due = started + (i * 1000) / spec.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const body = Buffer.from(
      JSON.stringify({
        destination: 'Ubench000000000000000000000000000',
        events: [
          {
            type: 'message',
            mode: 'active',
            timestamp: Date.now(),
            webhookEventId: `01BENCH${String(i).padStart(8, '0')}`,
            deliveryContext: { isRedelivery: false },
            replyToken: `bench-reply-${i}`,
            source: { type: 'user', userId: `Ubench${String(i % spec.users).padStart(27, '0')}` },
            message: {
              id: `${700000000 + i}`,
              type: 'text',
              quoteToken: `q${i}`,
              text: spec.texts[i % spec.texts.length],
            },
          },
        ],
      }),
      'utf8',
    );
    sends.push(
      post(agent, target, body, lineSignature(body, spec.secret)).then(({ status, ms }) => {
        latencies.push(ms);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }),
    );
  }
  const sendingSeconds = (performance.now() - started) / 1000;
  await Promise.all(sends);
  agent.destroy();
  return { latencies, statuses: [...statuses], sendingSeconds };
}

if (!isMainThread) {
  void generateLoad(workerData as LoadSpec).then((result) => parentPort!.postMessage(result));
} else
  main().catch((err) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
