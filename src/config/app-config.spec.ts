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

  it('limits each model’s request rate, with per-language overrides (0 = no limit)', () => {
    const base = {
      LLM_BASE_URL: 'http://llm.local/v1',
      LLM_MODEL: 'general',
      LLM_TH_BASE_URL: 'https://api.opentyphoon.ai/v1',
      LLM_TH_MODEL: 'typhoon',
      LLM_JA_MODEL: 'elyza',
    };
    const none = loadConfig(base);
    expect(none.llm.default?.maxRequestsPerSecond).toBe(0);
    expect(none.llm.byOutputLang.th?.maxRequestsPerSecond).toBe(0);
    const c = loadConfig({ ...base, LLM_MAX_REQUESTS_PER_SECOND: '20', LLM_TH_MAX_REQUESTS_PER_SECOND: '5' });
    expect(c.llm.default?.maxRequestsPerSecond).toBe(20);
    expect(c.llm.byOutputLang.th?.maxRequestsPerSecond).toBe(5);
    expect(c.llm.byOutputLang.ja?.maxRequestsPerSecond).toBe(20);
    expect(
      loadConfig({ ...base, LLM_MAX_REQUESTS_PER_SECOND: '5', LLM_JA_MAX_REQUESTS_PER_SECOND: '0' }).llm
        .byOutputLang.ja?.maxRequestsPerSecond,
    ).toBe(0);
    expect(() => loadConfig({ ...base, LLM_TH_MAX_REQUESTS_PER_SECOND: '2.5' })).toThrow(
      /LLM_TH_MAX_REQUESTS_PER_SECOND/,
    );
  });

  it('keeps rate limits in the database with DATABASE_URL, in memory on the embedded database', () => {
    expect(loadConfig({}).operations.rateLimitStore).toBe('memory');
    expect(loadConfig({ DATABASE_URL: 'postgres://db/k' }).operations.rateLimitStore).toBe('database');
    expect(
      loadConfig({ DATABASE_URL: 'postgres://db/k', RATE_LIMIT_STORE: 'memory' }).operations.rateLimitStore,
    ).toBe('memory');
    expect(loadConfig({ RATE_LIMIT_STORE: 'database' }).operations.rateLimitStore).toBe('database');
    expect(() => loadConfig({ RATE_LIMIT_STORE: 'redis' })).toThrow(/RATE_LIMIT_STORE/);
  });

  it('rejects LLM_EXTRA_BODY that is not a JSON object', () => {
    expect(() => loadConfig({ LLM_EXTRA_BODY: '[1]' })).toThrow(/LLM_EXTRA_BODY/);
  });
});
