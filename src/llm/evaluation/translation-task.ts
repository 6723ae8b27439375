import type { Lang } from '../../config/app-config';
import { isUnusable } from '../../translation/translation-checks';
import type { TranslationService } from '../../translation/translation.service';
import type { CallMeter } from './call-meter';
import { type ChrfStatistics, addStatistics, chrfScore, chrfStatistics } from './chrf';
import type { ParallelPair } from './evaluation-data';
import { inPool, mean, percentile, round } from './stats';

/**
 * Translation on TALPCo through TranslationService.translate (prompt, glossary, post-checks with their one retry,
 * pivot setting, cache): what the relay and `POST /api/translate` run.
 *
 * TALPCo has no English side, so English is scored through chains that end in a language it has:
 * - pivot chains ja→en→th and th→en→ja score the model's English by what it carries into the other language;
 * - round trips ja→en→ja and th→en→th score ja→en/en→ja and th→en/en→th the other way round.
 * Each English text is written once and read by both of its chains. A round trip alone would reward a model that
 * copies its input, so a leg the product would not deliver (its check says: empty, another language, garbage)
 * ends its chain with an empty hypothesis; the same holds for the direct directions.
 */

/** A direction scored with chrF++ against a TALPCo reference. */
export type ScoredDirection = 'ja→th' | 'th→ja' | 'ja→en→th' | 'th→en→ja' | 'ja→en→ja' | 'th→en→th';
/** One call of TranslationService.translate, measured on its own. */
export type Leg = 'ja→th' | 'th→ja' | 'ja→en' | 'th→en' | 'en→th' | 'en→ja';

export const SCORED_DIRECTIONS: readonly ScoredDirection[] = [
  'ja→th',
  'th→ja',
  'ja→en→th',
  'th→en→ja',
  'ja→en→ja',
  'th→en→th',
];
export const LEGS: readonly Leg[] = ['ja→th', 'th→ja', 'ja→en', 'th→en', 'en→th', 'en→ja'];

/** Into which language a scored direction writes (for routing by output language). */
export const OUTPUT_LANG: Record<ScoredDirection, Lang> = {
  'ja→th': 'th',
  'th→ja': 'ja',
  'ja→en→th': 'th',
  'th→en→ja': 'ja',
  'ja→en→ja': 'ja',
  'th→en→th': 'th',
};

interface LegResult {
  text: string;
  /** Delivered: a result the product would show (not empty, in the target language, not garbage). */
  usable: boolean;
  /** Passed every post-check (numbers, glossary, language, ...), possibly after the one retry. */
  passed: boolean;
  violations: string[];
  failed?: string;
  latencyMs: number;
  tokens: number;
  calls: number;
  pivot: boolean;
}

export interface LegSummary {
  sentences: number;
  /** Share of results that passed the product's post-check. */
  checkPassRate: number;
  /** Share the product would deliver at all. */
  deliveredRate: number;
  /** Calls that failed outright (timeout, HTTP error, circuit). */
  failed: number;
  latencyMs: { p50: number; p95: number };
  tokensPerSentence: number;
  callsPerSentence: number;
  /** Violation kinds and how often they remained. */
  violations: Record<string, number>;
  /** Whether the product pivoted through English for this leg (LLM_TRANSLATION_PIVOT). */
  pivot: boolean;
}

export interface TranslationReport {
  pairs: number;
  chrf: Record<ScoredDirection, number>;
  legs: Record<Leg, LegSummary>;
  /** Mean chrF++ over the six scored directions: the ranking score. */
  score: number;
}

export interface TranslationTaskOptions {
  concurrency: number;
  progress?: (done: number) => void;
}

