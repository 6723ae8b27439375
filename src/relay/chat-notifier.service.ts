import { Injectable } from '@nestjs/common';
import { ConversationService } from '../conversation/conversation.service';
import type { BotReply, Channel } from '../conversation/conversation.types';
import type { Queryable } from '../database/transaction';
import { renderBotReply } from '../line/line-message.renderer';
import { LineOutboxRepository, type OutboxDraft } from '../line/line-outbox.repository';
import { LineOutboxSender } from '../line/line-outbox.sender';
import { RelayWebSink } from './relay-web.sink';

export interface Notice {
  channel: Channel;
  /** LINE userId or web visitor id: the user's 1:1 thread. */
  address: string;
  reply: BotReply;
}

/** What to do once the transaction that queued notices has committed. */
export interface StagedNotices {
  web: Array<{ visitorId: string; payload: unknown }>;
  line: number;
}

/**
 * Messages the product sends to a chat user on its own (an introduction request for them, its outcome). They
 * are queued inside the caller's short transaction, with the state change they report: stored in the user's
 * thread (so the web widget replays them after being offline) and, for LINE users, put in the LINE outbox
 * (pushed with a retry key). Web users with an open widget get them at once, after the commit.
 */
@Injectable()
export class ChatNotifier {
  constructor(
    private readonly conversation: ConversationService,
    private readonly outbox: LineOutboxRepository,
    private readonly sender: LineOutboxSender,
    private readonly sink: RelayWebSink,
  ) {}

  async stage(db: Queryable, notices: Notice[]): Promise<StagedNotices> {
    const staged: StagedNotices = { web: [], line: 0 };
    const drafts: OutboxDraft[] = [];
    // One statement for all of them: an alert run queues thousands at once.
    const ids = await this.conversation.postNotices(
      notices.map((n) => ({ channel: n.channel, conversationId: n.address, reply: n.reply })),
      db,
    );
    for (const [i, n] of notices.entries()) {
      const id = ids[i];
      if (n.channel === 'line') {
        drafts.push({
          conversationKey: `user:${n.address}`,
          toId: n.address,
          messages: renderBotReply(n.reply),
        });
      } else {
        staged.web.push({
          visitorId: n.address,
          payload: {
            id: id ?? null,
            text: n.reply.texts.join('\n\n'),
            texts: n.reply.texts,
            cards: n.reply.cards ?? [],
            quickReplies: n.reply.quickReplies ?? [],
            lang: n.reply.lang,
            generated: false,
          },
        });
      }
    }
    await this.outbox.insert(db, undefined, drafts);
    staged.line = drafts.length;
    return staged;
  }

  /** After the commit: push to open widgets, wake the LINE sender. */
  flush(staged: StagedNotices | undefined): void {
    if (!staged) return;
    for (const w of staged.web) this.sink.toVisitor(w.visitorId, 'bot_message', w.payload);
    if (staged.line > 0) this.sender.nudge();
  }
}
