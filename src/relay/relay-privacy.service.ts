import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ConversationRepository } from '../conversation/conversation.repository';

/**
 * "Forget me" reaches the files a user sent into deal rooms: inside the forgetting transaction, before the
 * privacy module blanks the user's room messages (it removes their attachments, which name the files), the
 * stored bytes go too. Registered through the conversation repository's hook, like the privacy module's own.
 */
@Injectable()
export class RelayPrivacy implements OnModuleInit {
  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    let repository: ConversationRepository;
    try {
      repository = this.moduleRef.get(ConversationRepository, { strict: false });
    } catch {
      return;
    }
    repository.onForget(async (db, user) => {
      await db.query(
        `DELETE FROM relay_files f USING relay_messages m, deal_room_members dm
         WHERE dm.chat_user_id = $1 AND m.sender_member_id = dm.id AND m.attachment->>'fileId' = f.id::text`,
        [user.chatUserId],
      );
    });
  }
}
