import { Injectable } from '@nestjs/common';
import type { Lang } from '../companies/company-profile.schema';
import { LlmCallError } from '../llm/llm.types';
import { isUnusable } from '../translation/translation-checks';
import { TranslationService } from '../translation/translation.service';

/**
 * "Translate this" in the chat, through the product's translation service (glossary, post-checks, cache, model
 * routed by target language). Throws LlmUnavailableError when no model can translate, and LlmCallError when the
 * model's answer is not a translation at all (garbage, another language: the service's checks flag it), so the
 * caller says so in the user's language instead of showing it.
 */
@Injectable()
export class ChatTranslator {
  constructor(private readonly translation: TranslationService) {}

  async translate(text: string, from: Lang, to: Lang, signal?: AbortSignal): Promise<string> {
    const result = await this.translation.translate({ text, from, to, context: 'message', signal });
    if (isUnusable(result.violations)) {
      throw new LlmCallError(
        'invalid-output',
        'The translation failed its checks (not a usable translation)',
        {
          model: result.model ?? undefined,
        },
      );
    }
    return result.translation.trim();
  }
}
