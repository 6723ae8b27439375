import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startApp } from '../src/bootstrap/start-app';
import { loadConfig } from '../src/config/app-config';
import { openEmbeddedDatabase } from '../src/database/embedded-postgres';
import { fakeTranslation, startFakeOpenAiServer } from '../test/support/fake-openai-server';
import { parseArgs } from './cli-args';
import { carrying, nextMessage } from './support/worker-messages';

/**
 * `npm run bench:llm` — drives translation requests through the real HTTP API (auth, glossary, cache, LLM layer,
 * LangChain, post-checks) against a local OpenAI-compatible server that takes a fixed time per call, and reports
 * throughput, the overhead the product adds on top of the model's own time (p50/p95/max), and the cache hit rate
 * when the same texts are sent again.
 *
 *   npm run bench:llm -- [--requests 200] [--concurrency 20] [--delay 500] [--warmup 20]
 *
 * The model server and the load generator run in worker threads, as they would run on other machines, so the
 * app's event loop is measured alone. A short warm-up (distinct texts, not counted) lets the JIT and connection
 * pools settle first.
 */

interface LoadJob {
  url: string;
  token: string;
  texts: string[];
  concurrency: number;
  /** Spread the workers' first requests over this many ms, as independent users would arrive. */
  rampMs: number;
}

interface LoadResult {
  latencies: number[];
  cached: number;
  flagged: number;
  failed: number;
  seconds: number;
}

const THAI_TERM = 'การเจรจาธุรกิจ';

async function modelServerThread(delayMs: number): Promise<void> {
  const fake = await startFakeOpenAiServer({ defaultDelayMs: delayMs, recordBodies: false });
  // Plausible Thai answers that keep the numbers and the glossary's Thai form, so the checks pass.
  fake.onChat((req) => {
    const reply = fakeTranslation(req);
    return { ...reply, content: `${reply.content ?? ''} ${THAI_TERM}` };
  });
  parentPort!.on('message', (msg: string) => {
    if (msg === 'count') parentPort!.postMessage({ calls: fake.chatRequests().length });
    if (msg === 'close') void fake.close().then(() => parentPort!.postMessage({ closed: true }));
  });
  parentPort!.postMessage({ url: fake.url });
}

async function loadThread(job: LoadJob): Promise<void> {
  const result: LoadResult = { latencies: [], cached: 0, flagged: 0, failed: 0, seconds: 0 };
  let next = 0;
  const started = performance.now();
  const worker = async (w: number) => {
    if (job.rampMs > 0) await new Promise((r) => setTimeout(r, (w * job.rampMs) / job.concurrency));
    while (next < job.texts.length) {
      const text = job.texts[next++];
      const t0 = performance.now();
      const res = await fetch(`${job.url}/api/translate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${job.token}` },
        body: JSON.stringify({ text, to: 'th' }),
      });
      const body = (await res.json()) as { cached?: boolean; flagged?: boolean };
      result.latencies.push(performance.now() - t0);
      if (res.status !== 200) result.failed++;
      if (body.cached) result.cached++;
      if (body.flagged) result.flagged++;
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, (_, w) => worker(w)));
  result.seconds = (performance.now() - started) / 1000;
  parentPort!.postMessage(result);
}

async function runLoad(job: LoadJob): Promise<LoadResult> {
  const worker = new Worker(__filename, { workerData: { role: 'load', job } });
  const result = await nextMessage<LoadResult>(worker);
  await worker.terminate();
  return result;
}

