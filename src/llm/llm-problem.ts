import type { Response } from 'express';
import { ProblemException } from '../common/problem';
import { LlmCallError, LlmUnavailableError } from './llm.types';

/**
 * Turns LLM errors into localized problem+json answers. The message language follows Accept-Language
 * (ja, th, en; English otherwise), since these reach partner sites and chat users, not only staff.
 */
type UiLang = 'ja' | 'th' | 'en';

const MESSAGES: Record<string, Record<UiLang, { title: string; detail: string }>> = {
  'translation-not-configured': {
    en: {
      title: 'Translation is not available',
      detail: 'Translation is not configured on this server: no language model has been set up.',
    },
    ja: {
      title: '翻訳は利用できません',
      detail: 'このサーバーでは翻訳が設定されていません（言語モデルが未設定です）。',
    },
    th: {
      title: 'ไม่สามารถใช้บริการแปลภาษาได้',
      detail: 'เซิร์ฟเวอร์นี้ยังไม่ได้ตั้งค่าการแปลภาษา (ยังไม่ได้กำหนดโมเดลภาษา)',
    },
  },
  'llm-not-configured': {
    en: {
      title: 'Text generation is not available',
      detail: 'No language model is configured on this server, so text cannot be generated.',
    },
    ja: {
      title: '文章生成は利用できません',
      detail: 'このサーバーには言語モデルが設定されていないため、文章を生成できません。',
    },
    th: {
      title: 'ไม่สามารถสร้างข้อความได้',
      detail: 'เซิร์ฟเวอร์นี้ยังไม่ได้กำหนดโมเดลภาษา จึงไม่สามารถสร้างข้อความได้',
    },
  },
  'llm-temporarily-unavailable': {
    en: {
      title: 'Language model temporarily unavailable',
      detail: 'The language model is not responding right now. Please try again in a little while.',
    },
    ja: {
      title: '言語モデルが一時的に利用できません',
      detail: '現在、言語モデルが応答していません。しばらくしてから再度お試しください。',
    },
    th: {
      title: 'โมเดลภาษาไม่พร้อมใช้งานชั่วคราว',
      detail: 'ขณะนี้โมเดลภาษาไม่ตอบสนอง โปรดลองใหม่อีกครั้งในภายหลัง',
    },
  },
  'llm-call-failed': {
    en: {
      title: 'The language model did not answer',
      detail: 'The language model failed to answer after several attempts. Please try again.',
    },
    ja: {
      title: '言語モデルから応答がありません',
      detail: '何度か試みましたが、言語モデルから応答を得られませんでした。もう一度お試しください。',
    },
    th: {
      title: 'โมเดลภาษาไม่ตอบกลับ',
      detail: 'โมเดลภาษาไม่สามารถตอบกลับได้หลังจากพยายามหลายครั้ง โปรดลองอีกครั้ง',
    },
  },
};

/** The best of ja/th/en for an Accept-Language header (q-values respected), English by default. */
export function preferredUiLang(acceptLanguage: string | undefined): UiLang {
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)).find(Boolean);
      return { lang: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q[1]) : 1, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  const hit = ranked.find((x) => x.lang === 'ja' || x.lang === 'th' || x.lang === 'en');
  return (hit?.lang as UiLang | undefined) ?? 'en';
}

/**
 * The problem for an LLM error, or undefined when `err` is not one. `feature` picks the wording of the
 * not-configured case ("translation is not configured" vs "text generation is not available").
 */
export function llmProblem(
  err: unknown,
  acceptLanguage: string | undefined,
  feature: 'translation' | 'generation' = 'generation',
): ProblemException | undefined {
  const lang = preferredUiLang(acceptLanguage);
  if (err instanceof LlmUnavailableError) {
    if (err.reason === 'not-configured') {
      const key = feature === 'translation' ? 'translation-not-configured' : 'llm-not-configured';
      const m = MESSAGES[key][lang];
      return new ProblemException(503, key, m.title, m.detail, { lang });
    }
    const m = MESSAGES['llm-temporarily-unavailable'][lang];
    return new ProblemException(503, 'llm-temporarily-unavailable', m.title, m.detail, {
      lang,
      retryAfterSeconds: Math.max(1, Math.ceil((err.retryAfterMs ?? 1000) / 1000)),
    });
  }
  if (err instanceof LlmCallError) {
    const m = MESSAGES['llm-call-failed'][lang];
    const status = err.kind === 'timeout' ? 504 : err.kind === 'rate-limited' ? 503 : 502;
    return new ProblemException(status, 'llm-call-failed', m.title, m.detail, { lang, reason: err.kind });
  }
  return undefined;
}

/**
 * Answers an expected LLM condition (not configured, circuit open, provider failed) as problem+json directly,
 * so it is not logged as a server error on every request. Returns the body for a passthrough response.
 */
export function sendLlmProblem(
  res: Response,
  problem: ProblemException,
  instance?: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = { ...problem.problem, ...(instance ? { instance } : {}) };
  const retry = body.retryAfterSeconds;
  if (typeof retry === 'number') res.setHeader('Retry-After', String(retry));
  res.status(problem.getStatus()).type('application/problem+json');
  return body;
}
