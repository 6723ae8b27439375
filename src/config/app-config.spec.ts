import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c.http.port).toBe(3000);
    expect(c.database.url).toBeUndefined();
    expect(c.database.dataDir).toMatch(/data$/);
    expect(c.llm.default).toBeUndefined();
    expect(c.embeddings.provider).toBe('local');
  });

  it('lists every problem in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', EMBEDDINGS_PROVIDER: 'magic' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('PORT');
    expect(problems).toContain('DATABASE_URL');
    expect(problems).toContain('EMBEDDINGS_PROVIDER');
  });

  it('routes Thai and Japanese output to their own models when configured', () => {
    const c = loadConfig({
      LLM_BASE_URL: 'http://llm.local/v1',
      LLM_MODEL: 'general',
      LLM_TH_MODEL: 'typhoon',
      LLM_JA_BASE_URL: 'http://ja.local/v1',
      LLM_JA_MODEL: 'elyza',
    });
    expect(c.llm.byOutputLang.th).toMatchObject({ baseUrl: 'http://llm.local/v1', model: 'typhoon' });
    expect(c.llm.byOutputLang.ja?.baseUrl).toBe('http://ja.local/v1');
  });

  it('rejects LLM_EXTRA_BODY that is not a JSON object', () => {
    expect(() => loadConfig({ LLM_EXTRA_BODY: '[1]' })).toThrow(/LLM_EXTRA_BODY/);
  });
});
