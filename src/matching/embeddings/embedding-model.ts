/**
 * What the matcher needs from an embedding model, in product terms. Implementations are LangChain
 * `Embeddings` (see the adapters beside this file), so any LangChain embedding class can be dropped in.
 */
export interface EmbeddingModel {
  /** Recorded with every stored vector; search only compares vectors of the same model id. */
  readonly modelId: string;
  readonly dimensions: number;
  embedDocuments(texts: string[]): Promise<number[][]>;
  embedQuery(text: string): Promise<number[]>;
}

export const EMBEDDING_MODEL = Symbol('EMBEDDING_MODEL');
