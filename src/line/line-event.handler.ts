import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Lang } from '../companies/company-profile.schema';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ConversationRouting } from '../conversation/conversation-router';
import type { BotReply, InboundAttachment, InboundCommand } from '../conversation/conversation.types';
import { ConversationService } from '../conversation/conversation.service';
import { LineApiClient, type LineMessage } from './line-api.client';
import {
  chatTarget,
  type LineEvent,
  type LineEventMessage,
  mentionsBot,
  textWithoutBotMention,
} from './line-event';
import type { InboxRow } from './line-inbox.repository';
import { LineInboxRepository } from './line-inbox.repository';
import { renderBotReply, renderTexts } from './line-message.renderer';
import type { OutboxDraft } from './line-outbox.repository';
import { LineStateRepository } from './line-state.repository';
import { LINE_TEXTS, trilingual } from './line-texts';

export interface HandledEvent {
  /** 'ignored': stored and acknowledged, nothing to do (unknown types, group chatter, standby mode). */
  status: 'done' | 'ignored';
  /** Messages to queue in the same transaction that marks the event handled. */
  outbox: OutboxDraft[];
}

const IGNORED: HandledEvent = { status: 'ignored', outbox: [] };
const DONE: HandledEvent = { status: 'done', outbox: [] };

/** Message types the bot cannot read: the user gets a polite note (the engine's) asking for text. */
const UNREADABLE_MESSAGES = new Set(['sticker', 'image', 'video', 'audio', 'file', 'location']);

/**
 * What each LINE event means for the product. Text and postbacks go to the conversation engine (the same
 * pipeline as the web chat); follow, join and unreadable messages get the engine's fixed answers (greeting,
 * group introduction, a note asking for text); unfollow, leave, unsend and edits update stored state through
 * the engine; everything else is kept in the inbox and ignored. Runs outside any database
 * transaction: it calls LINE and the engine (which may call a model), and returns what to send.
 */
