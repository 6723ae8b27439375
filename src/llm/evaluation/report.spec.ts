import { type EndpointReport, formatReport, rank, suggestRouting } from './report';
import { LEGS, SCORED_DIRECTIONS } from './translation-task';
import { FACETS } from './understanding-task';

function endpoint(name: string, chrf: { th: number; ja: number }, understanding: number): EndpointReport {
  const leg = {
    sentences: 1,
    checkPassRate: 1,
    deliveredRate: 1,
    failed: 0,
    latencyMs: { p50: 1, p95: 2 },
    tokensPerSentence: 10,
    callsPerSentence: 1,
    violations: {},
    pivot: false,
  };
  const directions = Object.fromEntries(
    SCORED_DIRECTIONS.map((d) => [d, d.endsWith('th') ? chrf.th : chrf.ja]),
  ) as EndpointReport['translation']['chrf'];
  return {
    name,
    model: `${name}-model`,
    origin: `http://${name}:8000`,
    seconds: 1,
    translation: {
      pairs: 1,
      chrf: directions,
      legs: Object.fromEntries(LEGS.map((l) => [l, leg])) as EndpointReport['translation']['legs'],
      score: (chrf.th + chrf.ja) / 2,
    },
    understanding: {
      requests: 1,
      facets: Object.fromEntries(
        FACETS.map((f) => [f, { scored: 1, correct: 1, accuracy: understanding }]),
      ) as EndpointReport['understanding']['facets'],
      fallbackRate: 0,
      latencyMs: { p50: 1, p95: 1 },
      tokensPerRequest: 1,
      score: understanding,
      misses: [],
    },
    replies: {
      requests: 3,
      outputCheckRate: 1,
      inLanguageRate: 1,
      groundedRate: 1,
      passRate: 1,
      byLang: {
        ja: { requests: 1, passRate: 1 },
        th: { requests: 1, passRate: 1 },
        en: { requests: 1, passRate: 1 },
      },
      outcomes: { passed: 3 },
      latencyMs: { p50: 1, p95: 1 },
      tokensPerReply: 1,
      details: [],
    },
  };
}

describe('ranking and routing', () => {
  const typhoon = endpoint('typhoon', { th: 60, ja: 20 }, 0.7);
  const elyza = endpoint('elyza', { th: 25, ja: 55 }, 0.9);

  it('ranks best first and routes each output language to its best endpoint, with the reason', () => {
    expect(rank([typhoon, elyza], 'translation')).toEqual(['typhoon', 'elyza']);
    expect(rank([typhoon, elyza], 'understanding')).toEqual(['elyza', 'typhoon']);
    const { routing, languageScores } = suggestRouting([typhoon, elyza]);
    expect(routing).toMatchObject({ LLM: 'elyza', LLM_TH: 'typhoon', LLM_JA: 'elyza' });
    expect(languageScores.typhoon.th).toBe(80); // mean of chrF++ into Thai (60) and Thai replies shown (100)
    expect(routing.reasons[0]).toMatch(
      /^LLM_TH_\* → typhoon: Thai score 80\.0 \(chrF\+\+ into Thai ja→th 60\.0/,
    );
    expect(routing.env).toEqual([
      'LLM_BASE_URL=http://elyza:8000…  LLM_MODEL=elyza-model',
      'LLM_TH_BASE_URL=http://typhoon:8000…  LLM_TH_MODEL=typhoon-model',
    ]);
  });

  it('prints a table per endpoint and task', () => {
    const { routing, languageScores } = suggestRouting([typhoon, elyza]);
    const text = formatReport({
      generatedAt: '',
      sample: 5,
      data: { pairs: 1, understandingRequests: 1, replyRequests: 3 },
      endpoints: [typhoon, elyza],
      ranking: {
        translation: ['typhoon', 'elyza'],
        understanding: ['elyza', 'typhoon'],
        replies: ['typhoon', 'elyza'],
      },
      languageScores,
      routing,
      notes: [],
    });
    expect(text).toContain('== typhoon (typhoon-model at http://typhoon:8000');
    expect(text).toMatch(/ja→en→th\s+60\.00/);
    expect(text).toMatch(/understanding\s+elyza \(90\.0%\) > typhoon \(70\.0%\)/);
  });
});
