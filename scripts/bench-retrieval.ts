import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startApp } from '../src/bootstrap/start-app';
import { CompanyImportService } from '../src/companies/company-import.service';
import type { Country, Lang } from '../src/companies/company-profile.schema';
import { loadConfig } from '../src/config/app-config';
import { SearchIndexerService } from '../src/matching/indexing/search-indexer.service';
import { MatchService, type MatchSystem } from '../src/matching/match.service';
import { parseArgs } from './cli-args';
import { percentile, trackPeakRss } from './support/peak-rss';
import { scratchDatabase } from './support/scratch-database';
import { rng, syntheticProfiles } from './support/synthetic-profiles';

/**
 * `npm run bench:retrieval -- --profiles 10000 [--queries 240]`: N synthetic ja/th/en profiles imported into a
 * fresh on-disk embedded database, indexed by the background indexer (keyword + concepts + kinds of business +
 * vectors with HNSW), then a varied query set timed through MatchService for hybrid and dense-only retrieval.
 *
 * `npm run bench:retrieval -- --dataset ../shared/eval/sme-dev.json [--profiles 100000]`: the dataset's real
 * profiles instead, imported through the HTTP API as staff would (replicated under new external ids when
 * --profiles asks for more than the dataset holds), and its own requests (varied) as the query set.
 *
 * `--database-url postgres://…`: on a PostgreSQL server instead (pgvector installed; the role needs CREATEDB). The
 * bench makes a scratch database beside the one named, runs there with the pool a deployment would use
 * (DATABASE_POOL_SIZE), and drops it at the end (`--keep` keeps it).
 */

const QUERY_TEMPLATES: Array<{ lang: Lang; seeker: Country; texts: string[] }> = [
  {
    lang: 'ja',
    seeker: 'JP',
    texts: [
      'タイで自動車部品を製造している会社を探しています',
      'タイの食品メーカーと提携したい',
      'タイの物流パートナーを紹介してください',
      'バンコクの電子部品メーカー',
      'タイでOEM生産ができる縫製工場',
      'タイのソフトウェア開発会社とオフショア開発をしたい',
      'チョンブリの金型メーカー',
      'タイの化学品メーカーを探している',
      'タイ産の冷凍ドリアンを輸入したい',
      'タイの医療機器の販売代理店',
      'ハラール認証の食品工場',
      'タイの産業用ロボットの代理店を探しています',
    ],
  },
  {
    lang: 'th',
    seeker: 'TH',
    texts: [
      'กำลังมองหาบริษัทญี่ปุ่นที่ผลิตชิ้นส่วนยานยนต์',
      'อยากหาพันธมิตรญี่ปุ่นด้านอาหารแปรรูป',
      'ต้องการซื้อเครื่องจักรอุตสาหกรรมจากญี่ปุ่น',
      'หาผู้นำเข้าทุเรียนในญี่ปุ่น',
      'บริษัทซอฟต์แวร์ญี่ปุ่นที่ต้องการทีมพัฒนาในไทย',
      'ผู้ผลิตหุ่นยนต์อุตสาหกรรมจากญี่ปุ่น',
      'บริษัทเคมีภัณฑ์ญี่ปุ่นในโอซาก้า',
      'ต้องการเทคโนโลยีแม่พิมพ์จากญี่ปุ่น',
      'หาผู้ร่วมทุนญี่ปุ่นด้านโลจิสติกส์ห้องเย็น',
      'บริษัทญี่ปุ่นที่ทำเครื่องมือแพทย์',
    ],
  },
  {
    lang: 'en',
    seeker: 'JP',
    texts: [
      'Thai automotive parts manufacturers',
      'food and beverage producers in Thailand',
      'cold-chain logistics partner in Rayong',
      'Thai contract sewing factory for apparel OEM',
      'electronic components makers in Ayutthaya',
      'Thai software house for offshore development',
      'rice exporters in Thailand',
      'Thai distributor for industrial robots',
    ],
  },
];

/** The dataset's own requests, varied like the synthetic set so no cache flatters the figures. */
function datasetQueries(
  dataset: DatasetFile,
  count: number,
): Array<{ text: string; lang: Lang; seeker: Country }> {
  const r = rng(11);
  const suffixes: Record<Lang, string[]> = {
    ja: ['', '。', 'をお願いします', '（中小企業）'],
    th: ['', 'ครับ', 'ค่ะ'],
    en: ['', ' please', ', small firms'],
  };
  return Array.from({ length: count }, (_, i) => {
    const q = dataset.queries[i % dataset.queries.length];
    const s = suffixes[q.lang][Math.floor(r() * suffixes[q.lang].length)];
    return { text: q.text + s, lang: q.lang, seeker: q.seekerCountry };
  });
}

function queries(count: number): Array<{ text: string; lang: Lang; seeker: Country }> {
  const r = rng(7);
  const all = QUERY_TEMPLATES.flatMap((t) =>
    t.texts.map((text) => ({ text, lang: t.lang, seeker: t.seeker })),
  );
  // Vary each base query with a filter word or a polite suffix so caches do not flatter the figures.
  const suffixes: Record<Lang, string[]> = {
    ja: ['', '。', 'をお願いします', '（中小企業）', 'を至急'],
    th: ['', 'ครับ', 'ค่ะ', ' ด่วน', ' ขนาดกลาง'],
    en: ['', ' please', ', small firms', ' (urgent)', ' with ISO 9001'],
  };
  return Array.from({ length: count }, (_, i) => {
    const base = all[i % all.length];
    const s = suffixes[base.lang][Math.floor(r() * suffixes[base.lang].length)];
    return { ...base, text: base.text + s };
  });
}