@Injectable()
export class LineEventHandler {
  private readonly logger = new Logger('LineEvents');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly conversation: ConversationService,
    private readonly api: LineApiClient,
    private readonly state: LineStateRepository,
    private readonly inbox: LineInboxRepository,
    // Optional: present in the app; lets a message to a deal room skip the loading animation.
    @Optional() private readonly routing?: ConversationRouting,
  ) {}

  async handle(row: InboxRow, signal?: AbortSignal): Promise<HandledEvent> {
    const event = row.event;
    const at = eventTime(event, row);
    switch (event.type) {
      case 'message':
        return this.onMessage(row, event, at, signal);
      case 'postback':
        return this.onPostback(row, event, at, signal);
      case 'follow':
        return this.onFollow(row, event, at);
      case 'unfollow':
        // The user blocked the bot: marked inactive, and nothing is sent (LINE would refuse it anyway).
        if (!event.source?.userId) return IGNORED;
        await this.state.setFollowing(event.source.userId, false, at);
        await this.conversation.userLeft('line', event.source.userId);
        return DONE;
      case 'join':
        return this.onJoin(row, event, at);
      case 'leave': {
        const target = chatTarget(event.source);
        if (!target || target.kind === 'user') return IGNORED;
        await this.state.setGroupMembership(target.id, target.kind, false, at);
        return DONE;
      }
      case 'unsend': {
        // The conversation keeps a placeholder without content; the stored webhook loses the text too.
        const messageId = event.unsend?.messageId;
        if (!messageId) return IGNORED;
        const found = await this.conversation.messageUnsent('line', messageId);
        await this.inbox.redactMessageText(messageId);
        return found ? DONE : IGNORED;
      }
      case 'messageEdited': {
        // The stored text becomes the edited one; the bot does not answer again.
        const id = event.message?.id;
        const text = event.message?.text;
        if (!id || typeof text !== 'string') return IGNORED;
        return (await this.conversation.messageEdited('line', id, text)) ? DONE : IGNORED;
      }
      default:
        // memberJoined/Left, beacon, accountLink, videoPlayComplete and types LINE adds later.
        return IGNORED;
    }
  }

  /** A short apology when an event could not be handled after every attempt (text and postbacks only). */
  async failureNotice(row: InboxRow): Promise<OutboxDraft[]> {
    const event = row.event;
    if (event.type !== 'message' && event.type !== 'postback') return [];
    if (event.mode === 'standby') return [];
    const userId = event.source?.type === 'user' ? event.source.userId : undefined;
    const lang = userId
      ? ((await this.profileLang(userId)) ?? (await this.state.getUser(userId))?.replyLang)
      : undefined;
    return this.draft(
      row,
      event,
      renderTexts([lang ? LINE_TEXTS.failed[lang] : trilingual(LINE_TEXTS.failed)]),
    );
  }

  private async onMessage(
    row: InboxRow,
    event: LineEvent,
    at: Date,
    signal?: AbortSignal,
  ): Promise<HandledEvent> {
    const message = event.message;
    const target = chatTarget(event.source);
    // Standby: another channel of a module holds the chat; the bot must not answer.
    if (!message?.type || !target || event.mode === 'standby') return IGNORED;
    const inGroup = target.kind !== 'user';
    const userId = event.source?.userId;

    if (message.type === 'text') {
      const mentioned = inGroup && mentionsBot(message, row.destination);
      // In groups the bot speaks only when spoken to; other group chatter is not read or kept.
      if (inGroup && !mentioned) return IGNORED;
      const text = inGroup ? textWithoutBotMention(message, row.destination) : (message.text ?? '').trim();
      if (!text) return IGNORED;
      const reply = await this.ask(row, event, { text, mentioned, messageId: message.id }, at, signal);
      return { status: 'done', outbox: this.draft(row, event, renderBotReply(reply)) };
    }

    if (UNREADABLE_MESSAGES.has(message.type)) {
      // In groups nobody asked the bot anything; in 1:1 a deal room relays it (the engine's router), and
      // otherwise the user gets a note in their language.
      if (inGroup || !userId) return IGNORED;
      const lang = await this.profileLang(userId);
      const reply = await this.conversation.handle(
        {
          channel: 'line',
          userId,
          conversationId: userId,
          attachment: attachmentOf(message),
          ...(lang ? { lang } : {}),
          receivedAt: at,
          meta: { ...(message.id ? { messageId: message.id } : {}) },
        },
        { signal },
      );
      return { status: 'done', outbox: this.draft(row, event, renderBotReply(reply)) };
    }
    return IGNORED;
  }

  private async onPostback(
    row: InboxRow,
    event: LineEvent,
    at: Date,
    signal?: AbortSignal,
  ): Promise<HandledEvent> {
    const data = event.postback?.data;
    // A tapped button is addressed to the bot, in a group too.
    if (!data || !chatTarget(event.source) || event.mode === 'standby') return IGNORED;
    const reply = await this.ask(row, event, { postback: data }, at, signal);
    return { status: 'done', outbox: this.draft(row, event, renderBotReply(reply)) };
  }

  private async onFollow(row: InboxRow, event: LineEvent, at: Date): Promise<HandledEvent> {
    const userId = event.source?.userId;
    if (!userId) return IGNORED;
    await this.state.setFollowing(userId, true, at);
    // Always all three languages with a choice: a phone's language (the profile's) is not necessarily the
    // language someone wants to do business in.
    const greeting = this.conversation.greeting();
    return { status: 'done', outbox: this.draft(row, event, renderBotReply(greeting)) };
  }

  private async onJoin(row: InboxRow, event: LineEvent, at: Date): Promise<HandledEvent> {
    const target = chatTarget(event.source);
    if (!target || target.kind === 'user') return IGNORED;
    await this.state.setGroupMembership(target.id, target.kind, true, at);
    // A group has no one language: the introduction comes in all three.
    const intro = this.conversation.groupIntroduction();
    return { status: 'done', outbox: this.draft(row, event, renderBotReply(intro)) };
  }

  /** Hands a text or postback to the conversation engine, with the loading animation in 1:1 chats. */
  private async ask(
    row: InboxRow,
    event: LineEvent,
    input: { text?: string; postback?: string; mentioned?: boolean; messageId?: string },
    at: Date,
    signal?: AbortSignal,
  ): Promise<BotReply> {
    const target = chatTarget(event.source)!;
    const oneToOne = target.kind === 'user';
    const userId = event.source?.userId ?? target.id;
    const lang = oneToOne ? await this.profileLang(userId) : undefined;
    // Started alongside the engine, awaited before the reply is queued: an animation that began after our
    // message would spin on for its full length.
    // A message for a deal room gets no answer from the bot: no animation that would spin for nothing.
    const animate =
      oneToOne && input.postback === undefined
        ? (this.routing?.botAnswers('line', userId) ?? true)
        : oneToOne;
    const loading = animate ? this.showLoading(userId, row.id) : undefined;
    const command: InboundCommand = {
      channel: 'line',
      userId,
      conversationId: target.id,
      ...(input.text !== undefined ? { text: input.text } : { postback: input.postback }),
      ...(lang ? { lang } : {}),
      receivedAt: at,
      meta: {
        isGroup: !oneToOne,
        ...(oneToOne ? {} : { mentioned: input.mentioned ?? false }),
        ...(input.messageId ? { messageId: input.messageId } : {}),
      },
    };
    try {
      const reply = await this.conversation.handle(command, { signal });
      if (oneToOne) await this.state.saveReplyLang(userId, reply.lang);
      return reply;
    } finally {
      await loading;
    }
  }

  private async showLoading(userId: string, inboxId: string): Promise<void> {
    try {
      await this.api.showLoading(userId, this.config.line.loadingSeconds);
    } catch (err) {
      // Cosmetic: a failure here must not hold up or fail the answer.
      this.logger.debug({ msg: 'loading animation not shown', inboxId, error: (err as Error).message });
    }
  }

  /**
   * The user's LINE profile language when they shared it, fetched at most once per refresh period. LINE only
   * gives it with the user's consent; without it the engine detects the language from the text.
   */
  private async profileLang(userId: string): Promise<Lang | undefined> {
    const known = await this.state.getUser(userId);
    const maxAgeMs = this.config.line.profileRefreshHours * 3_600_000;
    const fresh = known?.profileCheckedAt && Date.now() - known.profileCheckedAt.getTime() < maxAgeMs;
    if (fresh) return toLang(known.profileLanguage);
    try {
      const profile = await this.api.getProfile(userId);
      await this.state.saveProfileLanguage(userId, profile?.language);
      return toLang(profile?.language);
    } catch (err) {
      this.logger.debug({ msg: 'profile not available', error: (err as Error).message });
      return toLang(known?.profileLanguage);
    }
  }

  /**
   * The outbox row for an answer: the event's reply token while it is fresh (LINE's clock, from the event
   * timestamp), and the chat to push to after that.
   */
  private draft(row: InboxRow, event: LineEvent, messages: LineMessage[]): OutboxDraft[] {
    const target = chatTarget(event.source);
    if (messages.length === 0 || (!target && !event.replyToken)) return [];
    const issuedAt = eventTime(event, row).getTime();
    return [
      {
        conversationKey: row.conversationKey,
        toId: target?.id ?? '',
        replyToken: event.replyToken,
        replyTokenExpiresAt: event.replyToken
          ? new Date(issuedAt + this.config.line.replyTokenMaxAgeSeconds * 1000)
          : undefined,
        messages,
      },
    ];
  }
}

