import { Module } from '@nestjs/common';
import { CompaniesModule } from '../companies/companies.module';
import { ConversationModule } from '../conversation/conversation.module';
import { MatchingModule } from '../matching/matching.module';
import { RelayModule } from '../relay/relay.module';
import { TranslationModule } from '../translation/translation.module';
import { ChatRouter } from './chat-router.service';
import { IntroductionRepository } from './introduction.repository';
import { IntroductionWorker } from './introduction.worker';
import { IntroductionsController } from './introductions.controller';
import { IntroductionsService } from './introductions.service';

/**
 * Introductions: requests from the chat (card buttons or in words), the target told through its linked chat
 * users or the staff queue, accept/decline/ask staff, expiry and rate limits, the staff API. An accepted request
 * opens a deal room (RelayModule). Registers the router the conversation engine consults first.
 */
@Module({
  imports: [CompaniesModule, ConversationModule, MatchingModule, RelayModule, TranslationModule],
  controllers: [IntroductionsController],
  providers: [IntroductionRepository, IntroductionWorker, IntroductionsService, ChatRouter],
  exports: [IntroductionsService, IntroductionWorker],
})
export class IntroductionsModule {}
