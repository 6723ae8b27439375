import { EndpointsFileError, endpointsFromConfig, parseEndpoints } from './endpoints-file';
import { loadConfig } from '../../config/app-config';

describe('parseEndpoints', () => {
  it('reads an array or {endpoints}, names default to the model, keys may come from the environment', () => {
    const list = parseEndpoints(
      JSON.stringify([
        { baseUrl: 'http://vllm:8001/v1', model: 'typhoon' },
        { name: 'elyza', baseUrl: 'http://vllm:8002/v1', model: 'elyza-8b', apiKeyEnv: 'ELYZA_KEY' },
      ]),
      'e.json',
      { ELYZA_KEY: 'k-1' },
    );
    expect(list).toEqual([
      {
        name: 'typhoon',
        baseUrl: 'http://vllm:8001/v1',
        model: 'typhoon',
        apiKey: undefined,
        extraBody: undefined,
      },
      {
        name: 'elyza',
        baseUrl: 'http://vllm:8002/v1',
        model: 'elyza-8b',
        apiKey: 'k-1',
        extraBody: undefined,
      },
    ]);
    expect(
      parseEndpoints(JSON.stringify({ endpoints: [{ baseUrl: 'http://a/v1', model: 'm' }] }), 'e.json', {}),
    ).toHaveLength(1);
  });

  it('says exactly what is wrong', () => {
    const error = (text: string, env = {}) => {
      try {
        parseEndpoints(text, 'e.json', env);
      } catch (err) {
        expect(err).toBeInstanceOf(EndpointsFileError);
        return (err as Error).message;
      }
      throw new Error('no error');
    };
    expect(error('{')).toMatch(/^e\.json: not valid JSON/);
    expect(error('[]')).toMatch(/e\.json: expected an array/);
    expect(error(JSON.stringify([{ baseUrl: 'nope', model: '' }]))).toMatch(/0\.baseUrl[\s\S]*0\.model/);
    expect(error(JSON.stringify([{ baseUrl: 'http://a/v1', model: 'm', apiKeyEnv: 'MISSING' }]))).toMatch(
      /MISSING is not set/,
    );
    expect(
      error(
        JSON.stringify([
          { baseUrl: 'http://a/v1', model: 'm' },
          { baseUrl: 'http://b/v1', model: 'm' },
        ]),
      ),
    ).toMatch(/two endpoints are named "m"/);
    expect(error(JSON.stringify([{ baseUrl: 'http://a/v1', model: 'm', key: 'x' }]))).toMatch(/key/);
  });
});

describe('endpointsFromConfig', () => {
  it('lists each distinct endpoint of the current configuration once', () => {
    const config = loadConfig({
      LLM_BASE_URL: 'http://vllm-ja:8002/v1',
      LLM_MODEL: 'elyza',
      LLM_TH_BASE_URL: 'http://vllm-th:8001/v1',
      LLM_TH_MODEL: 'typhoon',
      LLM_JA_MODEL: 'elyza',
    });
    expect(endpointsFromConfig(config).map((e) => [e.name, e.model])).toEqual([
      ['LLM+LLM_JA', 'elyza'],
      ['LLM_TH', 'typhoon'],
    ]);
    expect(endpointsFromConfig(loadConfig({}))).toEqual([]);
  });
});
