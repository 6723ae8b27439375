import { Injectable } from '@nestjs/common';
import type { Lang } from '../../companies/company-profile.schema';
import type { Queryable } from '../../database/transaction';
import { renderTexts } from '../../line/line-message.renderer';
import { LineOutboxRepository } from '../../line/line-outbox.repository';
import { LineOutboxSender } from '../../line/line-outbox.sender';
import { StaffChatGateway } from './staff-chat.gateway';
import type { ConversationTarget } from './staff-conversation.repository';

/** A message queued in the caller's transaction, to be pushed to open widgets after the commit. */
export interface StagedDelivery {
  web?: { visitorId: string; payload: unknown };
  line: boolean;
}

/**
 * Delivers what staff write (and the join / hand-back notices) through the thread's own channel. LINE: a row in
 * the LINE outbox, written in the same transaction as the stored message, pushed with a retry key by the
 * outbox sender (resumes after a restart). Web chat: a `bot_message` to the visitor's open sockets after the
 * commit; a widget that was closed gets it from the stored thread when it resumes.
 */
@Injectable()
export class StaffChatDelivery {
  constructor(
    private readonly outbox: LineOutboxRepository,
    private readonly sender: LineOutboxSender,
    private readonly gateway: StaffChatGateway,
  ) {}

  async stage(
    db: Queryable,
    target: ConversationTarget,
    message: { id: string; texts: string[]; lang: Lang; from: 'staff' | 'bot' },
  ): Promise<StagedDelivery> {
    if (target.channel === 'line') {
      await this.outbox.insert(db, undefined, [
        {
          conversationKey: lineConversationKey(target),
          toId: target.channelConversationId,
          messages: renderTexts(message.texts),
        },
      ]);
      return { line: true };
    }
    return {
      line: false,
      web: {
        visitorId: target.channelConversationId,
        payload: {
          id: message.id,
          text: message.texts.join('\n\n'),
          texts: message.texts,
          cards: [],
          quickReplies: [],
          lang: message.lang,
          generated: false,
          from: message.from,
        },
      },
    };
  }

  flush(staged: StagedDelivery[]): void {
    let line = false;
    for (const s of staged) {
      if (s.web) this.gateway.toVisitor(s.web.visitorId, 'bot_message', s.web.payload);
      line ||= s.line;
    }
    if (line) this.sender.nudge();
  }
}

/**
 * The LINE outbox orders messages per conversation key (see src/line/line-event.ts `conversationKey`): 1:1
 * chats are `user:<userId>`; group ids start with C, room ids with R.
 */
function lineConversationKey(target: ConversationTarget): string {
  const id = target.channelConversationId;
  if (!target.isGroup) return `user:${id}`;
  return id.startsWith('R') ? `room:${id}` : `group:${id}`;
}
