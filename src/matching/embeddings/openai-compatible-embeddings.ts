import { Embeddings } from '@langchain/core/embeddings';
import type { EmbeddingModel } from './embedding-model';

export interface OpenAiEmbeddingsOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  dimensions: number;
  batchSize: number;
  timeoutMs: number;
  maxRetries?: number;
  /** Whether to send `dimensions` (models with Matryoshka heads honour it; TEI rejects it for others). */
  sendDimensions?: boolean;
}

export class EmbeddingsHttpError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'EmbeddingsHttpError';
  }
}

/**
 * Any OpenAI-compatible `/v1/embeddings` server: BGE-M3 or multilingual-e5 on TEI, vLLM or Ollama. Batches the
 * inputs, times out each call, retries 429/5xx/network errors with exponential backoff and jitter (honouring
 * Retry-After), and checks that the server returns vectors of the configured dimension.
 */
export class OpenAiCompatibleEmbeddings extends Embeddings implements EmbeddingModel {
  readonly modelId: string;
  readonly dimensions: number;

  constructor(private readonly options: OpenAiEmbeddingsOptions) {
    super({ maxRetries: 0 });
    this.modelId = `openai:${options.model}:d${options.dimensions}`;
    this.dimensions = options.dimensions;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += this.options.batchSize) {
      out.push(...(await this.withRetries(() => this.call(texts.slice(i, i + this.options.batchSize)))));
    }
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [v] = await this.withRetries(() => this.call([text]));
    return v;
  }

  private async call(input: string[]): Promise<number[][]> {
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/embeddings`;
    const body: Record<string, unknown> = { model: this.options.model, input, encoding_format: 'float' };
    if (this.options.sendDimensions) body.dimensions = this.options.dimensions;
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    if (!res.ok) {
      const err = new EmbeddingsHttpError(`embeddings server answered ${res.status}`, res.status);
      (err as EmbeddingsHttpError & { retryAfter?: string | null }).retryAfter =
        res.headers.get('retry-after');
      throw err;
    }
    const json = (await res.json()) as { data?: Array<{ embedding?: unknown; index?: number }> };
    if (!Array.isArray(json.data) || json.data.length !== input.length) {
      throw new EmbeddingsHttpError(
        `embeddings server returned ${json.data?.length ?? 'no'} vectors for ${input.length} inputs`,
      );
    }
    const sorted = [...json.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return sorted.map((d) => {
      const v = d.embedding;
      if (!Array.isArray(v) || v.length !== this.dimensions || !v.every((x) => typeof x === 'number')) {
        throw new EmbeddingsHttpError(
          `embeddings server returned a vector of ${Array.isArray(v) ? v.length : 'no'} dimensions; EMBEDDINGS_DIMENSIONS is ${this.dimensions}`,
        );
      }
      return normalise(v);
    });
  }

  private async withRetries<T>(fn: () => Promise<T>): Promise<T> {
    const max = this.options.maxRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const status = (err as EmbeddingsHttpError).status;
        const retriable =
          status === undefined ? !(err instanceof EmbeddingsHttpError) : status === 429 || status >= 500;
        if (!retriable || attempt >= max) throw err;
        const retryAfter = Number((err as { retryAfter?: string | null }).retryAfter);
        const backoff =
          Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 200 * 2 ** attempt;
        await new Promise((r) => setTimeout(r, Math.min(backoff, 30000) * (0.8 + Math.random() * 0.4)));
      }
    }
  }
}

/** Cosine search assumes unit vectors; some servers do not normalise. */
function normalise(v: number[]): number[] {
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / n);
}
