import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CompaniesModule } from '../companies/companies.module';
import { ConversationModule } from '../conversation/conversation.module';
import { LineModule } from '../line/line.module';
import { TranslationModule } from '../translation/translation.module';
import { WebChatModule } from '../web-chat/web-chat.module';
import { ChatNotifier } from './chat-notifier.service';
import { RelayDeliveryService } from './relay-delivery.service';
import { RelayFilesController } from './relay-files.controller';
import { RelayMessageRepository } from './relay-message.repository';
import { RelayPrivacy } from './relay-privacy.service';
import { RelayReader } from './relay-reader.service';
import { RelayUploadService } from './relay-upload.service';
import { RelayWebGateway } from './relay-web.gateway';
import { RelayWebSink } from './relay-web.sink';
import { RelayService } from './relay.service';
import { RelayWorker } from './relay.worker';
import { RoomDirectory } from './room-directory.service';
import { RoomRepository } from './room.repository';
import { RoomsController } from './rooms.controller';

/**
 * Deal rooms and the translated relay: messages stored once with all their translations, a worker that
 * translates and delivers in order per room (LINE through the LINE outbox, the widget over socket.io), room
 * commands, files, staff operations. Introductions open rooms through `RelayService.openRoom`.
 */
@Module({
  imports: [AuditModule, CompaniesModule, ConversationModule, LineModule, TranslationModule, WebChatModule],
  controllers: [RoomsController, RelayFilesController],
  providers: [
    RoomRepository,
    RelayMessageRepository,
    RoomDirectory,
    RelayWebSink,
    RelayWebGateway,
    RelayDeliveryService,
    RelayWorker,
    RelayReader,
    RelayService,
    RelayUploadService,
    ChatNotifier,
    RelayPrivacy,
  ],
  exports: [RelayService, RoomRepository, RelayWorker, ChatNotifier, RoomDirectory],
})
export class RelayModule {}
