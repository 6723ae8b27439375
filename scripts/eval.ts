import 'reflect-metadata';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { startApp } from '../src/bootstrap/start-app';
import { CompanyImportService } from '../src/companies/company-import.service';
import type { Country, Lang } from '../src/companies/company-profile.schema';
import { loadConfig } from '../src/config/app-config';
import { openEmbeddedDatabase } from '../src/database/embedded-postgres';
import { SearchIndexerService } from '../src/matching/indexing/search-indexer.service';
import type { Lexicon } from '../src/matching/lexicon/lexicon';
import { LexiconService } from '../src/matching/lexicon/lexicon.service';
import { type MatchResponse, MatchService, type MatchSystem } from '../src/matching/match.service';
import { fail, parseArgs } from './cli-args';
import { percentile } from './support/peak-rss';

/**
 * `npm run eval -- --dataset <file> [--json <out.json>] [--systems hybrid,dense,lexical]`
 * (shared/eval/README.md): loads the dataset's profiles into a fresh embedded database through the staff import
 * and the background indexer, runs every query through the chat's matcher once per system, and prints
 * p@10, ndcg@10, recall@50, MRR and latency per system and per language direction.
 */

export interface EvalQuery {
  id: string;
  lang: Lang;
  seekerCountry: Country;
  text: string;
  relevant: string[];
}

export interface Dataset {
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
  /** The first 50 results, for the determinism check. */
  top50: string[];
}

export function scoreQuery(
  ranked: string[],
  relevant: Set<string>,
): Omit<QueryScore, 'latencyMs' | 'top10' | 'top50'> {
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

export interface EvaluationResult {
  dataset: string;
  profiles: number;
  queries: number;
  systems: Record<string, ReturnType<typeof summarise>>;
  byDirection: Record<string, Record<string, ReturnType<typeof summarise>>>;
  byQuery: Record<
    string,
    Record<
      string,
      {
        'p@10': number;
        'ndcg@10': number;
        'recall@50': number;
        mrr: number;
        latencyMs: number;
        top10: string[];
        top50: string[];
      }
    >
  >;
  importSeconds: number;
  indexSeconds: number;
  /** sha256 of every system's ranking of every query (the approximate dense baseline excepted): two runs that
   * print the same one ranked alike. */
  fingerprint: string;
}

export interface EvaluationOptions {
  /** Called with every answer (tests look at explanations); the lexicon is the one the matcher used. */
  inspect?: (query: EvalQuery, system: MatchSystem, response: MatchResponse, lexicon: Lexicon) => void;
}

/** Runs the benchmark on a fresh in-memory embedded database (see the header comment). */
export async function runEvaluation(
  dataset: Dataset,
  systems: MatchSystem[],
  options: EvaluationOptions = {},
): Promise<EvaluationResult> {
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
    if (report.rejected.length > 0) {
      throw new Error(
        `${report.rejected.length} profiles were rejected: ${JSON.stringify(report.rejected.slice(0, 3))}`,
      );
    }
    const t1 = performance.now();
    await running.app.get(SearchIndexerService).waitUntilIdle();
    const t2 = performance.now();

    const matcher = running.app.get(MatchService);
    const result: EvaluationResult = {
      dataset: dataset.name,
      profiles: dataset.profiles.length,
      queries: dataset.queries.length,
      systems: {},
      byDirection: {},
      byQuery: {},
      importSeconds: (t1 - t0) / 1000,
      indexSeconds: (t2 - t1) / 1000,
      fingerprint: '',
    };
    const directions = [...new Set(dataset.queries.map(direction))];
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
        options.inspect?.(q, system, res, running.app.get(LexiconService).current());
        const ranked = res.results.map((r) => r.externalId);
        scores.push({
          ...scoreQuery(ranked, new Set(q.relevant)),
          latencyMs,
          top10: ranked.slice(0, 10),
          top50: ranked,
          q,
        });
      }
      result.systems[system] = summarise(scores);
      result.byDirection[system] = Object.fromEntries(
        directions.map((d) => [d, summarise(scores.filter((s) => direction(s.q) === d))]),
      );
      result.byQuery[system] = Object.fromEntries(
        scores.map((s) => [
          s.q.id,
          {
            'p@10': round(s['p@10']),
            'ndcg@10': round(s['ndcg@10']),
            'recall@50': round(s['recall@50']),
            mrr: round(s.mrr),
            latencyMs: round(s.latencyMs, 1),
            top10: s.top10,
            top50: s.top50,
          },
        ]),
      );
    }
    result.fingerprint = createHash('sha256')
      .update(
        JSON.stringify(
          Object.entries(result.byQuery)
            .filter(([system]) => system !== 'dense')
            .map(([system, byId]) => [system, Object.entries(byId).map(([id, q]) => [id, q.top50])]),
        ),
      )
      .digest('hex')
      .slice(0, 16);
    return result;
  } finally {
    await running.close();
  }
}

/**
 * Queries whose ranking differs between two runs, per system, with the first position where they part. The
 * `dense` baseline is left out: it reads an approximate nearest-neighbour index (HNSW), whose graph depends on
 * random levels drawn while it is built, so two databases may order its margin differently (2 of the 32
 * rankings of dev.json did); the product's matcher reads it only when a request names no kind of business.
 */
