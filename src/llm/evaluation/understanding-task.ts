import { detectLanguage } from '../../language';
import type { Lexicon } from '../../matching/lexicon/lexicon';
import type { ConversationState } from '../../conversation/conversation-state';
import type { SearchSlots } from '../../conversation/understanding/intent';
import {
  contextForModel,
  intentFromModel,
  modelUnderstandingSchema,
} from '../../conversation/understanding/model-understanding';
import type { LlmService } from '../llm.service';
import type { CallMeter } from './call-meter';
import type { UnderstandingCase } from './evaluation-data';
import { inPool, mean, percentile, round } from './stats';

/**
 * Understanding: each benchmark request goes to the model as the chat engine sends a new conversation's first
 * message (the `chat-understand` prompt through LlmService.extract, read by intentFromModel with the lexicon),
 * and each facet of the reading is compared with what the request asks for:
 *
 * - intent: a partner search;
 * - language: the subject is in the request's language (the prompt asks for the user's own words);
 * - country: the country the partner should be in, when the request names it (when it does not, leaving it
 *   empty is right too, as the product then searches the other side);
 * - business: the subject names a product or industry concept the product's reader also finds in the request
 *   (scored where the reader finds one);
 * - province: the region the product makes of the model's answer is the one it makes of the province's name;
 * - partnership: the partnership type (scored where the request's wish is unambiguous).
 */

export const FACETS = ['intent', 'language', 'country', 'business', 'province', 'partnership'] as const;
export type Facet = (typeof FACETS)[number];

export interface FacetScore {
  scored: number;
  correct: number;
  accuracy: number;
}

export interface UnderstandingReport {
  requests: number;
  facets: Record<Facet, FacetScore>;
  /** Share of requests where the model's answer could not be used (the rules would have answered). */
  fallbackRate: number;
  latencyMs: { p50: number; p95: number };
  tokensPerRequest: number;
  /** Mean of the facet accuracies: the ranking score. */
  score: number;
  /** Requests with at least one wrong facet, and which (for reading the mistakes). */
  misses: Array<{ id: string; wrong: Facet[] }>;
}

function regionKey(slots: SearchSlots): string | null {
  return slots.region ?? slots.regionWords ?? null;
}

export async function runUnderstandingTask(
  llm: LlmService,
  lexicon: Lexicon,
  meter: CallMeter,
  cases: readonly UnderstandingCase[],
  options: { concurrency: number; progress?: (done: number) => void },
): Promise<UnderstandingReport> {
  const state: ConversationState = {};
  const concepts = (text: string) =>
    new Set(lexicon.reader.read(text, 'request').businesses.map((b) => b.conceptId));
  const provinceKey = (name: string) =>
    regionKey(slotsOf(intentFromModel({ intent: 'search', region: name }, state, lexicon)));

  const tallies = Object.fromEntries(FACETS.map((f) => [f, { scored: 0, correct: 0 }])) as Record<
    Facet,
    { scored: number; correct: number }
  >;
  const latencies: number[] = [];
  const tokens: number[] = [];
  const misses: UnderstandingReport['misses'] = [];
  let fallbacks = 0;
  let done = 0;

  await inPool(cases, options.concurrency, async (c) => {
    const started = performance.now();
    const r = await meter.settle(`understand:${c.id}`, () =>
      llm.extract(
        'chat-understand',
        { context: contextForModel(state), message: c.text },
        modelUnderstandingSchema,
        { fallback: () => ({ intent: 'unknown' as const }) },
      ),
    );
    latencies.push(performance.now() - started);
    tokens.push(r.inputTokens + r.outputTokens);
    const usable = r.value !== undefined && r.value.source !== 'fallback';
    if (!usable) fallbacks++;
    const value = usable ? r.value.value : undefined;
    const intent = value ? intentFromModel(value, state, lexicon) : { kind: 'unknown' as const };
    const slots = slotsOf(intent);
    const subject = slots.subject ?? '';

    const judged: Partial<Record<Facet, boolean>> = {};
    judged.intent = intent.kind === 'search';
    judged.language = subject !== '' && detectLanguage(subject).lang === c.lang;
    judged.country =
      usable &&
      (c.namesCountry
        ? slots.country === c.targetCountry
        : slots.country === undefined || slots.country === c.targetCountry);
    const expectedConcepts = concepts(c.text);
    if (expectedConcepts.size > 0)
      judged.business = usable && [...concepts(subject)].some((id) => expectedConcepts.has(id));
    const expectedRegion = c.province ? provinceKey(c.province) : null;
    judged.province = usable && regionKey(slots) === expectedRegion;
    if (c.partnership !== undefined)
      judged.partnership = usable && (slots.partnershipType ?? null) === c.partnership;

    const wrong: Facet[] = [];
    for (const facet of FACETS) {
      const ok = judged[facet];
      if (ok === undefined) continue;
      tallies[facet].scored++;
      if (ok) tallies[facet].correct++;
      else wrong.push(facet);
    }
    if (wrong.length > 0) misses.push({ id: c.id, wrong });
    options.progress?.(++done);
  });

  const facets = Object.fromEntries(
    FACETS.map((f) => [
      f,
      {
        ...tallies[f],
        accuracy: tallies[f].scored === 0 ? 0 : round(tallies[f].correct / tallies[f].scored, 4),
      },
    ]),
  ) as Record<Facet, FacetScore>;
  return {
    requests: cases.length,
    facets,
    fallbackRate: cases.length === 0 ? 0 : round(fallbacks / cases.length, 4),
    latencyMs: { p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)) },
    tokensPerRequest: round(mean(tokens)),
    score: round(mean(FACETS.filter((f) => facets[f].scored > 0).map((f) => facets[f].accuracy)), 4),
    misses: misses.sort((a, b) => a.id.localeCompare(b.id)),
  };
}

function slotsOf(intent: ReturnType<typeof intentFromModel>): SearchSlots {
  return intent.kind === 'search' || intent.kind === 'refine' ? intent.slots : {};
}
