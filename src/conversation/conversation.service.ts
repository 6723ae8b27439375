import { Injectable } from '@nestjs/common';
import type { Lang } from '../companies/company-profile.schema';
import type { BotReply, DeltaSink, InboundCommand } from './conversation.types';

export interface HandleOptions {
  /** Receives model text as it is generated (only when the reply is written by a model). */
  onDelta?: DeltaSink;
  /** Aborts model work when the channel no longer needs the reply. */
  signal?: AbortSignal;
}

/**
 * The one pipeline for every inbound chat message, whatever the channel: language → understanding → action →
 * a channel-neutral reply. (Skeleton: the full engine follows.)
 */
@Injectable()
export class ConversationService {
  async handle(command: InboundCommand, opts: HandleOptions = {}): Promise<BotReply> {
    void opts;
    return Promise.resolve(this.greeting(command.lang));
  }

  /** First contact (LINE follow, widget open): a greeting in ja, th and en with a language choice. */
  greeting(lang?: Lang): BotReply {
    return {
      lang: lang ?? 'en',
      texts: [
        'こんにちは。Kakehashi です。日本とタイの企業をおつなぎします。',
        'สวัสดี Kakehashi ยินดีช่วยเชื่อมต่อธุรกิจไทยกับญี่ปุ่น',
        'Hello, this is Kakehashi. I connect Japanese and Thai companies.',
      ],
      quickReplies: [
        { label: '日本語', postback: 'action=lang&lang=ja', displayText: '日本語' },
        { label: 'ภาษาไทย', postback: 'action=lang&lang=th', displayText: 'ภาษาไทย' },
        { label: 'English', postback: 'action=lang&lang=en', displayText: 'English' },
      ],
    };
  }
}
