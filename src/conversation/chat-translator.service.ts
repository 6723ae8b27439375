import { Injectable } from '@nestjs/common';
import type { Lang } from '../companies/company-profile.schema';
import { TranslationService } from '../translation/translation.service';

/**
 * "Translate this" in the chat, through the product's translation service (glossary, post-checks, cache, model
 * routed by target language). Throws LlmUnavailableError when no model can translate, so the caller says so in
 * the user's language.
 */
@Injectable()
export class ChatTranslator {
  constructor(private readonly translation: TranslationService) {}

  async translate(text: string, from: Lang, to: Lang, signal?: AbortSignal): Promise<string> {
    const result = await this.translation.translate({ text, from, to, context: 'message', signal });
    return result.translation.trim();
  }
}
