import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { Lang } from '../companies/company-profile.schema';
import { networkKey } from '../common/client-network';
import { ProblemException } from '../common/problem';
import { storableText } from '../common/text-safety';
import { parseOrThrow } from '../common/zod-validation';
import { PG_POOL } from '../database/database.tokens';
import { instanceSecret } from '../database/instance-secrets';
import { messagesFor } from '../conversation/conversation-messages';
import type { StoredReply } from '../conversation/conversation.repository';
import { ConversationService } from '../conversation/conversation.service';
import type { BotReply, InboundCommand, ReplyAction, ReplyCard } from '../conversation/conversation.types';
import { rateBucketsFor, type RateBuckets } from '../observability/rate-buckets';
import { SharedRateLimitRepository } from '../observability/shared-rate-limit.repository';
import { originAllowed } from './origin-policy';
import {
  type VisitorClaims,
  issueVisitorToken,
  verifyHostIdentity,
  verifyVisitorToken,
  visitorIdFor,
} from './visitor-token';

/** What the widget receives for each bot message (`bot_message`). */
export interface BotMessageEvent {
  /** Stored id (increasing per visitor); null for messages that are not stored (greeting, after forget me). */
  id: string | null;
  /** The bubbles joined by blank lines (simple clients); `texts` keeps them apart. */
  text: string;
  texts: string[];
  cards: ReplyCard[];
  quickReplies: ReplyAction[];
  lang: Lang;
  generated: boolean;
  /** The clientMessageId this answers, when known. */
  replyTo?: string;
}

/** Where the service sends events: the gateway binds it to socket.io rooms, tests to arrays. */
export interface ChatSink {
  /** Every open socket of this visitor (other tabs too). */
  toVisitor(event: string, payload: unknown): void;
  /** Only the socket this came from. */
  toSocket(event: string, payload: unknown): void;
}

export type Ack =
  { ok: true; duplicate?: boolean; messageId?: string } | { ok: false; error: string; message?: string };

const langSchema = z.enum(['ja', 'th', 'en']);
const sessionBody = z.strictObject({
  lang: langSchema.optional(),
  identity: z
    .strictObject({
      company: z.string().min(1).max(128),
      user: z.string().min(1).max(200).optional(),
      expires: z.number().int().positive(),
      signature: z.string().min(1).max(200),
    })
    .optional(),
});

/** Key prefix of the per-network session buckets (also the prefix purged of idle rows). */
const SESSION_BUCKET_PREFIX = 'web-chat:sessions:';

const CLIENT_ID = /^[A-Za-z0-9_.:-]{1,100}$/;
// Built once: a zod schema costs more to build than to check, and these run for every chat message.
const userMessageBody = z.object({ text: z.string(), clientMessageId: z.string().regex(CLIENT_ID) });
const postbackBody = z.object({
  data: z.string().min(1).max(300),
  clientMessageId: z.string().regex(CLIENT_ID).optional(),
});

export type HandshakeCheck =
  | { ok: true; visitor: VisitorClaims }
  | {
      ok: false;
      code: 'origin-not-allowed' | 'token-missing' | 'token-invalid' | 'token-expired';
      message: string;
    };

/**
 * The web chat channel: visitor sessions (signed, expiring tokens; optional host-site identity), the handshake
 * check, and turning widget events into the conversation engine's command and its reply into widget events.
 */
