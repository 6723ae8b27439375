import 'reflect-metadata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startApp } from '../src/bootstrap/start-app';
import { projectPath } from '../src/common/project-paths';
import { ConfigError, loadConfig } from '../src/config/app-config';
import { ConversationService } from '../src/conversation/conversation.service';
import { openEmbeddedDatabase } from '../src/database/embedded-postgres';
import { CallMeter } from '../src/llm/evaluation/call-meter';
import {
  type CandidateEndpoint,
  EndpointsFileError,
  endpointsFromConfig,
  readEndpointsFile,
} from '../src/llm/evaluation/endpoints-file';
import {
  EvaluationDataError,
  REPLY_REQUESTS,
  deterministicSample,
  loadTalpco,
  loadUnderstandingCases,
} from '../src/llm/evaluation/evaluation-data';
import { runReplyTask } from '../src/llm/evaluation/reply-task';
import {
  type EndpointReport,
  type EvaluationReport,
  formatReport,
  rank,
  suggestRouting,
} from '../src/llm/evaluation/report';
import { progressReporter } from '../src/llm/evaluation/stats';
import { runTranslationTask } from '../src/llm/evaluation/translation-task';
import { runUnderstandingTask } from '../src/llm/evaluation/understanding-task';
import { LlmCallRepository } from '../src/llm/llm-call.repository';
import { LlmService, originOf } from '../src/llm/llm.service';
import { LexiconService } from '../src/matching/lexicon/lexicon.service';
import { SearchIndexerService } from '../src/matching/indexing/search-indexer.service';
import { TranslationService } from '../src/translation/translation.service';
import { fail, parseArgs } from './cli-args';

/**
 * `npm run eval:llm -- [--endpoints endpoints.json] [--sample N] [--json out.json] [--shared ../shared]`
 *
 * Scores OpenAI-compatible endpoints on this product's own tasks, through the product's own code: translation
 * (TranslationService on TALPCo, chrF++), understanding (the chat's model reading of the benchmark requests) and
 * grounded replies (ConversationService over the seed profiles). Each endpoint gets a fresh in-memory embedded
 * database and the whole app wired as in production, with that endpoint as the only model (LLM_* for every output
 * language). The only network calls are to the endpoints given. docs/llm.md explains how to read the report.
 */

const USAGE =
  'Usage: npm run eval:llm -- [--endpoints endpoints.json] [--sample N] [--json out.json] [--shared ../shared] [--log-level warn]\n' +
  '  endpoints.json: [{"name": "typhoon", "baseUrl": "https://…/v1", "model": "…", "apiKeyEnv": "TYPHOON_KEY"}, …]\n' +
  '  without --endpoints: the endpoints of the current configuration (LLM_*, LLM_TH_*, LLM_JA_*), each alone';

/** Settings of the deployment that shape a call (timeouts, retries, limits, pivot): kept from the environment. */
const KEPT = [
  'LLM_TIMEOUT_MS',
  'LLM_MAX_RETRIES',
  'LLM_CONCURRENCY',
  'LLM_MAX_TOKENS',
  'LLM_TRANSLATION_PIVOT',
  'LLM_TRANSLATION_PIVOT_PAIRS',
  'LLM_RETRY_BASE_MS',
  'LLM_RETRY_MAX_DELAY_MS',
  'LLM_MAX_REQUESTS_PER_SECOND',
  'LLM_PROMPTS_DIR',
];

/**
 * The configuration of one candidate. Built from a short list rather than the whole environment, so a LINE
 * channel, an embeddings server or a production database configured here are never touched. Background model
 * work (profile translation, enrichment, request classification) is off, so every endpoint sees the same calls
 * and the same match results; the circuit breaker is set not to open, so one bad stretch cannot hide the rest.
 */
function configFor(endpoint: CandidateEndpoint, logLevel: string) {
  const env: Record<string, string> = {};
  for (const key of KEPT) if (process.env[key] !== undefined) env[key] = process.env[key]!;
  return loadConfig({
    ...env,
    NODE_ENV: 'development',
    LOG_LEVEL: logLevel,
    PORT: '0',
    SEED_ON_FIRST_START: 'false',
    EMBEDDINGS_PROVIDER: 'local',
    RETENTION_INTERVAL_MINUTES: '0',
    LLM_BASE_URL: endpoint.baseUrl,
    LLM_MODEL: endpoint.model,
    ...(endpoint.apiKey ? { LLM_API_KEY: endpoint.apiKey } : {}),
    ...(endpoint.extraBody ? { LLM_EXTRA_BODY: JSON.stringify(endpoint.extraBody) } : {}),
    LLM_AUTO_TRANSLATE_PROFILES: 'false',
    LLM_ENRICH_PROFILES: 'false',
    LLM_CLASSIFY_REQUESTS: 'false',
    LLM_CIRCUIT_FAILURE_THRESHOLD: '1000',
  });
}

interface EvaluationData {
  pairs: ReturnType<typeof loadTalpco>;
  cases: ReturnType<typeof loadUnderstandingCases>;
  replies: typeof REPLY_REQUESTS;
}

