import { Module } from '@nestjs/common';
import { CompaniesModule } from '../companies/companies.module';
import { ConversationModule } from '../conversation/conversation.module';
import { RelayModule } from '../relay/relay.module';
import { TranslationModule } from '../translation/translation.module';
import { RegistrationReviewService } from './registration-review.service';
import { RegistrationRouter } from './registration-router.service';
import { RegistrationRepository } from './registration.repository';
import { RegistrationService } from './registration.service';
import { RegistrationsController } from './registrations.controller';

/**
 * Firms join by themselves: the registration interview in chat (LINE and the widget), the staff review queue,
 * and the link from an approved firm's chat user to its new profile. Registers a router the conversation engine
 * consults before the bot reads a message.
 */
@Module({
  imports: [CompaniesModule, ConversationModule, RelayModule, TranslationModule],
  controllers: [RegistrationsController],
  providers: [RegistrationRepository, RegistrationService, RegistrationReviewService, RegistrationRouter],
})
export class RegistrationModule {}
