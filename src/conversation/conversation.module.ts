import { Module } from '@nestjs/common';
import { ConversationService } from './conversation.service';

/** The channel-neutral conversation engine; channels (LINE, web chat) import it and call `handle`. */
@Module({
  providers: [ConversationService],
  exports: [ConversationService],
})
export class ConversationModule {}
