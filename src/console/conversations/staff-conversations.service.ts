import { Inject, Injectable, Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { AuditRepository } from '../../audit/audit.repository';
import { type Principal, actorOf } from '../../auth/principal';
import type { Lang } from '../../companies/company-profile.schema';
import { ProblemException } from '../../common/problem';
import { PG_POOL } from '../../database/database.tokens';
import { withTransaction } from '../../database/transaction';
import { TranslationService } from '../../translation/translation.service';
import { type StagedDelivery, StaffChatDelivery } from './staff-chat-delivery';
import {
  type ConversationListFilter,
  type ConversationSummary,
  type ConversationTarget,
  type StoredMessage,
  StaffConversationRepository,
} from './staff-conversation.repository';
import { STAFF_NOTICES } from './staff-notices';

/** A message as staff read it. Bot replies keep only their texts and the titles of the cards they showed. */
export interface MessageView {
  id: string;
  from: 'user' | 'bot' | 'staff';
  lang: Lang | null;
  /** What the user wrote or read; null when the user unsent it. */
  text: string | null;
  /** A button the user pressed (its data). */
  postback?: string;
  cards?: Array<{ externalId: string; title: string }>;
  /** Staff messages: what the coordinator wrote, when it was translated for the user. */
  original?: { text: string; lang: Lang };
  /** Staff messages: sent as written because no translation was available. */
  untranslated?: boolean;
  /** Staff messages and notices: who sent them (the audit actor's display name). */
  staff?: string;
  notice?: 'joined' | 'handed-back';
  status: StoredMessage['status'];
  generated: boolean;
  createdAt: string;
}

export interface StaffReply {
  text: string;
  /** The language the coordinator wrote in. */
  lang: Lang;
  /** false: send as written even when a translation could be made. */
  translate: boolean;
}

const PAGE_MESSAGES = 200;

/**
 * The console's conversations: the live list, one thread with its messages, translation of a message for the
 * staff reader, and the staff side of a thread — take over (the engine stays quiet while the thread is in staff
 * mode), write (translated into the user's language when a model is configured), hand back. Every switch and
 * staff message is in the audit log by id; message text never is, and neither are channel user ids.
 */
@Injectable()
export class StaffConversationsService {
  private readonly logger = new Logger('StaffConversations');

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly repository: StaffConversationRepository,
    private readonly audit: AuditRepository,
    private readonly translation: TranslationService,
    private readonly delivery: StaffChatDelivery,
  ) {}

  async list(filter: ConversationListFilter) {
    // Sequential: the embedded database has one connection.
    const page = await this.repository.list(filter);
    const waiting = await this.repository.countWaiting();
    return { ...page, waiting, translationAvailable: this.translation.isAvailable() };
  }

  async view(id: string, afterId: string | undefined) {
    const conversation = await this.get(id);
    const messages = await this.repository.messages(id, afterId, PAGE_MESSAGES);
    return {
      conversation: publicSummary(conversation),
      messages: messages.map(toView),
      translationAvailable: this.translation.isAvailable(),
    };
  }

  /** A message in the staff reader's language, on demand (cached by the translation layer). */
  async translateMessage(id: string, messageId: string, to: Lang) {
    await this.get(id);
    const message = await this.repository.message(id, messageId);
    const view = message ? toView(message) : undefined;
    const text = view?.text;
    if (!view || !text) throw new ProblemException(404, 'not-found', 'Message not found');
    // LLM errors (none configured, provider down) reach the controller, which answers them as problems.
    const result = await this.translation.translate({
      text,
      to,
      from: view.lang ?? undefined,
      context: 'message',
    });
    return {
      messageId,
      translation: result.translation,
      from: result.from,
      to: result.to,
      model: result.model,
      flagged: result.flagged,
      cached: result.cached,
    };
  }

  async takeOver(id: string, principal: Principal) {
    return this.switchMode(id, 'staff', principal);
  }

  async handBack(id: string, principal: Principal) {
    return this.switchMode(id, 'bot', principal);
  }

  async reply(id: string, reply: StaffReply, principal: Principal) {
    const before = await this.get(id);
    if (before.mode !== 'staff') {
      throw new ProblemException(
        409,
        'not-taken-over',
        'Take the conversation over first',
        'The bot is answering this conversation; take it over before writing.',
      );
    }
    const to = before.lang ?? reply.lang;
    let texts = [reply.text];
    let translated = false;
    let untranslated = false;
    if (reply.translate && to !== reply.lang) {
      if (this.translation.isAvailable(to)) {
        // Outside any transaction: a model call never holds the database. A failure is answered to staff (who
        // may send as written), never silently replaced by the untranslated text.
        const result = await this.translation.translate({
          text: reply.text,
          from: reply.lang,
          to,
          context: 'message',
        });
        texts = [result.translation];
        translated = true;
      } else {
        untranslated = true;
      }
    }
    const actor = actorOf(principal);
    const { messageId, staged } = await withTransaction(this.pool, async (tx) => {
      const target = await this.repository.find(id, tx, true);
      if (!target || target.mode !== 'staff') {
        throw new ProblemException(409, 'not-taken-over', 'The conversation was handed back meanwhile');
      }
      const lang = translated ? to : reply.lang;
      const messageId = await this.repository.appendOutgoing(tx, id, {
        kind: 'staff',
        texts,
        lang,
        extra: {
          staff: principal.name,
          ...(translated ? { original: { text: reply.text, lang: reply.lang } } : {}),
          ...(untranslated ? { untranslated: true } : {}),
        },
      });
      const staged = await this.delivery.stage(tx, target, { id: messageId, texts, lang, from: 'staff' });
      await this.audit.record(tx, [
        {
          entityType: 'conversation',
          entityId: id,
          action: 'staff_message',
          actor,
          after: { messageId, channel: target.channel, lang, translated, untranslated },
        },
      ]);
      return { messageId, staged };
    });
    this.delivery.flush([staged]);
    this.logger.log({ msg: 'staff message', conversationId: id, messageId, translated });
    return {
      messageId,
      translated,
      untranslated,
      ...(untranslated ? { note: 'no-translation-model' as const } : {}),
      to,
    };
  }

  private async switchMode(id: string, mode: 'bot' | 'staff', principal: Principal) {
    await this.get(id);
    const actor = actorOf(principal);
    const notice = mode === 'staff' ? 'joined' : 'handed-back';
    const { staged, messageId } = await withTransaction(this.pool, async (tx) => {
      const target = await this.repository.find(id, tx, true);
      if (!target) throw new ProblemException(404, 'not-found', 'Conversation not found');
      if (!(await this.repository.setMode(tx, id, mode, principal.name))) {
        throw new ProblemException(
          409,
          mode === 'staff' ? 'already-taken-over' : 'not-taken-over',
          mode === 'staff' ? 'Already taken over' : 'Not taken over',
          mode === 'staff'
            ? `This conversation is already with ${target.staffTakenBy ?? 'staff'}.`
            : 'The bot is already answering this conversation.',
        );
      }
      const lang = target.lang ?? 'en';
      const texts = [mode === 'staff' ? STAFF_NOTICES[lang].joined : STAFF_NOTICES[lang].handedBack];
      const messageId = await this.repository.appendOutgoing(tx, id, {
        kind: 'bot',
        texts,
        lang,
        extra: { notice, staff: principal.name },
      });
      const staged: StagedDelivery = await this.delivery.stage(tx, target, {
        id: messageId,
        texts,
        lang,
        from: 'bot',
      });
      await this.audit.record(tx, [
        {
          entityType: 'conversation',
          entityId: id,
          action: mode === 'staff' ? 'staff_take_over' : 'staff_hand_back',
          actor,
          before: { mode: target.mode, needsStaff: target.needsStaffSince !== null },
          after: { mode, noticeMessageId: messageId, channel: target.channel },
        },
      ]);
      return { staged, messageId };
    });
    this.delivery.flush([staged]);
    this.logger.log({ msg: `staff ${notice}`, conversationId: id, messageId });
    return publicSummary(await this.get(id));
  }

  private async get(id: string): Promise<ConversationTarget> {
    const found = /^[0-9a-f-]{36}$/i.test(id) ? await this.repository.find(id) : undefined;
    if (!found) throw new ProblemException(404, 'not-found', 'Conversation not found');
    return found;
  }
}

