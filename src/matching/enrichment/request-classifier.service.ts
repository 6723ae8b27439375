import { Inject, Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { LlmService } from '../../llm/llm.service';
import type { Lexicon } from '../lexicon/lexicon';
import type { ReadBusiness } from '../taxonomy/business-reader';

const requestAnswer = z.object({
  businesses: z
    .array(z.object({ code: z.string().regex(/^\d{2,5}$/), confidence: z.number().min(0).max(1) }))
    .max(5),
});

const CACHE_MAX = 500;
/** A request waits at most this long for the model; then it is answered without a kind of business. */
const TIMEOUT_MS = 8000;

/**
 * The model pass over requests the rules read no kind of business from ("a partner for our new line of
 * business", unusual wording): with an LLM configured, the classify-request prompt names TSIC codes, checked
 * against the taxonomy. Answers are cached per text; a slow, failing or absent model answers "none", and the
 * request is matched by words and concepts as before.
 */
@Injectable()
export class RequestClassifierService {
  private readonly logger = new Logger('RequestClassifier');
  private readonly cache = new Map<string, Promise<ReadBusiness[]>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly llm: LlmService,
  ) {}

  get enabled(): boolean {
    return this.llm.configured && this.config.llm.classifyRequests;
  }

  classify(text: string, lexicon: Lexicon): Promise<ReadBusiness[]> {
    if (!this.enabled) return Promise.resolve([]);
    const key = `${lexicon.version}|${text}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const value = this.ask(text, lexicon).then((answer) => {
      // "None" because the model failed or timed out is not an answer to keep: the next asker tries again.
      if (answer === undefined) this.cache.delete(key);
      return answer ?? [];
    });
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, value);
    return value;
  }

  /** The model's reading; undefined when it could not give one (failed, timed out, unusable answer). */
  private async ask(text: string, lexicon: Lexicon): Promise<ReadBusiness[] | undefined> {
    const taxonomy = lexicon.taxonomy;
    const divisions = taxonomy.codes
      .filter((c) => /^\d{2}$/.test(c.code))
      .map((c) => `${c.code}: ${c.labels.en}`)
      .join('\n');
    try {
      const result = await this.llm.extract(
        'classify-request',
        { candidates: divisions, request: text },
        requestAnswer,
        { signal: AbortSignal.timeout(TIMEOUT_MS), fallback: () => ({ businesses: [] }) },
      );
      if (result.source === 'fallback') return undefined;
      return result.value.businesses
        .filter((b) => taxonomy.has(b.code))
        .slice(0, 3)
        .map((b) => ({ code: b.code, weight: b.confidence, conceptId: 'model', terms: [] }));
    } catch (err) {
      this.logger.warn({ msg: 'request classification failed', error: (err as Error).message });
      return undefined;
    }
  }
}
