import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { startApp } from '../src/bootstrap/start-app';
import { loadConfig } from '../src/config/app-config';
import { openEmbeddedDatabase } from '../src/database/embedded-postgres';
import { fakeTranslation, startFakeOpenAiServer } from '../test/support/fake-openai-server';
import { parseArgs } from './cli-args';

/**
 * `npm run bench:llm` — drives translation requests through the real HTTP API (auth, glossary, cache, LLM layer,
 * LangChain, post-checks) against a local OpenAI-compatible server that takes a fixed time per call, and reports
 * throughput, the overhead the product adds on top of the model's own time (p50/p95/max), and the cache hit rate
 * when the same texts are sent again.
 *
 *   npm run bench:llm -- [--requests 200] [--concurrency 20] [--delay 500]
 */
async function main(): Promise<void> {
  const args = parseArgs();
  const requests = Number(args.requests ?? 200);
  const concurrency = Number(args.concurrency ?? 20);
  const delayMs = Number(args.delay ?? 500);

  const fake = await startFakeOpenAiServer({ defaultDelayMs: delayMs, recordBodies: false });
  fake.onChat(fakeTranslation);
  const token = 'bench-admin-token-0123456789abcdef';
  const config = loadConfig({
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    ADMIN_API_TOKEN: token,
    LLM_BASE_URL: `${fake.url}/v1`,
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
    { ja: '商談', th: 'การเจรจาธุรกิจ', en: 'business negotiation' },
    { ja: '見積書', th: 'ใบเสนอราคา', en: 'quotation' },
  ]) {
    await fetch(`${app.url}/api/glossary`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(term),
    });
  }
  fake.onChat((req) => {
    const reply = fakeTranslation(req);
    // Keep the glossary's Thai forms so the answers pass the checks (a real model is told to).
    return { ...reply, content: `${reply.content ?? ''} การเจรจาธุรกิจ` };
  });

  const texts = Array.from(
    { length: requests },
    (_, i) => `第${i + 1}回の商談について、来週の打ち合わせ日程を調整させてください。`,
  );

  const run = async (label: string, ramp: boolean) => {
    const latencies: number[] = [];
    let cached = 0;
    let flagged = 0;
    let failed = 0;
    let next = 0;
    const callsBefore = fake.chatRequests().length;
    const started = performance.now();
    const worker = async (w: number) => {
      // Workers start spread over one model delay, as independent users would, instead of in lock-step.
      if (ramp) await new Promise((r) => setTimeout(r, (w * delayMs) / concurrency));
      while (next < texts.length) {
        const text = texts[next++];
        const t0 = performance.now();
        const res = await fetch(`${app.url}/api/translate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ text, to: 'th' }),
        });
        const body = (await res.json()) as { cached?: boolean; flagged?: boolean };
        latencies.push(performance.now() - t0);
        if (res.status !== 200) failed++;
        if (body.cached) cached++;
        if (body.flagged) flagged++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
    const seconds = (performance.now() - started) / 1000;
    const calls = fake.chatRequests().length - callsBefore;
    return { label, latencies, cached, flagged, failed, calls, seconds };
  };

  const first = await run('first run (all new texts)', true);
  const second = await run('repeated run (same texts)', false);

  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
  };
  const f = (n: number) => n.toFixed(1);
  const overhead = first.latencies.map((l) => l - delayMs);
  const lines = [
    `bench:llm — ${requests} POST /api/translate (ja→th), concurrency ${concurrency}, model server ${delayMs} ms per call`,
    '',
    `${first.label}:`,
    `  throughput           ${f(requests / first.seconds)} req/s (${f(first.seconds)} s; ideal ${f((concurrency * 1000) / delayMs)} req/s)`,
    `  LLM calls            ${first.calls} (flagged ${first.flagged}, failed ${first.failed})`,
    `  latency p50/p95      ${f(pct(first.latencies, 50))} / ${f(pct(first.latencies, 95))} ms`,
    `  added overhead       p50 ${f(pct(overhead, 50))} ms, p95 ${f(pct(overhead, 95))} ms, max ${f(Math.max(...overhead))} ms (target p95 <= 20 ms: ${pct(overhead, 95) <= 20 ? 'met' : 'NOT met'})`,
    '',
    `${second.label}:`,
    `  cache hit rate       ${f((100 * second.cached) / requests)} % (${second.cached}/${requests}; LLM calls ${second.calls})`,
    `  throughput           ${f(requests / second.seconds)} req/s`,
    `  latency p50/p95      ${f(pct(second.latencies, 50))} / ${f(pct(second.latencies, 95))} ms`,
  ];
  process.stdout.write(lines.join('\n') + '\n');

  await app.close();
  await fake.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:llm failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
