import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { EMBEDDING_MODEL, type EmbeddingModel } from './embedding-model';
import { LocalHashEmbeddings } from './local-hash-embeddings';
import { OpenAiCompatibleEmbeddings } from './openai-compatible-embeddings';

/** EMBEDDINGS_PROVIDER picks the model: `local` (offline default) or any OpenAI-compatible server. */
export function createEmbeddingModel(config: AppConfig['embeddings']): EmbeddingModel {
  if (config.provider === 'openai') {
    return new OpenAiCompatibleEmbeddings({
      baseUrl: config.baseUrl!,
      model: config.model!,
      apiKey: config.apiKey,
      dimensions: config.dimensions,
      batchSize: config.batchSize,
      timeoutMs: config.timeoutMs,
      sendDimensions: config.sendDimensions,
    });
  }
  return new LocalHashEmbeddings(config.dimensions);
}

export const embeddingModelProvider: Provider = {
  provide: EMBEDDING_MODEL,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => createEmbeddingModel(config.embeddings),
};
