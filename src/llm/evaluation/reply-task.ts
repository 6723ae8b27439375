import type { Lang } from '../../config/app-config';
import type { ConversationService } from '../../conversation/conversation.service';
import { detectLanguage } from '../../language';
import type { CallMeter } from './call-meter';
import type { ReplyRequest } from './evaluation-data';
import { mean, percentile, round } from './stats';

/**
 * Grounded replies: each request is a new web-chat conversation's first message, handled by ConversationService
 * as a user's would be (understanding, matching over the seed profiles, the `chat-reply` prompt streamed through
 * the output check, the contact and company-name checks). The product shows a model-written reply only when it
 * passed all of them (`generated`); otherwise it falls back to its template, and the call record says why.
 *
 * - output check: the streamed answer was accepted by chatReplyJudge (not empty, no control characters or
 *   mojibake, no chat-template tokens or prompt leak, not too long, no loop, in the reader's language);
 * - language: the reply the product kept is in the language asked (a rejected answer counts as not);
 * - grounded: the product kept it, so it named no company outside the results and no invented contact.
 */

export type ReplyOutcome =
  'passed' | 'no-results' | 'not-asked' | 'call-failed' | 'output-check' | 'wrong-language' | 'ungrounded';

export interface ReplyReport {
  requests: number;
  outputCheckRate: number;
  inLanguageRate: number;
  groundedRate: number;
  /** Passed everything and was shown: the ranking score. */
  passRate: number;
  byLang: Partial<Record<Lang, { requests: number; passRate: number }>>;
  outcomes: Record<string, number>;
  latencyMs: { p50: number; p95: number };
  tokensPerReply: number;
  details: Array<{ id: string; outcome: ReplyOutcome; reason?: string }>;
}

export async function runReplyTask(
  conversation: ConversationService,
  meter: CallMeter,
  requests: readonly ReplyRequest[],
  options: { progress?: (done: number) => void; runId: string },
): Promise<ReplyReport> {
  const details: ReplyReport['details'] = [];
  const flags: Array<{ lang: Lang; check: boolean; inLang: boolean; grounded: boolean; passed: boolean }> =
    [];
  const latencies: number[] = [];
  const tokens: number[] = [];
  let done = 0;
  // One at a time: each turn is a conversation of its own, and the embedded database has one connection.
  for (const req of requests) {
    const started = performance.now();
    const r = await meter.settle(`reply:${req.id}`, () =>
      conversation.handle({
        channel: 'web',
        userId: `eval-llm-${options.runId}-${req.id}`,
        conversationId: `eval-llm-${options.runId}-${req.id}`,
        text: req.text,
        lang: req.lang,
        receivedAt: new Date(),
      }),
    );
    const replyCall = r.calls.filter((c) => c.task === 'chat-reply').at(-1);
    if (replyCall) {
      latencies.push(performance.now() - started);
      tokens.push(
        r.calls
          .filter((c) => c.task === 'chat-reply')
          .reduce((s, c) => s + (c.inputTokens ?? 0) + (c.outputTokens ?? 0), 0),
      );
    }
    const reply = r.value;
    const text = reply?.generated ? reply.texts.join('\n') : '';
    const rejected = replyCall?.errorKind?.startsWith('rejected_output:')
      ? replyCall.errorKind.slice('rejected_output:'.length)
      : undefined;
    const check = replyCall?.outcome === 'ok';
    const inLang =
      Boolean(reply?.generated) && reply!.lang === req.lang && detectLanguage(text).lang === req.lang;
    const grounded = Boolean(reply?.generated);
    let outcome: ReplyOutcome;
    let reason: string | undefined;
    if (r.error) [outcome, reason] = ['call-failed', r.error.name];
    else if (!reply?.cards?.length) outcome = 'no-results';
    else if (!replyCall) outcome = 'not-asked';
    else if (rejected === 'wrong-language') outcome = 'wrong-language';
    else if (rejected) [outcome, reason] = ['output-check', rejected];
    else if (!check) [outcome, reason] = ['call-failed', replyCall.errorKind ?? replyCall.outcome];
    else if (!grounded) outcome = 'ungrounded';
    else if (!inLang) outcome = 'wrong-language';
    else outcome = 'passed';
    details.push({ id: req.id, outcome, ...(reason ? { reason } : {}) });
    flags.push({ lang: req.lang, check, inLang, grounded, passed: outcome === 'passed' });
    options.progress?.(++done);
  }
  const n = requests.length;
  const share = (f: (x: (typeof flags)[number]) => boolean, list = flags) =>
    list.length === 0 ? 0 : round(list.filter(f).length / list.length, 4);
  const outcomes: Record<string, number> = {};
  for (const d of details) outcomes[d.outcome] = (outcomes[d.outcome] ?? 0) + 1;
  const byLang: ReplyReport['byLang'] = {};
  for (const lang of ['ja', 'th', 'en'] as const) {
    const list = flags.filter((f) => f.lang === lang);
    if (list.length) byLang[lang] = { requests: list.length, passRate: share((f) => f.passed, list) };
  }
  return {
    requests: n,
    outputCheckRate: share((f) => f.check),
    inLanguageRate: share((f) => f.inLang),
    groundedRate: share((f) => f.grounded),
    passRate: share((f) => f.passed),
    byLang,
    outcomes,
    latencyMs: { p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)) },
    tokensPerReply: round(mean(tokens)),
    details,
  };
}
