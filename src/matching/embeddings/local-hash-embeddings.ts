import { Embeddings } from '@langchain/core/embeddings';
import { charNgrams, keywordTokens } from '../../language';
import type { EmbeddingModel } from './embedding-model';

/**
 * The offline default: a deterministic "hashing trick" embedding of keyword tokens and character n-grams,
 * L2-normalised. No weights, no network, identical on every machine. It captures lexical and sub-word
 * similarity within a language; it does not know that 自動車 and ยานยนต์ mean the same thing (the concept
 * arm bridges languages; a multilingual model such as BGE-M3 can be plugged in with EMBEDDINGS_PROVIDER=openai).
 */
export class LocalHashEmbeddings extends Embeddings implements EmbeddingModel {
  readonly modelId: string;

  constructor(readonly dimensions = 256) {
    super({});
    this.modelId = `local-hash-v1-d${dimensions}`;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.vector(t));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.vector(text);
  }

  vector(text: string): number[] {
    const v = new Float64Array(this.dimensions);
    const add = (feature: string, weight: number) => {
      const h = fnv1a(feature);
      // The sign bit spreads collisions evenly around zero instead of piling them up.
      v[h % this.dimensions] += h & 0x80000000 ? -weight : weight;
    };
    for (const token of keywordTokens(text)) add(`w:${token}`, 1);
    for (const gram of charNgrams(text, [2, 3])) add(`g:${gram}`, 0.35);
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    return Array.from(v, (x) => x / norm);
  }
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
