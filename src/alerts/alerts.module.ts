import { Module } from '@nestjs/common';
import { CompaniesModule } from '../companies/companies.module';
import { ConversationModule } from '../conversation/conversation.module';
import { MatchingModule } from '../matching/matching.module';
import { RelayModule } from '../relay/relay.module';
import { AlertRepository } from './alert.repository';
import { AlertWorker } from './alert.worker';
import { AlertsRouter } from './alerts-router.service';
import { AlertsService } from './alerts.service';

/**
 * Partner alerts: a chat user's saved searches, matched against every profile as it is published, and at most
 * one message a day with the new firms. Registers a router the conversation engine consults for its buttons and
 * words.
 */
@Module({
  imports: [CompaniesModule, ConversationModule, MatchingModule, RelayModule],
  providers: [AlertRepository, AlertsService, AlertWorker, AlertsRouter],
  exports: [AlertWorker],
})
export class AlertsModule {}
