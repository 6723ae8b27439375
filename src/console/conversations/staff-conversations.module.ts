import { Module } from '@nestjs/common';
import { LineModule } from '../../line/line.module';
import { TranslationModule } from '../../translation/translation.module';
import { StaffChatDelivery } from './staff-chat-delivery';
import { StaffChatGateway } from './staff-chat.gateway';
import { StaffConversationRepository } from './staff-conversation.repository';
import { StaffConversationsController } from './staff-conversations.controller';
import { StaffConversationsService } from './staff-conversations.service';

/**
 * The console's Conversations page: the live list and needs-staff queue, reading a thread with translations on
 * demand, take over / staff replies / hand back, delivered on the thread's channel (LINE outbox, web chat socket).
 */
@Module({
  imports: [TranslationModule, LineModule],
  controllers: [StaffConversationsController],
  providers: [StaffConversationRepository, StaffConversationsService, StaffChatDelivery, StaffChatGateway],
})
export class StaffConversationsModule {}