/** A LINE media message in the engine's terms: its content is fetched later, by whoever relays it. */
function attachmentOf(message: LineEventMessage): InboundAttachment {
  const kind = message.type as InboundAttachment['kind'];
  const keywords = Array.isArray(message.keywords)
    ? message.keywords.filter((k): k is string => typeof k === 'string').slice(0, 10)
    : undefined;
  const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 300) : undefined);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  return {
    kind,
    ...(message.id && kind !== 'sticker' && kind !== 'location' ? { lineMessageId: message.id } : {}),
    ...(typeof message.fileName === 'string' ? { fileName: message.fileName.slice(0, 200) } : {}),
    ...(typeof message.fileSize === 'number' ? { size: message.fileSize } : {}),
    ...(keywords?.length ? { keywords } : {}),
    ...(kind === 'location'
      ? {
          location: {
            title: str(message.title),
            address: str(message.address),
            latitude: num(message.latitude),
            longitude: num(message.longitude),
          },
        }
      : {}),
  };
}

/** When LINE says the event happened; the arrival time for payloads without a timestamp. */
function eventTime(event: LineEvent, row: InboxRow): Date {
  return typeof event.timestamp === 'number' && Number.isFinite(event.timestamp)
    ? new Date(event.timestamp)
    : row.receivedAt;
}

/** LINE profile languages are BCP 47 tags ("ja", "th", "en-US", "zh-Hant"); the product speaks three. */
export function toLang(language: string | undefined): Lang | undefined {
  const base = language?.toLowerCase().split('-')[0];
  return base === 'ja' || base === 'th' || base === 'en' ? base : undefined;
}
