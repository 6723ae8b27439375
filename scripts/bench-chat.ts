import 'reflect-metadata';
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { startApp } from '../src/bootstrap/start-app';
import { loadConfig } from '../src/config/app-config';
import { SearchIndexerService } from '../src/matching/indexing/search-indexer.service';
import { parseArgs } from './cli-args';
import { scratchDatabase } from './support/scratch-database';

/**
 * `npm run bench:chat [-- --clients 500 --messages 4 --think-ms 10000]`: boots the app on a fresh on-disk embedded
 * database with the seed profiles and no language model (the rule-based path), connects N socket.io clients at
 * once, and has each send M messages (partner searches in ja/th/en, "more", details, help) with a random think
 * time between them (uniform 0..think-ms). Reports the offered message rate and the time from `user_message` to
 * its `bot_message`: p50/p95/p99/max. Target: p99 ≤ 100 ms.
 *
 * The default pacing, a message every 5 s on average per client (500 clients: about 100 messages a second), is a
 * fast human: reading five company cards and typing a reply takes longer. `--think-ms 4000` (about 250 a
 * second) is a stress run past what one instance on the embedded database answers within 100 ms (its turns cost
 * about 4 ms each on this 2-core machine; docs/scaling.md has both figures).
 *
 * `--database-url postgres://… [--instances 2]`: on a PostgreSQL server (a scratch database, dropped after), with
 * each instance a process of its own and the clients spread over them.
 */
const P99_TARGET_MS = 100;

const CONVERSATIONS: Array<{ lang: 'ja' | 'th' | 'en'; texts: string[] }> = [
  { lang: 'ja', texts: ['タイで自動車部品のメーカーを探しています', 'もっと', 'OEMだけ', 'ヘルプ'] },
  { lang: 'ja', texts: ['タイの食品OEMメーカーを探しています', '2番の詳細', 'もっと', 'バンコク周辺'] },
  { lang: 'th', texts: ['หาผู้ผลิตเครื่องจักรญี่ปุ่น', 'เพิ่มเติม', 'รายละเอียดบริษัทที่ 1', 'วิธีใช้'] },
  { lang: 'th', texts: ['หาพันธมิตรญี่ปุ่นด้านโลจิสติกส์', 'เฉพาะร่วมทุน', 'เพิ่มเติม', 'ช่วยเหลือ'] },
  { lang: 'en', texts: ['Thai distributor for Japanese cosmetics', 'more', 'details of 1', 'help'] },
  { lang: 'en', texts: ['Japanese food machinery maker', 'only OEM', 'more', 'help'] },
];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ClientResult {
  connectedInMs: number;
  answered: number;
  unanswered: number;
  throughputPerSecond: number;
  latencies: number[];
}

