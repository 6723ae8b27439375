import { llmProblem, preferredUiLang } from './llm-problem';
import { LlmCallError, LlmUnavailableError } from './llm.types';

describe('preferredUiLang', () => {
  it.each([
    [undefined, 'en'],
    ['ja', 'ja'],
    ['th-TH,th;q=0.9,en;q=0.8', 'th'],
    ['fr-FR, en;q=0.5, ja;q=0.9', 'ja'],
    ['de', 'en'],
    ['ja;q=0, th', 'th'],
  ])('%s → %s', (header, lang) => expect(preferredUiLang(header)).toBe(lang));
});

describe('llmProblem', () => {
  it('says translation is not configured, in the caller’s language, as a 503', () => {
    const err = new LlmUnavailableError('not-configured', 'none');
    const ja = llmProblem(err, 'ja', 'translation')!;
    expect(ja.getStatus()).toBe(503);
    expect(ja.problem).toMatchObject({
      type: expect.stringContaining('translation-not-configured'),
      lang: 'ja',
    });
    expect(ja.problem.detail).toContain('翻訳が設定されていません');
    expect(llmProblem(err, 'th', 'translation')!.problem.detail).toContain('ยังไม่ได้ตั้งค่าการแปลภาษา');
    expect(llmProblem(err, undefined, 'translation')!.problem.detail).toContain('not configured');
  });

  it('an open circuit is a temporary 503 with a retry time; a failed call a 502/504', () => {
    const open = llmProblem(new LlmUnavailableError('circuit-open', 'x', 2500), 'en')!;
    expect(open.problem).toMatchObject({ status: 503, retryAfterSeconds: 3 });
    expect(llmProblem(new LlmCallError('timeout', 'x'), 'en')!.getStatus()).toBe(504);
    expect(llmProblem(new LlmCallError('server-error', 'x'), 'en')!.getStatus()).toBe(502);
    expect(llmProblem(new Error('other'), 'en')).toBeUndefined();
  });
});
