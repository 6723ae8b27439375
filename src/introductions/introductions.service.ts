import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { AuditRepository } from '../audit/audit.repository';
import { type Principal, actorOf } from '../auth/principal';
import type { Lang } from '../companies/company-profile.schema';
import { CompanyRepository } from '../companies/company.repository';
import { ProblemException } from '../common/problem';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LANG_NAMES } from '../conversation/conversation-messages';
import type { IntroductionAsk } from '../conversation/conversation-router';
import type { BotReply, Channel, InboundCommand, ReplyAction } from '../conversation/conversation.types';
import { mainMenu, nameIn } from '../conversation/reply-builder';
import { normalizeForRules } from '../conversation/understanding/rule-understanding';
import { COMMANDS } from '../conversation/understanding/vocabulary';
import { PG_POOL } from '../database/database.tokens';
import { withTransaction } from '../database/transaction';
import { LlmService } from '../llm/llm.service';
import { verdictOnModelText } from '../llm/output-guard';
import { languageOf } from '../relay/message-language';
import { type NewMember, RelayService } from '../relay/relay.service';
import { RoomRepository, type ThreadState } from '../relay/room.repository';
import { profileAsText } from '../translation/profile-text';
import { introductionTexts, withoutLinks } from './introduction-texts';
import {
  type Introduction,
  IntroductionRepository,
  type IntroductionStatus,
} from './introduction.repository';
import { IntroductionWorker } from './introduction.worker';

const MAX_MESSAGE = 1000;
const CANCEL = /^(cancel|stop|キャンセル|取り消し|取消|やめる|ยกเลิก)$/i;

const REGISTER: Record<Lang, string> = {
  ja: 'Use polite business Japanese (です/ます調).',
  th: 'Use polite, formal business Thai in gender-neutral form: do not end sentences with ครับ or ค่ะ.',
  en: 'Use clear, polite business English.',
};

/**
 * Introduction requests from the chat side: the request (a draft message, written by the model from the user's
 * search or by a template, which the user confirms or rewrites), sending it (rate-limited, expiring), and the
 * target's answers (accept opens a deal room; decline with an optional reason; ask staff; show the original).
 * Telling the target and reporting outcomes is the worker's job (durable, retried). Staff see everything and may
 * accept or decline on a company's behalf.
 */
