import type { Lang } from '../../config/app-config';
import type { ReplyReport } from './reply-task';
import { FACETS, type UnderstandingReport } from './understanding-task';
import { LEGS, OUTPUT_LANG, SCORED_DIRECTIONS, type TranslationReport } from './translation-task';
import { mean, round } from './stats';

export interface EndpointReport {
  name: string;
  model: string;
  /** scheme://host:port only: never a key or a path with credentials. */
  origin: string;
  seconds: number;
  translation: TranslationReport;
  understanding: UnderstandingReport;
  replies: ReplyReport;
}

export type TaskName = 'translation' | 'understanding' | 'replies';

export interface RoutingSuggestion {
  /** Env prefix → endpoint name. */
  LLM: string;
  LLM_TH: string;
  LLM_JA: string;
  /** The lines to set, with placeholders for keys. */
  env: string[];
  reasons: string[];
}

export interface EvaluationReport {
  generatedAt: string;
  sample: number | null;
  data: { pairs: number; understandingRequests: number; replyRequests: number };
  endpoints: EndpointReport[];
  /** Endpoint names, best first, per task. */
  ranking: Record<TaskName, string[]>;
  /** Per output language: the score behind the routing (0–100). */
  languageScores: Record<string, Record<'th' | 'ja' | 'default', number>>;
  routing: RoutingSuggestion;
  notes: string[];
}

const taskScore: Record<TaskName, (e: EndpointReport) => number> = {
  translation: (e) => e.translation.score,
  understanding: (e) => e.understanding.score,
  replies: (e) => e.replies.passRate,
};

/** Best first; ties keep the order of the endpoints file. */
export function rank(endpoints: readonly EndpointReport[], task: TaskName): string[] {
  return endpoints
    .map((e, i) => ({ e, i }))
    .sort((a, b) => taskScore[task](b.e) - taskScore[task](a.e) || a.i - b.i)
    .map(({ e }) => e.name);
}

/**
 * How well an endpoint writes one output language, 0–100: the mean of chrF++ over the directions that end in that
 * language and of the share of replies in it that were shown. `default` (LLM_*: English and language-neutral
 * calls such as reading requests) is the mean of understanding accuracy and of the English replies.
 */
export function languageScore(e: EndpointReport, lang: 'th' | 'ja' | 'default'): number {
  if (lang === 'default') {
    const parts = [100 * e.understanding.score];
    if (e.replies.byLang.en) parts.push(100 * e.replies.byLang.en.passRate);
    return round(mean(parts), 2);
  }
  const chrf = mean(
    SCORED_DIRECTIONS.filter((d) => OUTPUT_LANG[d] === lang).map((d) => e.translation.chrf[d]),
  );
  const parts = [chrf];
  const replies = e.replies.byLang[lang as Lang];
  if (replies) parts.push(100 * replies.passRate);
  return round(mean(parts), 2);
}

const LABEL = { th: 'Thai', ja: 'Japanese', default: 'English and request reading' } as const;

export function suggestRouting(endpoints: readonly EndpointReport[]): {
  routing: RoutingSuggestion;
  languageScores: EvaluationReport['languageScores'];
} {
  const languageScores = Object.fromEntries(
    endpoints.map((e) => [
      e.name,
      { th: languageScore(e, 'th'), ja: languageScore(e, 'ja'), default: languageScore(e, 'default') },
    ]),
  );
  const best = (lang: 'th' | 'ja' | 'default') =>
    [...endpoints].sort((a, b) => languageScores[b.name][lang] - languageScores[a.name][lang])[0];
  const chosen = { default: best('default'), th: best('th'), ja: best('ja') };
  const reasons = (['th', 'ja', 'default'] as const).map((lang) => {
    const winner = chosen[lang];
    const others = endpoints
      .filter((e) => e !== winner)
      .map((e) => `${e.name} ${languageScores[e.name][lang].toFixed(1)}`);
    const detail =
      lang === 'default'
        ? `understanding ${(100 * winner.understanding.score).toFixed(1)}%` +
          (winner.replies.byLang.en
            ? `, English replies shown ${(100 * winner.replies.byLang.en.passRate).toFixed(0)}%`
            : '')
        : `chrF++ into ${LABEL[lang]} ` +
          SCORED_DIRECTIONS.filter((d) => OUTPUT_LANG[d] === lang)
            .map((d) => `${d} ${winner.translation.chrf[d].toFixed(1)}`)
            .join(', ') +
          (winner.replies.byLang[lang]
            ? `; ${LABEL[lang]} replies shown ${(100 * winner.replies.byLang[lang].passRate).toFixed(0)}%`
            : '');
    const prefix = lang === 'default' ? 'LLM_*' : `LLM_${lang.toUpperCase()}_*`;
    return `${prefix} → ${winner.name}: ${LABEL[lang]} score ${languageScores[winner.name][lang].toFixed(1)} (${detail})${others.length ? `; others: ${others.join(', ')}` : ''}`;
  });
  const env = [
    `LLM_BASE_URL=${chosen.default.origin}…  LLM_MODEL=${chosen.default.model}`,
    ...(['th', 'ja'] as const)
      .filter((lang) => chosen[lang] !== chosen.default)
      .map(
        (lang) =>
          `LLM_${lang.toUpperCase()}_BASE_URL=${chosen[lang].origin}…  LLM_${lang.toUpperCase()}_MODEL=${chosen[lang].model}`,
      ),
  ];
  if (chosen.th === chosen.default && chosen.ja === chosen.default)
    env.push('(one endpoint is best for every output language: no LLM_TH_* / LLM_JA_* needed)');
  return {
    routing: { LLM: chosen.default.name, LLM_TH: chosen.th.name, LLM_JA: chosen.ja.name, env, reasons },
    languageScores,
  };
}

