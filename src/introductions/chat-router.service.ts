import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  type ConversationRouter,
  ConversationRouting,
  type IntroductionAsk,
} from '../conversation/conversation-router';
import type { BotReply, Channel, InboundCommand } from '../conversation/conversation.types';
import { RelayService } from '../relay/relay.service';
import { RoomRepository } from '../relay/room.repository';
import { IntroductionsService } from './introductions.service';

/**
 * What the conversation engine asks before the bot reads a message: introduction buttons go to the
 * introductions, a pending question of the introduction flow takes the next text, and a thread focused on a deal
 * room (or a room button, an invitation code) goes to the relay. Everything else is the bot's. One indexed
 * lookup per text message; group chats never touch the relay.
 */
@Injectable()
export class ChatRouter implements ConversationRouter, OnModuleInit {
  private readonly focused = new Set<string>();

  constructor(
    private readonly routing: ConversationRouting,
    private readonly introductions: IntroductionsService,
    private readonly relay: RelayService,
    private readonly rooms: RoomRepository,
  ) {}

  onModuleInit(): void {
    this.routing.use(this);
  }

  async route(command: InboundCommand): Promise<BotReply | undefined> {
    if (command.meta?.isGroup) return undefined;
    const params = command.postback !== undefined ? new URLSearchParams(command.postback) : undefined;
    const action = params?.get('action') ?? '';
    if (action.startsWith('intro-')) return this.introductions.action(action, params!, command);
    if (params && !action.startsWith('room-')) return undefined;
    const thread = params ? undefined : await this.rooms.thread(command.channel, command.conversationId);
    if (!params) this.remember(command, !!thread?.focus);
    if (thread?.pending && command.text) {
      const answered = await this.introductions.answerPending(thread, command);
      if (answered) return answered;
    }
    return this.relay.route(thread, command);
  }

  requestIntroduction(ask: IntroductionAsk): Promise<BotReply> {
    return this.introductions.request(ask);
  }

  relaysQuietly(channel: Channel, conversationId: string): boolean {
    return this.focused.has(`${channel}:${conversationId}`);
  }

  /** Threads last seen focused on a room (bounded; a miss only means one loading animation too many). */
  private remember(command: InboundCommand, focused: boolean): void {
    const key = `${command.channel}:${command.conversationId}`;
    if (!focused) {
      this.focused.delete(key);
      return;
    }
    if (this.focused.size >= 10_000) this.focused.delete(this.focused.values().next().value!);
    this.focused.add(key);
  }
}