@Injectable()
export class WebChatService implements OnModuleInit {
  private readonly logger = new Logger('WebChat');
  /** The visitor-token key: WEB_CHAT_SECRET, or the one this product made for itself and keeps in the database. */
  private secret = '';
  /** Sessions opened per network: a bucket per network key, in the store RATE_LIMIT_STORE chose. */
  private readonly sessionBuckets: RateBuckets;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly conversation: ConversationService,
    rateLimits: SharedRateLimitRepository,
  ) {
    const { sessionBurst, sessionsPerHour } = config.webChat;
    this.sessionBuckets = rateBucketsFor(config.operations.rateLimitStore, rateLimits, {
      purge: {
        prefix: SESSION_BUCKET_PREFIX,
        idleSeconds: Math.max(60, Math.ceil((sessionBurst * 3600) / sessionsPerHour)),
        everyMs: 5 * 60_000,
      },
    });
  }

  async onModuleInit(): Promise<void> {
    this.secret = this.config.webChat.secret ?? (await instanceSecret(this.pool, 'web-chat-visitor-tokens'));
  }

  get limits() {
    return this.config.webChat;
  }

  originAllowed(origin: string | undefined, host: string | undefined): boolean {
    return originAllowed(origin, host, this.config.webChat.allowedOrigins, this.config.http.publicBaseUrl);
  }

  /**
   * A visitor token. Every session is a new anonymous chat user, so what a user may do (introductions) is also
   * counted per network, and the network may open only so many sessions: 500 were opened in under a second.
   */
  async createSession(
    body: unknown,
    origin: string | undefined,
    host: string | undefined,
    clientIp: string | undefined,
  ): Promise<{ token: string; expiresAt: string }> {
    if (!this.originAllowed(origin, host)) {
      throw new ProblemException(
        403,
        'origin-not-allowed',
        'Origin not allowed',
        'This site may not open the chat.',
      );
    }
    const { lang, identity } = parseOrThrow(sessionBody, body ?? {});
    let company: string | undefined;
    let vid = visitorIdFor();
    if (identity) {
      const check = verifyHostIdentity(this.config.webChat.identitySecret, identity);
      if (!check.ok)
        throw new ProblemException(
          401,
          'identity-rejected',
          'Identity rejected',
          `The host identity was not accepted: ${check.reason}.`,
        );
      company = check.company;
      vid = visitorIdFor(check);
    }
    const net = networkKey(this.secret, clientIp);
    if (net) await this.admitSession(net);
    const { token, claims } = issueVisitorToken(
      this.secret,
      { vid, ...(lang ? { lang } : {}), ...(company ? { cid: company } : {}), ...(net ? { net } : {}) },
      this.config.webChat.tokenTtlSeconds,
    );
    this.logger.log({ msg: 'web chat session', visitorId: vid, linked: company !== undefined });
    return { token, expiresAt: new Date(claims.exp * 1000).toISOString() };
  }

  private async admitSession(net: string): Promise<void> {
    const { sessionBurst, sessionsPerHour } = this.config.webChat;
    const decision = await this.sessionBuckets.take(
      `${SESSION_BUCKET_PREFIX}${net}`,
      sessionBurst,
      sessionsPerHour / 3600,
    );
    if (decision.allowed) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    this.logger.warn({ msg: 'web chat sessions refused for rate', network: net, retryAfterSeconds });
    throw new ProblemException(
      429,
      'too-many-sessions',
      'Too many chat sessions',
      `Too many chat sessions were opened from this network; try again in ${retryAfterSeconds} s.`,
      { retryAfterSeconds },
    );
  }

  checkHandshake(token: unknown, origin: string | undefined, host: string | undefined): HandshakeCheck {
    if (!this.originAllowed(origin, host)) {
      return { ok: false, code: 'origin-not-allowed', message: 'This site may not open the chat.' };
    }
    const check = verifyVisitorToken(this.secret, token);
    if (check.ok) return { ok: true, visitor: check.claims };
    const message = {
      'token-missing': 'A visitor token is required (POST /api/chat/sessions).',
      'token-invalid': 'The visitor token is not valid.',
      'token-expired': 'The visitor token has expired; start a new session.',
    }[check.code];
    return { ok: false, code: check.code, message };
  }

  /** The widget opened with an empty transcript: greet in the session's language (or all three). */
  hello(visitor: VisitorClaims, sink: ChatSink): void {
    sink.toSocket('bot_message', toEvent(this.conversation.greeting(visitor.lang), null));
  }

  async userMessage(visitor: VisitorClaims, body: unknown, sink: ChatSink): Promise<Ack> {
    const parsed = userMessageBody.safeParse(body);
    if (!parsed.success)
      return { ok: false, error: 'invalid-message', message: 'Send { text, clientMessageId }.' };
    // A NUL or half a surrogate pair cannot be stored: dropped, the rest of the message kept.
    const text = storableText(parsed.data.text).trim();
    if (!text) return { ok: false, error: 'empty-message' };
    const max = this.config.webChat.maxMessageChars;
    if ([...text].length > max) {
      const lang = visitor.lang ?? 'en';
      return { ok: false, error: 'message-too-long', message: messagesFor(lang).tooLong(max) };
    }
    return this.run(visitor, { text }, parsed.data.clientMessageId, sink);
  }

  async postback(visitor: VisitorClaims, body: unknown, sink: ChatSink): Promise<Ack> {
    const parsed = postbackBody.safeParse(body);
    if (!parsed.success) return { ok: false, error: 'invalid-postback', message: 'Send { data }.' };
    return this.run(visitor, { postback: storableText(parsed.data.data) }, parsed.data.clientMessageId, sink);
  }

  /** Bot messages stored after `lastSeenId` (a reconnecting client's resume point), oldest first. */
  async resume(visitor: VisitorClaims, lastSeenId: unknown, sink: ChatSink): Promise<number> {
    if (typeof lastSeenId !== 'string' || !/^\d{1,18}$/.test(lastSeenId)) return 0;
    const missed = await this.conversation.repliesAfter('web', visitor.vid, lastSeenId);
    for (const reply of missed) sink.toSocket('bot_message', storedToEvent(reply));
    return missed.length;
  }

  private async run(
    visitor: VisitorClaims,
    input: { text?: string; postback?: string },
    clientMessageId: string | undefined,
    sink: ChatSink,
  ): Promise<Ack> {
    const command: InboundCommand = {
      channel: 'web',
      userId: visitor.vid,
      conversationId: visitor.vid,
      ...input,
      lang: visitor.lang,
      receivedAt: new Date(),
      meta: {
        ...(clientMessageId ? { messageId: clientMessageId } : {}),
        ...(visitor.cid ? { linkedCompanyExternalId: visitor.cid } : {}),
        ...(visitor.net ? { network: visitor.net } : {}),
      },
    };
    sink.toVisitor('bot_typing', { typing: true });
    let reply: BotReply;
    try {
      reply = await this.conversation.handle(command, {
        onDelta: (chunk) => sink.toVisitor('bot_delta', { replyTo: clientMessageId, text: chunk }),
      });
    } catch (err) {
      this.logger.error({ msg: 'web chat turn failed', visitorId: visitor.vid, error: (err as Error).name });
      sink.toVisitor('bot_typing', { typing: false });
      return { ok: false, error: 'internal', message: 'The message could not be handled; please try again.' };
    }
    if (reply.duplicate) {
      sink.toVisitor('bot_typing', { typing: false });
      return { ok: true, duplicate: true, messageId: reply.messageId };
    }
    if (reply.texts.length === 0 && !reply.cards?.length) {
      sink.toVisitor('bot_typing', { typing: false });
      return { ok: true };
    }
    sink.toVisitor('bot_message', toEvent(reply, reply.messageId ?? null, clientMessageId));
    if (reply.forgotten) sink.toVisitor('forgotten', {});
    return { ok: true, messageId: reply.messageId };
  }
}

function toEvent(reply: BotReply, id: string | null, replyTo?: string): BotMessageEvent {
  return {
    id,
    text: reply.texts.join('\n\n'),
    texts: reply.texts,
    cards: reply.cards ?? [],
    quickReplies: reply.quickReplies ?? [],
    lang: reply.lang,
    generated: reply.generated === true,
    ...(replyTo ? { replyTo } : {}),
  };
}

function storedToEvent(r: StoredReply): BotMessageEvent {
  return {
    id: r.id,
    text: r.texts.join('\n\n'),
    texts: r.texts,
    cards: r.cards,
    quickReplies: r.quickReplies,
    lang: r.lang ?? 'en',
    generated: r.generated,
    ...(r.replyToChannelMessageId ? { replyTo: r.replyToChannelMessageId } : {}),
  };
}