/** The summary without the channel's thread id (a LINE user id or web visitor id is personal data). */
function publicSummary(c: ConversationTarget): ConversationSummary {
  const { channelConversationId: _channelId, userLang: _userLang, ...summary } = c;
  return summary;
}

function toView(m: StoredMessage): MessageView {
  const p = m.payload ?? {};
  const base = {
    id: m.id,
    lang: m.lang,
    status: m.status,
    generated: m.generated,
    createdAt: m.createdAt,
  };
  if (m.direction === 'in') {
    return {
      ...base,
      from: 'user',
      text: m.text,
      ...(typeof p.postback === 'string' ? { postback: p.postback } : {}),
    };
  }
  const texts = Array.isArray(p.texts) ? (p.texts as unknown[]).filter((t) => typeof t === 'string') : [];
  const cards = Array.isArray(p.cards)
    ? (p.cards as Array<{ externalId?: unknown; title?: unknown }>)
        .filter((c) => typeof c.externalId === 'string')
        .map((c) => ({ externalId: String(c.externalId), title: typeof c.title === 'string' ? c.title : '' }))
    : [];
  const original = p.original as { text?: unknown; lang?: unknown } | undefined;
  return {
    ...base,
    from: m.kind === 'staff' ? 'staff' : 'bot',
    text: texts.length ? texts.join('\n\n') : m.text,
    ...(cards.length ? { cards } : {}),
    ...(original && typeof original.text === 'string'
      ? { original: { text: original.text, lang: original.lang as Lang } }
      : {}),
    ...(p.untranslated === true ? { untranslated: true } : {}),
    ...(typeof p.staff === 'string' ? { staff: p.staff } : {}),
    ...(p.notice === 'joined' || p.notice === 'handed-back' ? { notice: p.notice } : {}),
  };
}
