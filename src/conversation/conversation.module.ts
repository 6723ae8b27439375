import { Module } from '@nestjs/common';
import { CompaniesModule } from '../companies/companies.module';
import { LlmModule } from '../llm/llm.module';
import { MatchingModule } from '../matching/matching.module';
import { TranslationModule } from '../translation/translation.module';
import { ChatTranslator } from './chat-translator.service';
import { ConversationRouting } from './conversation-router';
import { ConversationRepository } from './conversation.repository';
import { ConversationService } from './conversation.service';
import { PartnerSearchService } from './partner-search.service';

/** The channel-neutral conversation engine; channels (LINE, web chat) import it and call `handle`. */
@Module({
  imports: [CompaniesModule, MatchingModule, LlmModule, TranslationModule],
  providers: [
    ConversationRepository,
    PartnerSearchService,
    ChatTranslator,
    ConversationRouting,
    ConversationService,
  ],
  exports: [ConversationService, ConversationRouting],
})
export class ConversationModule {}