/** The load: N socket.io clients, in a process of their own so they do not compete with the server's event loop. */
async function runClients(
  urls: string[],
  clients: number,
  messages: number,
  thinkMs: number,
): Promise<ClientResult> {
  const sockets: Socket[] = [];
  try {
    const connectStart = performance.now();
    const sessions = await Promise.all(
      Array.from({ length: clients }, async (_, i) => {
        const lang = CONVERSATIONS[i % CONVERSATIONS.length].lang;
        const res = await fetch(`${urls[i % urls.length]}/api/chat/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ lang }),
        });
        return ((await res.json()) as { token: string }).token;
      }),
    );
    await Promise.all(
      sessions.map(
        (token, i) =>
          new Promise<void>((resolve, reject) => {
            // Clients spread over the instances, as a load balancer spreads them.
            const s = io(`${urls[i % urls.length]}/chat`, {
              auth: { token },
              transports: ['websocket'],
              reconnection: false,
            });
            sockets.push(s);
            s.once('connect', () => resolve());
            s.once('connect_error', reject);
          }),
      ),
    );
    const connectedInMs = performance.now() - connectStart;
    const latencies: number[] = [];
    let unanswered = 0;
    const runStart = performance.now();
    await Promise.all(
      sockets.map(async (s, i) => {
        const script = CONVERSATIONS[i % CONVERSATIONS.length].texts;
        const pending = new Map<string, (at: number) => void>();
        s.on('bot_message', (m: { replyTo?: string }) => {
          if (m.replyTo) pending.get(m.replyTo)?.(performance.now());
        });
        for (let k = 0; k < messages; k++) {
          await sleep(Math.random() * thinkMs);
          const clientMessageId = `b${i}-${k}`;
          const sent = performance.now();
          const answered = new Promise<number>((resolve) => pending.set(clientMessageId, resolve));
          s.emit('user_message', { text: script[k % script.length], clientMessageId });
          const at = await Promise.race([answered, sleep(30_000).then(() => -1)]);
          if (at < 0) unanswered++;
          else latencies.push(at - sent);
        }
      }),
    );
    const runMs = performance.now() - runStart;
    return {
      connectedInMs,
      answered: latencies.length,
      unanswered,
      throughputPerSecond: (latencies.length / runMs) * 1000,
      latencies,
    };
  } finally {
    for (const s of sockets) s.disconnect();
  }
}

async function main() {
  const args = parseArgs();
  const clients = Number(args.clients ?? 500);
  const messages = Number(args.messages ?? 4);
  const thinkMs = Number(args['think-ms'] ?? 10000);
  if (args.role === 'clients') {
    const result = await runClients(String(args.url).split(','), clients, messages, thinkMs);
    process.send?.(result);
    return;
  }
  if (args.role === 'server') {
    await serveInstance(String(args['database-url'] ?? ''), args.seed === true);
    return;
  }
  const instances = Number(args.instances ?? 1);
  const server =
    typeof args['database-url'] === 'string'
      ? await scratchDatabase(args['database-url'], 'chat')
      : undefined;
  if (instances > 1 && !server)
    throw new Error('--instances > 1 needs --database-url (instances share a server)');
  // On a server each instance is a process of its own, as in a deployment; the embedded database runs in this one.
  const running = server
    ? await forkInstances(server.url, instances)
    : [await startBenchApp(undefined, true)].map((app) => ({ url: app.url, close: () => app.close() }));
  try {
    const child = fork(__filename, [
      '--role',
      'clients',
      '--url',
      running.map((r) => r.url).join(','),
      '--clients',
      String(clients),
      '--messages',
      String(messages),
      '--think-ms',
      String(thinkMs),
    ]);
    const result = await new Promise<ClientResult>((resolve, reject) => {
      child.once('message', (m) => resolve(m as ClientResult));
      child.once('exit', (code) => reject(new Error(`load process exited with ${code}`)));
    });
    const latencies = result.latencies.sort((a, b) => a - b);
    const p = (q: number) => Number(percentile(latencies, q).toFixed(1));
    const p99 = percentile(latencies, 99);
    console.log(
      JSON.stringify(
        {
          bench: 'chat',
          path: 'rule-based (no LLM)',
          database: server ? server.version : 'embedded PGlite (on disk)',
          instances: running.length,
          clients,
          messagesPerClient: messages,
          thinkMs,
          // Each client sends a message every thinkMs/2 on average (plus the answer time).
          offeredMessagesPerSecond: Math.round(clients / (thinkMs / 2 / 1000)),
          connectedInMs: Math.round(result.connectedInMs),
          answered: result.answered,
          unanswered: result.unanswered,
          throughputPerSecond: Number(result.throughputPerSecond.toFixed(1)),
          latencyMs: { p50: p(50), p95: p(95), p99: p(99), max: p(100) },
          targetP99Ms: P99_TARGET_MS,
          pass: result.unanswered === 0 && p99 <= P99_TARGET_MS,
        },
        null,
        2,
      ),
    );
  } finally {
    for (const r of running) await r.close();
    if (server) await server.drop();
  }
}

/** The app as the bench runs it: no model (the rule-based path), limits opened for one loopback load. */
async function startBenchApp(databaseUrl: string | undefined, seed: boolean) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kakehashi-bench-chat-'));
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error',
    WEB_CHAT_SECRET: 'bench-web-chat-secret-0123456789abcdef',
    WEB_CHAT_RATE_BURST: '100',
    WEB_CHAT_RATE_PER_MINUTE: '6000',
    // Every simulated visitor opens its session from this one loopback address.
    WEB_CHAT_SESSION_BURST: '100000',
    WEB_CHAT_SESSIONS_PER_HOUR: '1000000',
    LLM_BASE_URL: '',
    LLM_MODEL: '',
    LLM_TH_BASE_URL: '',
    LLM_TH_MODEL: '',
    LLM_JA_BASE_URL: '',
    LLM_JA_MODEL: '',
  });
  const running = await startApp(config, { seed });
  await running.app.get(SearchIndexerService, { strict: false }).waitUntilIdle();
  return {
    url: running.url,
    async close() {
      await running.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `--role server`: one instance in this process; tells the parent its URL, stops when told. */
async function serveInstance(databaseUrl: string, seed: boolean): Promise<void> {
  const app = await startBenchApp(databaseUrl, seed);
  process.send?.({ url: app.url });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  await app.close();
  process.exit(0);
}

/** N instance processes on one server database, started one after the other (the first seeds). */
async function forkInstances(databaseUrl: string, count: number) {
  const out: Array<{ url: string; close(): Promise<void> }> = [];
  for (let i = 0; i < count; i++) {
    const child = fork(__filename, [
      '--role',
      'server',
      '--database-url',
      databaseUrl,
      ...(i === 0 ? ['--seed'] : []),
    ]);
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (m) => resolve((m as { url: string }).url));
      child.once('exit', (code) => reject(new Error(`instance ${i} exited with ${code}`)));
    });
    out.push({
      url,
      close: () =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.send('stop');
        }),
    });
  }
  return out;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