async function evaluateEndpoint(
  endpoint: CandidateEndpoint,
  data: EvaluationData,
  logLevel: string,
): Promise<EndpointReport> {
  const log = (line: string) => process.stderr.write(`[${endpoint.name}] ${line}\n`);
  const config = configFor(endpoint, logLevel);
  const started = performance.now();
  const embedded = await openEmbeddedDatabase();
  const running = await startApp(config, {
    database: { pool: embedded.pool, kind: 'embedded', close: () => embedded.close() },
    seed: true,
    listen: false,
  });
  try {
    const app = running.app;
    const meter = new CallMeter(app.get(LlmCallRepository));
    const concurrency = config.llm.concurrency;

    log(`translation: ${data.pairs.length} pairs × 6 directions (concurrency ${concurrency})`);
    const translation = await runTranslationTask(app.get(TranslationService), meter, data.pairs, {
      // Each pair has up to four calls in flight at once.
      concurrency: Math.max(1, Math.floor(concurrency / 4)),
      progress: progressReporter(`[${endpoint.name}] translation`, data.pairs.length, (l) =>
        process.stderr.write(`${l}\n`),
      ),
    });
    log(`understanding: ${data.cases.length} requests`);
    const understanding = await runUnderstandingTask(
      app.get(LlmService),
      app.get(LexiconService).current(),
      meter,
      data.cases,
      {
        concurrency,
        progress: progressReporter(`[${endpoint.name}] understanding`, data.cases.length, (l) =>
          process.stderr.write(`${l}\n`),
        ),
      },
    );
    log(`grounded replies: ${data.replies.length} requests`);
    await app.get(SearchIndexerService).waitUntilIdle();
    const replies = await runReplyTask(app.get(ConversationService), meter, data.replies, {
      runId: endpoint.name.replace(/[^A-Za-z0-9-]/g, '-'),
      progress: progressReporter(`[${endpoint.name}] replies`, data.replies.length, (l) =>
        process.stderr.write(`${l}\n`),
      ),
    });
    return {
      name: endpoint.name,
      model: endpoint.model,
      origin: originOf(endpoint.baseUrl),
      seconds: (performance.now() - started) / 1000,
      translation,
      understanding,
      replies,
    };
  } finally {
    await running.close();
  }
}

function parseSample(value: string | true | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value === true || !Number.isInteger(n) || n < 1) fail(`--sample must be a whole number ≥ 1\n${USAGE}`);
  return n;
}

async function main(): Promise<void> {
  const args = parseArgs();
  if (args.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const sample = parseSample(args.sample);
  if (args.endpoints === true) fail(`--endpoints needs a file\n${USAGE}`);
  if (args.json === true) fail(`--json needs a file name\n${USAGE}`);
  // The app's own JSON log lines go to stdout: quiet by default so the report stays readable (--log-level warn to debug).
  const logLevel = typeof args['log-level'] === 'string' ? args['log-level'] : 'silent';
  const shared = typeof args.shared === 'string' ? path.resolve(args.shared) : projectPath('..', 'shared');

  let endpoints: CandidateEndpoint[];
  try {
    endpoints =
      typeof args.endpoints === 'string'
        ? readEndpointsFile(args.endpoints, process.env)
        : endpointsFromConfig(loadConfig(process.env));
  } catch (err) {
    if (err instanceof EndpointsFileError || err instanceof ConfigError) fail(err.message);
    throw err;
  }
  if (endpoints.length === 0)
    fail(`No endpoint to evaluate: pass --endpoints <file> or set LLM_BASE_URL and LLM_MODEL.\n${USAGE}`);

  let data: EvaluationData;
  try {
    data = {
      pairs: deterministicSample(loadTalpco(path.join(shared, 'data', 'parallel')), sample, (p) => p.id),
      cases: deterministicSample(
        loadUnderstandingCases([
          path.join(shared, 'eval', 'dev.json'),
          path.join(shared, 'eval', 'sme-dev.json'),
        ]),
        sample,
        (c) => c.id,
      ),
      replies: deterministicSample(REPLY_REQUESTS, sample, (r) => r.id),
    };
  } catch (err) {
    if (err instanceof EvaluationDataError)
      fail(`${err.message} (--shared points at the shared data folder)`);
    throw err;
  }

  const reports: EndpointReport[] = [];
  for (const endpoint of endpoints) reports.push(await evaluateEndpoint(endpoint, data, logLevel));

  const { routing, languageScores } = suggestRouting(reports);
  const report: EvaluationReport = {
    generatedAt: new Date().toISOString(),
    sample: sample ?? null,
    data: {
      pairs: data.pairs.length,
      understandingRequests: data.cases.length,
      replyRequests: data.replies.length,
    },
    endpoints: reports,
    ranking: {
      translation: rank(reports, 'translation'),
      understanding: rank(reports, 'understanding'),
      replies: rank(reports, 'replies'),
    },
    languageScores,
    routing,
    notes: [
      'TALPCo has no English side: ja→en/th→en/en→ja/en→th are scored through pivot chains (ja→en→th, th→en→ja) and round trips (ja→en→ja, th→en→th) against the Japanese and Thai references.',
      'A translation the product would not deliver (empty, another language, garbage) counts as an empty hypothesis.',
      'The evaluation database has no staff glossary: the glossary part of the post-check has nothing to check.',
    ],
  };
  process.stdout.write(formatReport(report));
  if (typeof args.json === 'string') {
    fs.writeFileSync(args.json, JSON.stringify(report, null, 2) + '\n');
    process.stdout.write(`wrote ${args.json}\n`);
  }
}

main().catch((err: Error) => {
  process.stderr.write(`eval:llm failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