async function main(): Promise<void> {
  const args = parseArgs();
  const requests = Number(args.requests ?? 200);
  const concurrency = Number(args.concurrency ?? 20);
  const delayMs = Number(args.delay ?? 500);
  const warmup = Number(args.warmup ?? 20);

  const server = new Worker(__filename, { workerData: { role: 'model-server', delayMs } });
  const { url: modelUrl } = await nextMessage<{ url: string }>(server, carrying('url'));
  const calls = async () => {
    const reply = nextMessage<{ calls: number }>(server, carrying('calls'));
    server.postMessage('count');
    return (await reply).calls;
  };

  const token = 'bench-admin-token-0123456789abcdef';
  const config = loadConfig({
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    ADMIN_API_TOKEN: token,
    LLM_BASE_URL: `${modelUrl}/v1`,
    LLM_MODEL: 'bench-model',
    // The provider's limit must allow the offered load, as it would be set for a vLLM server.
    LLM_CONCURRENCY: String(concurrency),
    LLM_TIMEOUT_MS: String(delayMs * 10),
    LLM_AUTO_TRANSLATE_PROFILES: 'false',
  });
  const embedded = await openEmbeddedDatabase();
  const app = await startApp(config, {
    database: { pool: embedded.pool, kind: 'embedded', close: () => embedded.close() },
    seed: false,
  });
  // A small glossary, so every request goes through term matching and the glossary check.
  for (const term of [
    { ja: '商談', th: THAI_TERM, en: 'business negotiation' },
    { ja: '見積書', th: 'ใบเสนอราคา', en: 'quotation' },
  ]) {
    await fetch(`${app.url}/api/glossary`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(term),
    });
  }

  const sentence = (i: number) => `第${i}回の商談について、来週の打ち合わせ日程を調整させてください。`;
  const texts = Array.from({ length: requests }, (_, i) => sentence(i + 1));
  const job = { url: app.url, token, concurrency };

  if (warmup > 0) {
    await runLoad({
      ...job,
      texts: Array.from({ length: warmup }, (_, i) => sentence(100_000 + i)),
      rampMs: 0,
    });
  }
  const callsBefore = await calls();
  const first = await runLoad({ ...job, texts, rampMs: delayMs });
  const firstCalls = (await calls()) - callsBefore;
  const second = await runLoad({ ...job, texts, rampMs: 0 });
  const secondCalls = (await calls()) - callsBefore - firstCalls;

  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
  };
  const f = (n: number) => n.toFixed(1);
  const overhead = first.latencies.map((l) => l - delayMs);
  const p95 = pct(overhead, 95);
  const lines = [
    `bench:llm — ${requests} POST /api/translate (ja→th), concurrency ${concurrency}, model server ${delayMs} ms per call` +
      (warmup > 0 ? `, after ${warmup} warm-up requests` : ''),
    '',
    'first run (all new texts):',
    `  throughput           ${f(requests / first.seconds)} req/s (${f(first.seconds)} s; ceiling ${f((concurrency * 1000) / delayMs)} req/s at this concurrency and delay)`,
    `  LLM calls            ${firstCalls} (flagged ${first.flagged}, failed ${first.failed})`,
    `  latency p50/p95      ${f(pct(first.latencies, 50))} / ${f(pct(first.latencies, 95))} ms`,
    `  added overhead       p50 ${f(pct(overhead, 50))} ms, p95 ${f(p95)} ms, max ${f(Math.max(...overhead))} ms (target p95 <= 20 ms: ${p95 <= 20 ? 'met' : 'NOT met'})`,
    '',
    'repeated run (same texts):',
    `  cache hit rate       ${f((100 * second.cached) / requests)} % (${second.cached}/${requests}; LLM calls ${secondCalls})`,
    `  throughput           ${f(requests / second.seconds)} req/s`,
    `  latency p50/p95      ${f(pct(second.latencies, 50))} / ${f(pct(second.latencies, 95))} ms`,
  ];
  process.stdout.write(lines.join('\n') + '\n');

  await app.close();
  const closed = nextMessage(server, carrying('closed'));
  server.postMessage('close');
  await closed;
  await server.terminate();
}

const role = (workerData as { role?: string } | null)?.role;
const entry = isMainThread
  ? main()
  : role === 'model-server'
    ? modelServerThread((workerData as { delayMs: number }).delayMs)
    : loadThread((workerData as { job: LoadJob }).job);
entry.catch((err: unknown) => {
  process.stderr.write(`bench:llm failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
