import { Module } from '@nestjs/common';
import { ConversationModule } from '../conversation/conversation.module';
import { LineApiClient } from './line-api.client';
import { LineEventHandler } from './line-event.handler';
import { LineIngressGate } from './line-ingress-gate';
import { LineInboxRepository } from './line-inbox.repository';
import { LineInboxWorker } from './line-inbox.worker';
import { LineInboxWriter } from './line-inbox.writer';
import { LineOutboxRepository } from './line-outbox.repository';
import { LineOutboxSender } from './line-outbox.sender';
import { LineStateRepository } from './line-state.repository';
import { LineWebhookController } from './line-webhook.controller';
import { LineWebhookService } from './line-webhook.service';

/**
 * The LINE channel: webhook → inbox → workers (conversation engine) → outbox → LINE. Off (404, no workers)
 * unless LINE_CHANNEL_SECRET is set.
 */
@Module({
  imports: [ConversationModule],
  controllers: [LineWebhookController],
  providers: [
    LineApiClient,
    LineIngressGate,
    LineInboxRepository,
    LineInboxWriter,
    LineOutboxRepository,
    LineStateRepository,
    LineEventHandler,
    LineInboxWorker,
    LineOutboxSender,
    LineWebhookService,
  ],
  exports: [LineInboxWorker, LineOutboxSender, LineInboxRepository, LineOutboxRepository, LineApiClient],
})
export class LineModule {}