export async function runTranslationTask(
  translator: TranslationService,
  meter: CallMeter,
  pairs: readonly ParallelPair[],
  options: TranslationTaskOptions,
): Promise<TranslationReport> {
  const legs = Object.fromEntries(LEGS.map((l) => [l, [] as LegResult[]])) as Record<Leg, LegResult[]>;
  const stats = Object.fromEntries(SCORED_DIRECTIONS.map((d) => [d, [] as ChrfStatistics])) as Record<
    ScoredDirection,
    ChrfStatistics
  >;
  const score = (d: ScoredDirection, hyp: LegResult | undefined, ref: string) => {
    stats[d] = addStatistics(stats[d], chrfStatistics(hyp?.usable ? hyp.text : '', ref));
  };
  const translate = async (leg: Leg, text: string, from: Lang, to: Lang): Promise<LegResult> => {
    const started = performance.now();
    const r = await meter.settle(leg, () => translator.translate({ text, from, to, context: 'message' }));
    const result: LegResult = r.error
      ? {
          text: '',
          usable: false,
          passed: false,
          violations: [],
          failed: r.error.name,
          latencyMs: performance.now() - started,
          tokens: r.inputTokens + r.outputTokens,
          calls: r.calls.length,
          pivot: false,
        }
      : {
          text: r.value.translation,
          usable: !isUnusable(r.value.violations) && r.value.translation.trim() !== '',
          passed: !r.value.flagged,
          violations: r.value.violations.map((v) => v.kind),
          latencyMs: performance.now() - started,
          tokens: r.inputTokens + r.outputTokens,
          calls: r.calls.length,
          pivot: r.value.pivot,
        };
    legs[leg].push(result);
    return result;
  };

  let done = 0;
  await inPool(pairs, options.concurrency, async (pair) => {
    const [jaTh, thJa, jaEn, thEn] = await Promise.all([
      translate('ja→th', pair.ja, 'ja', 'th'),
      translate('th→ja', pair.th, 'th', 'ja'),
      translate('ja→en', pair.ja, 'ja', 'en'),
      translate('th→en', pair.th, 'th', 'en'),
    ]);
    // The English leg must be usable for its chains to mean anything (see the header).
    const fromEnglish = (en: LegResult, to: Lang, leg: Leg) =>
      en.usable ? translate(leg, en.text, 'en', to) : Promise.resolve(undefined);
    const [jaEnTh, jaEnJa, thEnJa, thEnTh] = await Promise.all([
      fromEnglish(jaEn, 'th', 'en→th'),
      fromEnglish(jaEn, 'ja', 'en→ja'),
      fromEnglish(thEn, 'ja', 'en→ja'),
      fromEnglish(thEn, 'th', 'en→th'),
    ]);
    score('ja→th', jaTh, pair.th);
    score('th→ja', thJa, pair.ja);
    score('ja→en→th', jaEnTh, pair.th);
    score('th→en→ja', thEnJa, pair.ja);
    score('ja→en→ja', jaEnJa, pair.ja);
    score('th→en→th', thEnTh, pair.th);
    options.progress?.(++done);
  });

  const chrf = Object.fromEntries(SCORED_DIRECTIONS.map((d) => [d, round(chrfScore(stats[d]), 2)])) as Record<
    ScoredDirection,
    number
  >;
  return {
    pairs: pairs.length,
    chrf,
    legs: Object.fromEntries(LEGS.map((l) => [l, summariseLeg(legs[l])])) as Record<Leg, LegSummary>,
    score: round(mean(SCORED_DIRECTIONS.map((d) => chrf[d])), 2),
  };
}

function summariseLeg(results: LegResult[]): LegSummary {
  const n = results.length;
  const share = (f: (r: LegResult) => boolean) => (n === 0 ? 0 : round(results.filter(f).length / n, 4));
  const violations: Record<string, number> = {};
  for (const r of results) for (const v of r.violations) violations[v] = (violations[v] ?? 0) + 1;
  const latencies = results.map((r) => r.latencyMs);
  return {
    sentences: n,
    checkPassRate: share((r) => r.passed),
    deliveredRate: share((r) => r.usable),
    failed: results.filter((r) => r.failed).length,
    latencyMs: { p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)) },
    tokensPerSentence: round(mean(results.map((r) => r.tokens))),
    callsPerSentence: round(mean(results.map((r) => r.calls)), 2),
    violations,
    pivot: results.some((r) => r.pivot),
  };
}
