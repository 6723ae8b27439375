import { type FakeOpenAiServer, startFakeOpenAiServer } from '../../../test/support/fake-openai-server';
import { EmbeddingsHttpError, OpenAiCompatibleEmbeddings } from './openai-compatible-embeddings';

/** The OpenAI-compatible embeddings provider against a real local HTTP server. */
describe('OpenAiCompatibleEmbeddings', () => {
  let fake: FakeOpenAiServer;
  const make = (over: Partial<ConstructorParameters<typeof OpenAiCompatibleEmbeddings>[0]> = {}) =>
    new OpenAiCompatibleEmbeddings({
      baseUrl: `${fake.url}/v1`,
      model: 'bge-m3',
      apiKey: 'secret-key',
      dimensions: 8,
      batchSize: 3,
      timeoutMs: 2000,
      ...over,
    });

  beforeEach(async () => {
    fake = await startFakeOpenAiServer();
  });
  afterEach(() => fake.close());

  it('batches inputs, sends the model and key, and returns unit vectors in input order', async () => {
    const vectors = await make().embedDocuments(['a', 'b', 'c', 'd', 'e']);
    expect(vectors).toHaveLength(5);
    for (const v of vectors) expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    const calls = fake.embeddingRequests();
    expect(calls.map((c) => c.body.input)).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    expect(calls[0].body.model).toBe('bge-m3');
    expect(calls[0].headers.authorization).toBe('Bearer secret-key');
    expect(calls[0].body.dimensions).toBeUndefined();
  });

  it('records the model in its id so vectors of two models are never compared', () => {
    expect(make().modelId).toBe('openai:bge-m3:d8');
    expect(make({ model: 'multilingual-e5-large' }).modelId).not.toBe(make().modelId);
  });

  it('retries 429 (honouring Retry-After) and 5xx, then succeeds', async () => {
    fake.enqueueEmbeddings({ status: 429, headers: { 'retry-after': '1' } }, { status: 503 });
    const started = Date.now();
    const v = await make().embedQuery('hello');
    expect(v).toHaveLength(8);
    expect(fake.embeddingRequests()).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(750);
  });

  it('does not retry a 400 and reports the status', async () => {
    fake.enqueueEmbeddings({ status: 400 });
    await expect(make().embedQuery('x')).rejects.toMatchObject({ status: 400 });
    expect(fake.embeddingRequests()).toHaveLength(1);
  });

  it('times out a slow server and retries a bounded number of times', async () => {
    fake.setDefaultDelay(500);
    await expect(make({ timeoutMs: 100, maxRetries: 1 }).embedQuery('x')).rejects.toThrow();
    expect(fake.embeddingRequests()).toHaveLength(2);
  });

  it('rejects vectors of the wrong dimension with a message naming the setting', async () => {
    fake.enqueueEmbeddings({ embeddings: [[1, 0, 0]] });
    await expect(make().embedQuery('x')).rejects.toThrow(EmbeddingsHttpError);
    fake.enqueueEmbeddings({ embeddings: [[1, 0, 0]] });
    await expect(make().embedQuery('x')).rejects.toThrow(/EMBEDDINGS_DIMENSIONS is 8/);
  });
});
