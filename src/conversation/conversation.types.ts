import type { Country, Lang } from '../companies/company-profile.schema';

/**
 * The channel-neutral contract of the chat: every channel (LINE webhook, web chat socket) turns its payload
 * into an `InboundCommand`, hands it to `ConversationService.handle`, and renders the `BotReply` it gets back
 * in its own format (LINE Flex carousel and quick replies; widget JSON).
 */

export type Channel = 'line' | 'web';

export interface InboundCommand {
  channel: Channel;
  /** The channel's own id for the person (LINE userId, web visitor id). */
  userId: string;
  /** The thread: a LINE 1:1 chat, group or room id; a web chat session id. */
  conversationId: string;
  /** Exactly one of text / postback / attachment. */
  text?: string;
  /** Data of a button the user pressed (LINE postback.data, widget button payload), e.g. "action=details&id=…". */
  postback?: string;
  /** An image, file or sticker: only a deal room reads these (the bot answers with a note asking for text). */
  attachment?: InboundAttachment;
  /** A language the channel already knows (LINE profile language, widget UI language); detection decides otherwise. */
  lang?: Lang;
  receivedAt: Date;
  /** Channel-specific facts the engine may use (never message bodies or tokens in logs). */
  meta?: {
    /** LINE: a group or room rather than a 1:1 chat. */
    isGroup?: boolean;
    /** LINE groups: whether the bot was mentioned (in groups the bot answers only when mentioned). */
    mentioned?: boolean;
    /** Web chat: a company the host site vouched for (signed identity). */
    linkedCompanyExternalId?: string;
    /** Web chat: keyed hash of the network the session was opened from (per-network limits). */
    network?: string;
    /** Channel message id, to update stored messages on unsend/edit. */
    messageId?: string;
  };
}

/** A non-text message. Its content is fetched (LINE) or was uploaded (web) by whoever relays it. */
export interface InboundAttachment {
  kind: 'image' | 'video' | 'audio' | 'file' | 'sticker' | 'location';
  /** LINE: the message id whose content the LINE API serves. */
  lineMessageId?: string;
  /** Web: an uploaded file, already stored. */
  fileId?: string;
  fileName?: string;
  size?: number;
  /** Stickers: LINE's keywords for it (English), when it has them. */
  keywords?: string[];
  /** Locations: what LINE sends with one. */
  location?: { title?: string; address?: string; latitude?: number; longitude?: number };
}

/** A company card (a match result), already localized for the reader. */
export interface ReplyCard {
  externalId: string;
  title: string;
  subtitle?: string;
  /** One-line explanation of why it matches. */
  text: string;
  country: Country;
  buttons: ReplyAction[];
  /**
   * A firm's own draft shown back to it (registration review), not a match: channels add no match buttons and do
   * not announce it as a suggestion.
   */
  preview?: boolean;
}

/** A button: postback data sent back as `InboundCommand.postback`, or a URL. */
export interface ReplyAction {
  label: string;
  postback?: string;
  /** Text shown in the chat as if the user had typed it (LINE displayText). */
  displayText?: string;
  url?: string;
}

export interface BotReply {
  /** Language the reply is written in. */
  lang: Lang;
  /** One or more text bubbles, in order. */
  texts: string[];
  cards?: ReplyCard[];
  quickReplies?: ReplyAction[];
  /** Whether the reply was produced by a model and may stream (web chat shows `bot_delta`). */
  generated?: boolean;
  /**
   * Added by the engine: the stored id of this reply (increasing per thread; the web chat's `bot_message.id` and
   * its resume point). Absent when nothing was stored (nothing to send, or after "forget me").
   */
  messageId?: string;
  /**
   * Added by the engine: the inbound message (same `meta.messageId`) was handled before; this is the stored reply
   * to it (or nothing). Channels that already delivered it send nothing again.
   */
  duplicate?: boolean;
  /** Added by the engine: the user's conversation data was just deleted ("forget me"); this reply is not stored. */
  forgotten?: boolean;
}

/*
 * A reply with no texts and no cards means "send nothing" (a group message without a mention, a thread a staff
 * coordinator has taken over, a duplicate that was never answered).
 */

/** Receives model text as it is generated (web chat streams it as `bot_delta`). */
export type DeltaSink = (chunk: string) => void;