interface DatasetFile {
  profiles: Array<Record<string, unknown> & { externalId: string }>;
  queries: Array<{ text: string; lang: Lang; seekerCountry: Country }>;
}

/** The dataset's profiles, replicated under new external ids up to `count` (or all of them once). */
function datasetProfiles(dataset: DatasetFile, count: number | undefined): DatasetFile['profiles'] {
  const n = count ?? dataset.profiles.length;
  return Array.from({ length: n }, (_, i) => {
    const p = dataset.profiles[i % dataset.profiles.length];
    const copy = Math.floor(i / dataset.profiles.length);
    return copy === 0 ? p : { ...p, externalId: `${p.externalId}.r${copy}` };
  });
}

/** Imports through POST /api/companies/import in chunks the default body limit takes, as staff would. */
async function importOverHttp(url: string, token: string, profiles: unknown[]): Promise<void> {
  const CHUNK = 20_000;
  for (let i = 0; i < profiles.length; i += CHUNK) {
    const res = await fetch(`${url}/api/companies/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(profiles.slice(i, i + CHUNK)),
    });
    if (res.status !== 200)
      throw new Error(`import answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
  }
}

async function main() {
  const args = parseArgs();
  const dataset =
    typeof args.dataset === 'string'
      ? (JSON.parse(fs.readFileSync(args.dataset, 'utf8')) as DatasetFile)
      : undefined;
  const count = Number(args.profiles ?? (dataset ? dataset.profiles.length : 10000));
  const queryCount = Number(args.queries ?? 240);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kakehashi-bench-retrieval-'));
  const token = `bench-${randomBytes(16).toString('hex')}`;
  const server =
    typeof args['database-url'] === 'string'
      ? await scratchDatabase(args['database-url'], 'retrieval')
      : undefined;
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    ...(server ? { DATABASE_URL: server.url } : {}),
    LOG_LEVEL: 'error',
    SEED_ON_FIRST_START: 'false',
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_API_TOKEN: token,
  });
  const rss = trackPeakRss();
  const running = await startApp(config, { seed: false, listen: dataset !== undefined });
  try {
    const t0 = performance.now();
    if (dataset) {
      await importOverHttp(running.url, token, datasetProfiles(dataset, count));
    } else {
      await running.app
        .get(CompanyImportService)
        .import(
          { format: 'json', body: syntheticProfiles(count, 42, 'bench') },
          { dryRun: false, skipInvalid: false, actor: 'system:bench' },
        );
    }
    const t1 = performance.now();
    await running.app.get(SearchIndexerService).waitUntilIdle();
    const t2 = performance.now();
    const importS = (t1 - t0) / 1000;
    const indexS = (t2 - t1) / 1000;

    const matcher = running.app.get(MatchService);
    const qs = dataset ? datasetQueries(dataset, queryCount) : queries(queryCount);
    // Warm-up: the first queries pay for plan caching and concept weights; both systems get it.
    const systems: MatchSystem[] = ['hybrid', 'dense'];
    for (const q of qs.slice(0, 10))
      for (const system of systems)
        await matcher.findPartners({ text: q.text, lang: q.lang, seekerCountry: q.seeker, system });
    const latency: Record<string, number[]> = { hybrid: [], dense: [] };
    const empty: Record<string, number> = { hybrid: 0, dense: 0 };
    // Each query runs once per system, back to back (alternating which goes first), so both see the same
    // moments of the machine: on a shared two-core box a slow second would otherwise land on one system only.
    for (const [i, q] of qs.entries()) {
      for (const system of i % 2 === 0 ? systems : [...systems].reverse()) {
        const started = performance.now();
        const res = await matcher.findPartners({
          text: q.text,
          lang: q.lang,
          seekerCountry: q.seeker,
          system,
        });
        latency[system].push(performance.now() - started);
        if (res.results.length === 0) empty[system]++;
      }
    }
    for (const system of systems) latency[system].sort((a, b) => a - b);
    const stat = (xs: number[]) => ({
      p50: +percentile(xs, 50).toFixed(1),
      p95: +percentile(xs, 95).toFixed(1),
      p99: +percentile(xs, 99).toFixed(1),
    });
    const result = {
      benchmark: 'retrieval',
      profiles: count,
      queries: qs.length,
      importSeconds: +importS.toFixed(2),
      indexBuildSeconds: +indexS.toFixed(2),
      importPlusIndexSeconds: +(importS + indexS).toFixed(1),
      importPlusEmbedProfilesPerSecond: Math.round(count / (importS + indexS)),
      hybridMs: stat(latency.hybrid),
      denseMs: stat(latency.dense),
      hybridOverDenseP95: +(percentile(latency.hybrid, 95) / percentile(latency.dense, 95)).toFixed(2),
      queriesWithNoResult: empty,
      peakRssMb: Math.round(rss.stop() / 1024 / 1024),
      database: server ? server.version : 'embedded PGlite (on disk)',
      profilesFrom: dataset ? `${String(args.dataset)} (imported over HTTP)` : 'synthetic',
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.stdout.write(
      `retrieval @ ${count} profiles: import+index ${result.importPlusEmbedProfilesPerSecond} profiles/s (index build ${result.indexBuildSeconds}s); ` +
        `hybrid p50/p95/p99 ${result.hybridMs.p50}/${result.hybridMs.p95}/${result.hybridMs.p99} ms; ` +
        `dense ${result.denseMs.p50}/${result.denseMs.p95}/${result.denseMs.p99} ms; peak RSS ${result.peakRssMb} MB\n`,
    );
  } finally {
    await running.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (server && args.keep !== true) await server.drop();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