export function rankingDifferences(a: EvaluationResult, b: EvaluationResult): string[] {
  const out: string[] = [];
  for (const [system, byId] of Object.entries(a.byQuery)) {
    if (system === 'dense') continue;
    for (const [id, q] of Object.entries(byId)) {
      const other = b.byQuery[system]?.[id]?.top50 ?? [];
      const at = q.top50.findIndex((x, i) => other[i] !== x);
      if (at >= 0 || other.length !== q.top50.length)
        out.push(`${system} ${id}: differs from rank ${(at >= 0 ? at : q.top50.length) + 1}`);
    }
  }
  return out;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const fmt = (row: string[]) => row.map((c, i) => c.padEnd(widths[i])).join('  ');
  return `${fmt(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(fmt).join('\n')}\n`;
}

const USAGE =
  'Usage: npm run eval -- --dataset <file> [--rephrased <file>] [--json <out.json>] [--systems hybrid,dense,lexical] [--per-query] [--check-determinism]';

/**
 * `--rephrased eval/sme-dev-rephrased.json`: the dataset's requests asked in other words. Each rephrasing is
 * scored against the relevance list of the request it rephrases (`of`), so quality on phrasings the reader was
 * not built around can be measured on the same profiles.
 */
function withRephrasedQueries(dataset: Dataset, file: string): Dataset {
  const rephrased = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    dataset: string;
    queries: Array<{ id: string; of: string; lang: Lang; text: string }>;
  };
  if (rephrased.dataset !== dataset.name)
    fail(`${file} rephrases the requests of ${rephrased.dataset}, not of ${dataset.name}`);
  const byId = new Map(dataset.queries.map((q) => [q.id, q]));
  return {
    ...dataset,
    name: `${dataset.name} (rephrased)`,
    queries: rephrased.queries.map((r) => {
      const original = byId.get(r.of);
      if (!original) return fail(`${file}: ${r.id} rephrases ${r.of}, which ${dataset.name} does not have`);
      return { ...original, id: r.id, lang: r.lang, text: r.text };
    }),
  };
}

async function main() {
  const args = parseArgs();
  if (typeof args.dataset !== 'string') fail(USAGE);
  const systems = (typeof args.systems === 'string' ? args.systems : 'hybrid,dense,lexical').split(
    ',',
  ) as MatchSystem[];
  const original = JSON.parse(fs.readFileSync(args.dataset, 'utf8')) as Dataset;
  const dataset =
    typeof args.rephrased === 'string' ? withRephrasedQueries(original, args.rephrased) : original;
  const r = await runEvaluation(dataset, systems);
  process.stdout.write(
    `${r.dataset}: ${r.profiles} profiles imported in ${r.importSeconds.toFixed(1)} s, indexed in ${r.indexSeconds.toFixed(1)} s; ${r.queries} queries\n\n`,
  );
  const rows: string[][] = [];
  for (const system of systems) {
    for (const [d, m] of [['all', r.systems[system]] as const, ...Object.entries(r.byDirection[system])]) {
      const n = d === 'all' ? r.queries : dataset.queries.filter((q) => direction(q) === d).length;
      rows.push([
        system,
        d,
        String(n),
        ...[m['p@10'], m['ndcg@10'], m['recall@50'], m.mrr].map((x) => x.toFixed(3)),
        String(m.latencyMs.p50),
        String(m.latencyMs.p95),
      ]);
    }
  }
  process.stdout.write(
    table(
      ['system', 'direction', 'queries', 'p@10', 'ndcg@10', 'recall@50', 'mrr', 'p50 ms', 'p95 ms'],
      rows,
    ),
  );
  if (args['per-query'] === true) {
    for (const system of systems) {
      process.stdout.write(`\n${system}, per query\n`);
      process.stdout.write(
        table(
          ['query', 'p@10', 'ndcg@10', 'recall@50', 'mrr', 'ms', 'text'],
          dataset.queries.map((q) => {
            const m = r.byQuery[system][q.id];
            return [
              q.id,
              ...[m['p@10'], m['ndcg@10'], m['recall@50'], m.mrr].map((x) => x.toFixed(3)),
              String(m.latencyMs),
              q.text,
            ];
          }),
        ),
      );
    }
  }
  process.stdout.write(`\nrankings fingerprint: ${r.fingerprint}\n`);
  if (args['check-determinism'] === true) {
    // The same profiles into a second fresh database, the same requests again: every ranking must be the same.
    const again = await runEvaluation(dataset, systems);
    const differences = rankingDifferences(r, again);
    const total = systems.filter((s) => s !== 'dense').length * dataset.queries.length;
    process.stdout.write(
      `determinism: ${total - differences.length}/${total} rankings identical on a second fresh database` +
        `${systems.includes('dense') ? ' (the dense baseline reads an approximate index and is not compared)' : ''}` +
        `${differences.length > 0 ? `\n  ${differences.join('\n  ')}` : ''}\n`,
    );
    if (differences.length > 0) process.exitCode = 1;
  }
  if (typeof args.json === 'string') {
    const json = {
      dataset: r.dataset,
      profiles: r.profiles,
      queries: r.queries,
      systems: r.systems,
      byDirection: r.byDirection,
      byQuery: r.byQuery,
      fingerprint: r.fingerprint,
    };
    fs.writeFileSync(args.json, JSON.stringify(json, null, 2) + '\n');
    process.stdout.write(`\nwrote ${args.json}\n`);
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exit(1);
  });
}
