import 'reflect-metadata';
import * as fs from 'node:fs';
import { startApp } from '../src/bootstrap/start-app';
import { CompanyImportService } from '../src/companies/company-import.service';
import type { Country, Lang } from '../src/companies/company-profile.schema';
import { loadConfig } from '../src/config/app-config';
import { openEmbeddedDatabase } from '../src/database/embedded-postgres';
import { SearchIndexerService } from '../src/matching/indexing/search-indexer.service';
import { MatchService, type MatchSystem } from '../src/matching/match.service';
import { fail, parseArgs } from './cli-args';
import { percentile } from './support/peak-rss';

/**
 * `npm run eval -- --dataset <file> [--json <out.json>] [--systems hybrid,dense,lexical]`
 * (shared/eval/README.md): loads the dataset's profiles into a fresh embedded database through the staff import
 * and the background indexer, runs every query through the chat's matcher once per system, and prints
 * p@10, ndcg@10, recall@50, MRR and latency per system and per language direction.
 */

interface EvalQuery {
  id: string;
  lang: Lang;
  seekerCountry: Country;
  text: string;
  relevant: string[];
}

interface Dataset {
  name: string;
  profiles: unknown[];
  queries: EvalQuery[];
}

interface QueryScore {
  'p@10': number;
  'ndcg@10': number;
  'recall@50': number;
  mrr: number;
  latencyMs: number;
  top10: string[];
}

export function scoreQuery(ranked: string[], relevant: Set<string>): Omit<QueryScore, 'latencyMs' | 'top10'> {
  const top10 = ranked.slice(0, 10);
  const hits10 = top10.filter((id) => relevant.has(id)).length;
  let dcg = 0;
  top10.forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let idcg = 0;
  for (let i = 0; i < Math.min(10, relevant.size); i++) idcg += 1 / Math.log2(i + 2);
  const firstRelevant = ranked.slice(0, 50).findIndex((id) => relevant.has(id));
  return {
    'p@10': relevant.size === 0 ? 0 : hits10 / Math.min(10, relevant.size),
    'ndcg@10': idcg === 0 ? 0 : dcg / idcg,
    'recall@50':
      relevant.size === 0 ? 0 : ranked.slice(0, 50).filter((id) => relevant.has(id)).length / relevant.size,
    mrr: firstRelevant < 0 ? 0 : 1 / (firstRelevant + 1),
  };
}

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const round = (x: number, d = 4) => Number(x.toFixed(d));

function summarise(scores: QueryScore[]) {
  const lat = scores.map((s) => s.latencyMs).sort((a, b) => a - b);
  return {
    'p@10': round(mean(scores.map((s) => s['p@10']))),
    'ndcg@10': round(mean(scores.map((s) => s['ndcg@10']))),
    'recall@50': round(mean(scores.map((s) => s['recall@50']))),
    mrr: round(mean(scores.map((s) => s.mrr))),
    latencyMs: { p50: round(percentile(lat, 50), 1), p95: round(percentile(lat, 95), 1) },
  };
}

const direction = (q: EvalQuery) => `${q.lang}→${q.seekerCountry === 'JP' ? 'TH' : 'JP'}`;

async function main() {
  const args = parseArgs();
  if (typeof args.dataset !== 'string')
    fail('Usage: npm run eval -- --dataset <file> [--json <out.json>] [--systems hybrid,dense,lexical]');
  const systems = (typeof args.systems === 'string' ? args.systems : 'hybrid,dense,lexical').split(
    ',',
  ) as MatchSystem[];
  const dataset = JSON.parse(fs.readFileSync(args.dataset, 'utf8')) as Dataset;

  const config = loadConfig({ ...process.env, LOG_LEVEL: 'error', PORT: '0', SEED_ON_FIRST_START: 'false' });
  const embedded = await openEmbeddedDatabase();
  const running = await startApp(config, {
    database: { pool: embedded.pool, kind: 'embedded', close: () => embedded.close() },
    seed: false,
    listen: false,
  });
  try {
    const t0 = performance.now();
    const report = await running.app
      .get(CompanyImportService)
      .import(
        { format: 'json', body: dataset.profiles },
        { dryRun: false, skipInvalid: false, actor: 'system:eval' },
      );
    if (report.rejected.length > 0)
      throw new Error(
        `${report.rejected.length} profiles were rejected: ${JSON.stringify(report.rejected.slice(0, 3))}`,
      );
    const t1 = performance.now();
    await running.app.get(SearchIndexerService).waitUntilIdle();
    const t2 = performance.now();
    process.stdout.write(
      `${dataset.name}: ${dataset.profiles.length} profiles imported in ${((t1 - t0) / 1000).toFixed(1)} s, indexed in ${((t2 - t1) / 1000).toFixed(1)} s; ${dataset.queries.length} queries\n\n`,
    );

    const matcher = running.app.get(MatchService);
    const byQuery: Record<
      string,
      Record<string, { 'p@10': number; 'ndcg@10': number; top10: string[] }>
    > = {};
    const out: Record<string, ReturnType<typeof summarise>> = {};
    const directions = [...new Set(dataset.queries.map(direction))];
    const rows: string[][] = [];
    for (const system of systems) {
      const scores: Array<QueryScore & { q: EvalQuery }> = [];
      for (const q of dataset.queries) {
        const started = performance.now();
        const res = await matcher.findPartners({
          text: q.text,
          lang: q.lang,
          seekerCountry: q.seekerCountry,
          limit: 50,
          system,
        });
        const latencyMs = performance.now() - started;
        const ranked = res.results.map((r) => r.externalId);
        const s = scoreQuery(ranked, new Set(q.relevant));
        scores.push({ ...s, latencyMs, top10: ranked.slice(0, 10), q });
      }
      out[system] = summarise(scores);
      byQuery[system] = Object.fromEntries(
        scores.map((s) => [
          s.q.id,
          { 'p@10': round(s['p@10']), 'ndcg@10': round(s['ndcg@10']), top10: s.top10 },
        ]),
      );
      for (const d of ['all', ...directions]) {
        const subset = d === 'all' ? scores : scores.filter((s) => direction(s.q) === d);
        const m = summarise(subset);
        rows.push([
          system,
          d,
          String(subset.length),
          ...[m['p@10'], m['ndcg@10'], m['recall@50'], m.mrr].map((x) => x.toFixed(3)),
          String(m.latencyMs.p50),
          String(m.latencyMs.p95),
        ]);
      }
    }
    const header = [
      'system',
      'direction',
      'queries',
      'p@10',
      'ndcg@10',
      'recall@50',
      'mrr',
      'p50 ms',
      'p95 ms',
    ];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
    process.stdout.write(
      `${fmt(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(fmt).join('\n')}\n`,
    );

    if (typeof args.json === 'string') {
      const json = {
        dataset: dataset.name,
        profiles: dataset.profiles.length,
        queries: dataset.queries.length,
        systems: out,
        byQuery,
      };
      fs.writeFileSync(args.json, JSON.stringify(json, null, 2) + '\n');
      process.stdout.write(`\nwrote ${args.json}\n`);
    }
  } finally {
    await running.close();
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exit(1);
  });
}
