import { Injectable } from '@nestjs/common';
import type { Lang } from '../companies/company-profile.schema';
import type { BotReply, Channel, InboundCommand } from './conversation.types';

/** "Please introduce us to X", as the engine understood it (a card's button, or asked in words). */
export interface IntroductionAsk {
  channel: Channel;
  /** The channel's id for the user (LINE userId, web visitor id): also their 1:1 thread. */
  channelUserId: string;
  chatUserId: string;
  /** The company the user is linked to, when known. */
  linkedCompanyExternalId?: string;
  /** Web: keyed hash of the network the session was opened from (requests are limited per network too). */
  network?: string;
  lang: Lang;
  targetExternalId: string;
  /** The user's current search (what they need), when there is one. */
  need?: string;
  signal?: AbortSignal;
}

/**
 * What a feature that takes over some chat traffic implements (deal rooms and introductions): the engine asks it
 * first about every message and hands it every introduction request. Registered at start by the feature's module,
 * so the engine does not depend on it; without one the engine behaves as before.
 */
export interface ConversationRouter {
  /**
   * Called before the bot reads a message (text, postback or attachment). A reply means the router handled it and
   * the bot does nothing more (a message inside a deal room, an answer to an introduction); undefined means
   * "not mine".
   */
  route(command: InboundCommand, signal?: AbortSignal): Promise<BotReply | undefined>;
  /** The user asked for an introduction: the reply to show them (the introductions' router only). */
  requestIntroduction?(ask: IntroductionAsk): Promise<BotReply>;
  /**
   * A cheap, in-memory guess (no query): whether this thread's messages currently go somewhere that does not
   * answer them (a deal room), so a channel can skip its "typing…" indicator.
   */
  relaysQuietly?(channel: Channel, conversationId: string): boolean;
}

/**
 * Where routers register themselves; the engine holds them. Each is asked in the order the modules started
 * (introductions and deal rooms, then self-registration); the first that answers takes the message.
 */
@Injectable()
export class ConversationRouting {
  private readonly routers: ConversationRouter[] = [];

  use(router: ConversationRouter): void {
    this.routers.push(router);
  }

  /** The reply of the first router that takes the message, or undefined when none does. */
  async route(command: InboundCommand, signal?: AbortSignal): Promise<BotReply | undefined> {
    for (const router of this.routers) {
      const reply = await router.route(command, signal);
      if (reply) return reply;
    }
    return undefined;
  }

  /** The router that takes introduction requests, if one is registered. */
  get introductions(): ConversationRouter | undefined {
    return this.routers.find((r) => r.requestIntroduction !== undefined);
  }

  /** Whether the bot (rather than a deal room) is expected to answer this thread's next message. */
  botAnswers(channel: Channel, conversationId: string): boolean {
    return !this.routers.some((r) => r.relaysQuietly?.(channel, conversationId) === true);
  }
}