@Injectable()
export class IntroductionsService {
  private readonly logger = new Logger('Introductions');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly repo: IntroductionRepository,
    private readonly companies: CompanyRepository,
    private readonly rooms: RoomRepository,
    private readonly relay: RelayService,
    private readonly llm: LlmService,
    private readonly worker: IntroductionWorker,
    private readonly audit: AuditRepository,
  ) {}

  // ---- requester -------------------------------------------------------------------------------------------

  async request(ask: IntroductionAsk): Promise<BotReply> {
    const { lang } = ask;
    const t = introductionTexts(lang);
    const target = await this.companies.findByExternalId(ask.targetExternalId);
    if (!target || target.status !== 'published')
      return { lang, texts: [t.notFound], quickReplies: mainMenu(lang) };
    const targetName = nameIn(target.names, lang, target.externalId);
    if (ask.linkedCompanyExternalId === target.externalId)
      return { lang, texts: [t.ownCompany], quickReplies: mainMenu(lang) };
    const open = await this.repo.openFor(ask.channel, ask.channelUserId, target.externalId);
    if (open?.status === 'pending')
      return { lang, texts: [t.already(targetName)], quickReplies: mainMenu(lang) };
    const limited = await this.overSendingLimit(ask.chatUserId, ask.network, lang);
    if (limited) return limited;
    const message = open?.message ?? (await this.draftMessage(ask, target, targetName));
    const draft =
      open ??
      (await this.repo.createDraft({
        requesterUserId: ask.chatUserId,
        channel: ask.channel,
        address: ask.channelUserId,
        requesterCompany: ask.linkedCompanyExternalId,
        requesterNetwork: ask.network,
        requesterLang: lang,
        target: target.externalId,
        need: ask.need,
        message,
        messageLang: lang,
      }));
    await this.rooms.setPending(this.pool, ask.channel, ask.channelUserId, {
      kind: 'intro-message',
      introductionId: draft.id,
    });
    this.logger.log({ msg: 'introduction drafted', introductionId: draft.id, target: target.externalId });
    return {
      lang,
      texts: [t.draft(targetName, draft.message ?? message)],
      quickReplies: this.draftButtons(lang, draft.id),
    };
  }

  /** A short first message: the model's, from the user's search and both public profiles; else a template. */
  private async draftMessage(
    ask: IntroductionAsk,
    target: NonNullable<Awaited<ReturnType<CompanyRepository['findByExternalId']>>>,
    targetName: string,
  ): Promise<string> {
    const template = introductionTexts(ask.lang).draftTemplate(ask.need?.slice(0, 200), targetName);
    if (!this.llm.isAvailable(ask.lang)) return template;
    const check = { lang: ask.lang, maxChars: MAX_MESSAGE, names: [targetName] };
    try {
      const requester = ask.linkedCompanyExternalId
        ? await this.companies.findByExternalId(ask.linkedCompanyExternalId)
        : undefined;
      const completion = await this.llm.complete(
        'draft-introduction',
        {
          language: LANG_NAMES.en[ask.lang],
          register: REGISTER[ask.lang],
          need: ask.need?.slice(0, 500) ?? '(not given)',
          requester: requester ? profileAsText(requester, ask.lang) : '(none)',
          target: profileAsText(target, ask.lang),
        },
        {
          outputLang: ask.lang,
          maxTokens: 300,
          signal: ask.signal,
          judge: (t) => verdictOnModelText(t, check),
        },
      );
      const text = completion.text.trim().replace(/^["「“]|["」”]$/g, '');
      // Shown to the requester and sent to the target: it passes the same output check as a chat reply.
      return text && verdictOnModelText(text, check) === 'ok' ? text : template;
    } catch (err) {
      this.logger.warn({ msg: 'introduction draft by template', error: (err as Error).name });
      return template;
    }
  }

  private draftButtons(lang: Lang, id: string): ReplyAction[] {
    const l = introductionTexts(lang).labels;
    return [
      { label: l.send, postback: `action=intro-send&i=${id}`, displayText: l.send },
      { label: l.cancel, postback: `action=intro-cancel&i=${id}`, displayText: l.cancel },
    ];
  }

  /** The thread's next message answers a pending question: the request's message, or a decline reason. */
  async answerPending(thread: ThreadState, command: InboundCommand): Promise<BotReply | undefined> {
    const pending = thread.pending;
    const text = command.text?.trim();
    if (!pending || !text) return undefined;
    const intro = await this.repo.get(pending.introductionId);
    const lang = await this.langOf(command);
    if (pending.kind === 'intro-message') {
      if (!intro || intro.status !== 'draft' || intro.requesterAddress !== command.conversationId) {
        await this.rooms.setPending(this.pool, command.channel, command.conversationId, null);
        return undefined;
      }
      const said = normalizeForRules(text);
      if (CANCEL.test(text) || COMMANDS.no.test(said)) return this.cancel(intro, command);
      if (COMMANDS.yes.test(said)) return this.send(intro, command, lang);
      if (
        text.length <= 40 &&
        [COMMANDS.human, COMMANDS.help, COMMANDS.newSearch, COMMANDS.forget].some((re) => re.test(said))
      ) {
        // A request to the bot, not the message: the draft waits (its buttons still work).
        await this.rooms.setPending(this.pool, command.channel, command.conversationId, null);
        return undefined;
      }
      const message = [...text].slice(0, MAX_MESSAGE).join('');
      await this.repo.updateMessage(intro.id, message, languageOf(message) ?? lang);
      return {
        lang,
        texts: [introductionTexts(lang).confirm(message)],
        quickReplies: this.draftButtons(lang, intro.id),
      };
    }
    // A decline reason (or "cancel": the request stays pending).
    await this.rooms.setPending(this.pool, command.channel, command.conversationId, null);
    if (!intro) return undefined;
    if (CANCEL.test(text)) return { lang, texts: [introductionTexts(lang).labels.cancel] };
    return this.decline(intro.id, command, text);
  }

  /** Buttons of the flow: `action=intro-…&i=<introduction id>`. */
  async action(action: string, params: URLSearchParams, command: InboundCommand): Promise<BotReply> {
    const id = params.get('i') ?? '';
    const lang = await this.langOf(command);
    const t = introductionTexts(lang);
    const intro = await this.repo.get(id);
    if (!intro) return { lang, texts: [t.notFound], quickReplies: mainMenu(lang) };
    switch (action) {
      case 'intro-send':
        return this.send(intro, command, lang);
      case 'intro-cancel':
        return this.cancel(intro, command);
      case 'intro-accept':
        return this.accept(intro, command, lang);
      case 'intro-decline':
        return this.askReason(intro, command, lang);
      case 'intro-decline-now':
        return this.decline(intro.id, command);
      case 'intro-staff':
        return this.askStaff(intro, command, lang);
      case 'intro-orig':
        return this.original(intro, command, lang);
      default:
        return { lang, texts: [t.notFound], quickReplies: mainMenu(lang) };
    }
  }

  /**
   * The refusal to show when the requester already sent as many requests as a chat user may in 24 hours, or
   * their web session's network did (every new web session is a new user: without it one sender could reach a
   * firm from as many anonymous sessions as it opened). Undefined when a request may go.
   */
  private async overSendingLimit(
    chatUserId: string | undefined,
    network: string | undefined,
    lang: Lang,
  ): Promise<BotReply | undefined> {
    const { ratePerDay, ratePerNetworkPerDay } = this.config.introductions;
    const byUser = chatUserId !== undefined && (await this.repo.sentInLastDay(chatUserId)) >= ratePerDay;
    const byNetwork =
      !byUser &&
      network !== undefined &&
      (await this.repo.sentFromNetworkInLastDay(network)) >= ratePerNetworkPerDay;
    if (!byUser && !byNetwork) return undefined;
    this.logger.log({
      msg: 'introduction rate limit reached',
      userId: chatUserId,
      per: byUser ? 'user' : 'network',
    });
    const t = introductionTexts(lang);
    return {
      lang,
      texts: [byUser ? t.rateLimited(ratePerDay) : t.networkRateLimited],
      quickReplies: mainMenu(lang),
    };
  }

  private isRequester(intro: Introduction, command: InboundCommand): boolean {
    return intro.requesterChannel === command.channel && intro.requesterAddress === command.conversationId;
  }

  private async send(intro: Introduction, command: InboundCommand, lang: Lang): Promise<BotReply> {
    const t = introductionTexts(lang);
    if (!this.isRequester(intro, command)) return { lang, texts: [t.notFound] };
    const targetName = await this.companyName(intro.targetExternalId, lang);
    if (intro.status !== 'draft') return { lang, texts: [t.notPending(t.status[intro.status])] };
    const limited = await this.overSendingLimit(intro.requesterUserId, intro.requesterNetwork, lang);
    if (limited) return limited;
    const linked = await this.repo.linkedUsers(intro.targetExternalId);
    const sent = await withTransaction(this.pool, async (tx) => {
      if (!(await this.repo.send(tx, intro.id, this.config.introductions.ttlHours))) return false;
      await this.rooms.setPending(tx, command.channel, command.conversationId, null);
      await this.audit.record(tx, [
        {
          entityType: 'introduction',
          entityId: intro.id,
          action: 'request',
          actor: `chat:${intro.requesterUserId ?? 'unknown'}`,
          after: { target: intro.targetExternalId, requesterCompany: intro.requesterCompany ?? null },
        },
      ]);
      return true;
    });
    if (!sent) return { lang, texts: [t.notPending(t.status[intro.status])] };
    this.worker.nudge();
    this.logger.log({ msg: 'introduction sent', introductionId: intro.id, target: intro.targetExternalId });
    const days = Math.max(1, Math.round(this.config.introductions.ttlHours / 24));
    const reachable = linked.some((u) => u.address !== intro.requesterAddress);
    return {
      lang,
      texts: [reachable ? t.sent(targetName, days) : t.sentToStaff(targetName, days)],
      quickReplies: mainMenu(lang),
    };
  }

  private async cancel(intro: Introduction, command: InboundCommand): Promise<BotReply> {
    const lang = await this.langOf(command);
    const t = introductionTexts(lang);
    if (!this.isRequester(intro, command)) return { lang, texts: [t.notFound] };
    await withTransaction(this.pool, async (tx) => {
      await this.repo.cancel(tx, intro.id);
      await this.rooms.setPending(tx, command.channel, command.conversationId, null);
    });
    return { lang, texts: [t.cancelled], quickReplies: mainMenu(lang) };
  }

  // ---- target ----------------------------------------------------------------------------------------------

  /** Whether this thread speaks for the target: told about the request, or linked to the target company. */
  private async speaksForTarget(
    intro: Introduction,
    command: InboundCommand,
  ): Promise<{ chatUserId: string; lang: Lang } | undefined> {
    const user = await this.repo.chatUser(command.channel, command.conversationId);
    if (!user) return undefined;
    const told = (await this.repo.recipients(intro.id)).some((r) => r.chatUserId === user.id);
    if (!told && user.company !== intro.targetExternalId) return undefined;
    return { chatUserId: user.id, lang: user.lang ?? command.lang ?? 'en' };
  }

  private async accept(intro: Introduction, command: InboundCommand, lang: Lang): Promise<BotReply> {
    const t = introductionTexts(lang);
    const actor = await this.speaksForTarget(intro, command);
    if (!actor) return { lang, texts: [t.notForYou] };
    const outcome = await this.acceptAs(intro, `chat:${actor.chatUserId}`, {
      chatUserId: actor.chatUserId,
      channel: command.channel,
      address: command.conversationId,
      lang: actor.lang,
      side: 'b',
    });
    if (outcome.ok) {
      // The room's first message ("deal room open") reaches every member, this one too.
      return { lang, texts: [] };
    }
    return {
      lang,
      texts: [outcome.reason === 'gone' ? t.requesterGone : t.notPending(t.status[outcome.status])],
    };
  }

  /**
   * Accepts a pending request and opens its room in one transaction: side a is the requester, side b everyone
   * on the target's side who was told (and whoever accepts). Staff accept on a company's behalf with no acceptor.
   */
  private async acceptAs(
    intro: Introduction,
    decidedBy: string,
    acceptor?: NewMember,
  ): Promise<
    { ok: true; roomId: string } | { ok: false; reason: 'not-pending' | 'gone'; status: IntroductionStatus }
  > {
    const requester = intro.requesterUserId
      ? await this.repo.chatUser(intro.requesterChannel, intro.requesterAddress)
      : undefined;
    if (!requester) {
      await withTransaction(this.pool, (tx) => this.repo.cancel(tx, intro.id));
      return { ok: false, reason: 'gone', status: 'cancelled' };
    }
    const told = await this.repo.recipients(intro.id);
    const members: NewMember[] = [
      {
        side: 'a',
        chatUserId: requester.id,
        channel: intro.requesterChannel,
        address: intro.requesterAddress,
        lang: requester.lang ?? intro.requesterLang,
      },
      ...told
        .filter((r) => r.chatUserId !== acceptor?.chatUserId && r.chatUserId !== requester.id)
        .map((r): NewMember => ({ side: 'b', ...r })),
      ...(acceptor ? [acceptor] : []),
    ];
    const roomId = await withTransaction(this.pool, async (tx) => {
      const decided = await this.repo.decide(tx, intro.id, 'accepted', decidedBy);
      if (!decided) return undefined;
      const id = await this.relay.openRoom(tx, {
        introductionId: intro.id,
        aCompany: intro.requesterCompany,
        bCompany: intro.targetExternalId,
        members,
      });
      await this.repo.setRoom(tx, intro.id, id);
      await this.audit.record(tx, [
        {
          entityType: 'introduction',
          entityId: intro.id,
          action: 'accept',
          actor: decidedBy,
          after: { roomId: id },
        },
      ]);
      return id;
    });
    if (!roomId) {
      const now = await this.repo.get(intro.id);
      return { ok: false, reason: 'not-pending', status: effectiveStatus(now ?? intro) };
    }
    this.relay.kick(roomId);
    this.logger.log({
      msg: 'introduction accepted',
      introductionId: intro.id,
      roomId,
      members: members.length,
    });
    return { ok: true, roomId };
  }

  private async askReason(intro: Introduction, command: InboundCommand, lang: Lang): Promise<BotReply> {
    const t = introductionTexts(lang);
    if (!(await this.speaksForTarget(intro, command))) return { lang, texts: [t.notForYou] };
    if (effectiveStatus(intro) !== 'pending')
      return { lang, texts: [t.notPending(t.status[effectiveStatus(intro)])] };
    await this.rooms.setPending(this.pool, command.channel, command.conversationId, {
      kind: 'decline-reason',
      introductionId: intro.id,
    });
    return {
      lang,
      texts: [t.askReason],
      quickReplies: [
        {
          label: t.labels.declineNow,
          postback: `action=intro-decline-now&i=${intro.id}`,
          displayText: t.labels.declineNow,
        },
      ],
    };
  }

  private async decline(id: string, command: InboundCommand, reason?: string): Promise<BotReply> {
    const lang = await this.langOf(command);
    const t = introductionTexts(lang);
    const intro = await this.repo.get(id);
    if (!intro) return { lang, texts: [t.notFound] };
    const actor = await this.speaksForTarget(intro, command);
    if (!actor) return { lang, texts: [t.notForYou] };
    const decided = await this.declineAs(intro, `chat:${actor.chatUserId}`, reason, command);
    if (!decided)
      return { lang, texts: [t.notPending(t.status[effectiveStatus((await this.repo.get(id)) ?? intro)])] };
    return { lang, texts: [t.declinedTarget], quickReplies: mainMenu(lang) };
  }

  private async declineAs(
    intro: Introduction,
    decidedBy: string,
    reason: string | undefined,
    command?: InboundCommand,
  ): Promise<boolean> {
    const decided = await withTransaction(this.pool, async (tx) => {
      const d = await this.repo.decide(tx, intro.id, 'declined', decidedBy, reason);
      if (!d) return false;
      if (command) await this.rooms.setPending(tx, command.channel, command.conversationId, null);
      await this.audit.record(tx, [
        {
          entityType: 'introduction',
          entityId: intro.id,
          action: 'decline',
          actor: decidedBy,
          after: { withReason: !!reason },
        },
      ]);
      return true;
    });
    if (decided) {
      this.worker.nudge();
      this.logger.log({ msg: 'introduction declined', introductionId: intro.id });
    }
    return decided;
  }

  private async askStaff(intro: Introduction, command: InboundCommand, lang: Lang): Promise<BotReply> {
    const t = introductionTexts(lang);
    if (!(await this.speaksForTarget(intro, command)) && !this.isRequester(intro, command))
      return { lang, texts: [t.notForYou] };
    await this.repo.askStaff(intro.id);
    this.logger.log({ msg: 'introduction asks for staff', introductionId: intro.id });
    return { lang, texts: [t.staffAsked] };
  }

  private async original(intro: Introduction, command: InboundCommand, lang: Lang): Promise<BotReply> {
    const t = introductionTexts(lang);
    if (!(await this.speaksForTarget(intro, command)) && !this.isRequester(intro, command))
      return { lang, texts: [t.notForYou] };
    const from = intro.messageLang ? LANG_NAMES[lang][intro.messageLang] : '';
    // The target reads it before accepting: without links, as in the request itself.
    const message = this.isRequester(intro, command)
      ? (intro.message ?? '')
      : withoutLinks(intro.message ?? '', lang);
    return { lang, texts: [t.original(from, message)] };
  }

  // ---- staff -----------------------------------------------------------------------------------------------

  async list(filter: {
    status?: IntroductionStatus;
    needsStaff?: boolean;
    target?: string;
    page: number;
    pageSize: number;
  }) {
    const { total, items } = await this.repo.list({
      status: filter.status,
      needsStaff: filter.needsStaff,
      target: filter.target,
      limit: filter.pageSize,
      offset: (filter.page - 1) * filter.pageSize,
    });
    const names = await this.companies.findManyByExternalIds([
      ...new Set(
        items.flatMap((i) => [i.targetExternalId, i.requesterCompany].filter((x): x is string => !!x)),
      ),
    ]);
    const nameOf = (id?: string) => (id ? (names.get(id)?.names ?? null) : null);
    return {
      total,
      page: filter.page,
      pageSize: filter.pageSize,
      items: items.map((i) => ({
        ...staffShape(i),
        target: { externalId: i.targetExternalId, names: nameOf(i.targetExternalId) },
        requester: {
          channel: i.requesterChannel,
          chatUserId: i.requesterUserId ?? null,
          company: i.requesterCompany
            ? { externalId: i.requesterCompany, names: nameOf(i.requesterCompany) }
            : null,
          lang: i.requesterLang,
        },
        recipients: i.recipients,
      })),
    };
  }

  async get(id: string) {
    const intro = await this.repo.get(id);
    if (!intro) throw new ProblemException(404, 'not-found', 'Not found', `No introduction ${id}.`);
    const recipients = await this.repo.recipients(id);
    return {
      ...staffShape(intro),
      need: intro.need ?? null,
      message: intro.message ?? null,
      messageLang: intro.messageLang ?? null,
      declineReason: intro.declineReason ?? null,
      recipients: recipients.map((r) => ({ chatUserId: r.chatUserId, channel: r.channel, lang: r.lang })),
    };
  }

  async acceptOnBehalf(id: string, staff: Principal) {
    const intro = await this.repo.get(id);
    if (!intro) throw new ProblemException(404, 'not-found', 'Not found', `No introduction ${id}.`);
    const outcome = await this.acceptAs(intro, actorOf(staff));
    if (!outcome.ok)
      throw new ProblemException(
        409,
        'not-pending',
        'Not pending',
        `This introduction is ${outcome.status}.`,
      );
    return { id, status: 'accepted', roomId: outcome.roomId };
  }

  async declineOnBehalf(id: string, staff: Principal, reason?: string) {
    const intro = await this.repo.get(id);
    if (!intro) throw new ProblemException(404, 'not-found', 'Not found', `No introduction ${id}.`);
    if (!(await this.declineAs(intro, actorOf(staff), reason)))
      throw new ProblemException(
        409,
        'not-pending',
        'Not pending',
        `This introduction is ${effectiveStatus(intro)}.`,
      );
    return { id, status: 'declined' };
  }

  /** Staff link a chat user to the company they speak for (then reached for its introductions). */
  async link(channel: Channel, channelUserId: string, companyExternalId: string | null, staff: Principal) {
    if (companyExternalId && !(await this.companies.findByExternalId(companyExternalId)))
      throw new ProblemException(404, 'not-found', 'Not found', `No company ${companyExternalId}.`);
    const chatUserId = await this.repo.linkChatUser(channel, channelUserId, companyExternalId);
    if (!chatUserId)
      throw new ProblemException(
        404,
        'not-found',
        'Not found',
        'No chat user with that channel id (they must have talked to the bot).',
      );
    await this.audit.record(this.pool, [
      {
        entityType: 'chat_user',
        entityId: chatUserId,
        action: 'link-company',
        actor: actorOf(staff),
        after: { company: companyExternalId },
      },
    ]);
    return { chatUserId, companyExternalId };
  }

  // ---- helpers ---------------------------------------------------------------------------------------------

  private async companyName(externalId: string, lang: Lang): Promise<string> {
    const c = await this.companies.findByExternalId(externalId);
    return c ? nameIn(c.names, lang, externalId) : externalId;
  }

  private async langOf(command: InboundCommand): Promise<Lang> {
    const user = await this.repo.chatUser(command.channel, command.conversationId);
    return user?.lang ?? command.lang ?? (command.text ? languageOf(command.text) : undefined) ?? 'en';
  }
}

/** A pending request past its expiry is expired, whether or not the sweep has run yet. */
function effectiveStatus(i: Introduction): IntroductionStatus {
  return i.status === 'pending' && i.expiresAt && i.expiresAt.getTime() <= Date.now() ? 'expired' : i.status;
}

function staffShape(i: Introduction) {
  return {
    id: i.id,
    status: effectiveStatus(i),
    route: i.route ?? null,
    targetExternalId: i.targetExternalId,
    requesterCompany: i.requesterCompany ?? null,
    needsStaffSince: i.needsStaffSince ?? null,
    sentAt: i.sentAt ?? null,
    expiresAt: i.expiresAt ?? null,
    decidedAt: i.decidedAt ?? null,
    decidedBy: i.decidedBy ?? null,
    roomId: i.roomId ?? null,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}