function table(header: string[], rows: string[][]): string {
  const width = (s: string) => [...s].length;
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]))));
  const fmt = (row: string[]) =>
    row
      .map((c, i) => c + ' '.repeat(widths[i] - width(c)))
      .join('  ')
      .trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n') + '\n';
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The printed report: one table per endpoint and task, then the rankings and the suggested routing. */
export function formatReport(report: EvaluationReport): string {
  const out: string[] = [];
  out.push(
    `eval:llm — ${report.endpoints.length} endpoint(s); ${report.data.pairs} TALPCo pairs, ` +
      `${report.data.understandingRequests} understanding requests, ${report.data.replyRequests} reply requests` +
      (report.sample !== null ? ` (--sample ${report.sample})` : ''),
    '',
  );
  for (const e of report.endpoints) {
    out.push(`== ${e.name} (${e.model} at ${e.origin}; ${e.seconds.toFixed(1)} s)`, '');
    out.push('Translation: chrF++ against TALPCo (English scored through pivot chains and round trips)');
    out.push(
      table(
        ['direction', 'chrF++'],
        SCORED_DIRECTIONS.map((d) => [d, e.translation.chrf[d].toFixed(2)]),
      ),
    );
    out.push(
      table(
        ['leg', 'sentences', 'post-check', 'delivered', 'failed', 'p50 ms', 'p95 ms', 'tokens/sent', 'pivot'],
        LEGS.map((l) => {
          const s = e.translation.legs[l];
          // A leg never asked (its English input was unusable) has no figures rather than zeros.
          if (s.sentences === 0) return [l, '0', '-', '-', '-', '-', '-', '-', '-'];
          return [
            l,
            String(s.sentences),
            pct(s.checkPassRate),
            pct(s.deliveredRate),
            String(s.failed),
            s.latencyMs.p50.toFixed(0),
            s.latencyMs.p95.toFixed(0),
            s.tokensPerSentence.toFixed(0),
            s.pivot ? 'yes' : 'no',
          ];
        }),
      ),
    );
    const u = e.understanding;
    out.push(
      `Understanding: ${u.requests} requests, model answer unusable ${pct(u.fallbackRate)}, ` +
        `p50/p95 ${u.latencyMs.p50.toFixed(0)}/${u.latencyMs.p95.toFixed(0)} ms, ${u.tokensPerRequest.toFixed(0)} tokens/request`,
    );
    out.push(
      table(
        ['facet', 'scored', 'correct', 'accuracy'],
        [
          ...FACETS.map((f) => [
            f,
            String(u.facets[f].scored),
            String(u.facets[f].correct),
            pct(u.facets[f].accuracy),
          ]),
          ['mean', '', '', pct(u.score)],
        ],
      ),
    );
    const r = e.replies;
    out.push(
      `Grounded replies: ${r.requests} requests, p50/p95 ${r.latencyMs.p50.toFixed(0)}/${r.latencyMs.p95.toFixed(0)} ms, ` +
        `${r.tokensPerReply.toFixed(0)} tokens/reply; outcomes ${Object.entries(r.outcomes)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
    );
    out.push(
      table(
        [
          'output check',
          'in language',
          'grounded',
          'shown',
          ...Object.keys(r.byLang).map((l) => `shown ${l}`),
        ],
        [
          [
            pct(r.outputCheckRate),
            pct(r.inLanguageRate),
            pct(r.groundedRate),
            pct(r.passRate),
            ...Object.values(r.byLang).map((b) => pct(b.passRate)),
          ],
        ],
      ),
    );
  }
  out.push('== Ranking (best first)', '');
  out.push(
    table(
      ['task', 'ranking'],
      (Object.keys(report.ranking) as TaskName[]).map((t) => [
        t,
        report.ranking[t]
          .map((name) => {
            const e = report.endpoints.find((x) => x.name === name)!;
            const score = taskScore[t](e);
            return `${name} (${t === 'translation' ? score.toFixed(1) : pct(score)})`;
          })
          .join(' > '),
      ]),
    ),
  );
  out.push('== Suggested routing', '');
  out.push(...report.routing.reasons, '', ...report.routing.env.map((l) => `  ${l}`), '');
  if (report.notes.length) out.push(...report.notes.map((n) => `note: ${n}`), '');
  return out.join('\n');
}
