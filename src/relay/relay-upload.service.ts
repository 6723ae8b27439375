import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ConversationService } from '../conversation/conversation.service';
import type { VisitorClaims } from '../web-chat/visitor-token';
import { RelayMessageRepository } from './relay-message.repository';

export type UploadResult =
  | { ok: true; fileId: string; duplicate?: boolean }
  | { ok: false; error: 'not-in-room' | 'too-large' | 'empty'; message: string };

/**
 * A file a web visitor sends into their deal room: stored, then handed to the conversation engine as an
 * attachment, like a LINE image, so it takes the one inbound path (the engine's router gives it to the room the
 * visitor's thread is focused on). Outside a room the file is dropped and the visitor gets the bot's note.
 */
@Injectable()
export class RelayUploadService {
  private readonly logger = new Logger('RelayUpload');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly messages: RelayMessageRepository,
    private readonly conversation: ConversationService,
  ) {}

  async upload(
    visitor: VisitorClaims,
    file: { bytes: Buffer; contentType: string; name?: string; clientMessageId?: string },
  ): Promise<UploadResult> {
    if (file.bytes.length === 0) return { ok: false, error: 'empty', message: 'The file is empty.' };
    const token = randomBytes(18).toString('base64url');
    const fileId = await this.messages.insertFile({
      name: file.name,
      contentType: file.contentType,
      bytes: file.bytes,
      token,
    });
    const reply = await this.conversation.handle({
      channel: 'web',
      userId: visitor.vid,
      conversationId: visitor.vid,
      attachment: {
        kind: file.contentType.startsWith('image/') ? 'image' : 'file',
        fileId,
        fileName: file.name,
        size: file.bytes.length,
      },
      lang: visitor.lang,
      receivedAt: new Date(),
      meta: {
        ...(file.clientMessageId ? { messageId: file.clientMessageId } : {}),
        ...(visitor.cid ? { linkedCompanyExternalId: visitor.cid } : {}),
      },
    });
    if (reply.texts.length > 0 || reply.duplicate) {
      // Not taken by a room (or a resend of an upload already relayed): the new copy is not needed.
      await this.messages.deleteFile(fileId);
      if (reply.duplicate) return { ok: true, fileId, duplicate: true };
      return { ok: false, error: 'not-in-room', message: reply.texts.join('\n') };
    }
    this.logger.log({ msg: 'room file uploaded', visitorId: visitor.vid, fileId, bytes: file.bytes.length });
    return { ok: true, fileId };
  }

  get maxBytes(): number {
    return this.config.relay.uploadMaxBytes;
  }
}
