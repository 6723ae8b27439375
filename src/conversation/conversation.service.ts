import { Injectable, Logger } from '@nestjs/common';
import type { Lang } from '../companies/company-profile.schema';
import { CompanyRepository } from '../companies/company.repository';
import type { PublicProfile } from '../companies/company.model';
import { ProblemException } from '../common/problem';
import type { Queryable } from '../database/transaction';
import { type DetectionResult, detectLanguage } from '../language';
import { LlmService } from '../llm/llm.service';
import { LlmCallError, LlmUnavailableError } from '../llm/llm.types';
import { SearchIndexerService } from '../matching/indexing/search-indexer.service';
import { LexiconService } from '../matching/lexicon/lexicon.service';
import { localizedIndustries } from '../matching/taxonomy/industry-labels';
import type { MatchItem } from '../matching/match.service';
import { ChatTranslator } from './chat-translator.service';
import { ConversationRouting } from './conversation-router';
import { LANG_NAMES, TRILINGUAL_GREETING, messagesFor } from './conversation-messages';
import type { ConversationState, SearchFilters, SearchState } from './conversation-state';
import {
  type ChatUser,
  type Conversation,
  ConversationRepository,
  type LangSource,
  type StoredReply,
} from './conversation.repository';
import type { BotReply, Channel, DeltaSink, InboundCommand } from './conversation.types';
import { checkGrounding } from './grounding';
import { PAGE_SIZE, PartnerSearchService, type SearchPage } from './partner-search.service';
import { ReplyStreamGate, chatReplyJudge, inventsContacts } from './reply-check';
import {
  action,
  cardOf,
  describeFilters,
  detailsReply,
  languageChoices,
  mainMenu,
  nameIn,
  postback,
  resultMenu,
  subjectExamples,
} from './reply-builder';
import type { CompanyRef, Intent, SearchSlots } from './understanding/intent';
import {
  contextForModel,
  intentFromModel,
  modelUnderstandingSchema,
} from './understanding/model-understanding';
import { nameCore, understandByRules } from './understanding/rule-understanding';
import { privacyNotice, TRILINGUAL_PRIVACY_NOTICE } from '../privacy/privacy-notice';

export interface HandleOptions {
  /** Receives model text as it is generated (only when the reply is written by a model). */
  onDelta?: DeltaSink;
  /** Aborts model work when the channel no longer needs the reply. */
  signal?: AbortSignal;
}

/** Longest text the engine reads; channels may enforce a smaller limit of their own. */
export const MAX_TEXT_LENGTH = 2000;
const MAX_POSTBACK_LENGTH = 300;
const HISTORY_TURNS = 6;

interface Turn {
  command: InboundCommand;
  user: ChatUser;
  conversation: Conversation;
  inboundId: string;
  state: ConversationState;
  lang: Lang;
  rememberLang?: { lang: Lang; source: LangSource };
  opts: HandleOptions;
}

interface Outcome {
  reply: BotReply;
  needsStaff?: boolean;
  forgotten?: boolean;
}

/**
 * The one pipeline for every inbound chat message, whatever the channel: the thread and message are stored, the
 * language is decided (an explicit choice, else what the message is written in, else what is remembered, else
 * the channel's hint, else asked), the message is understood (rules and the lexicon; with a model configured,
 * structured extraction), the action runs (search, refine, page, details, introduction, translation, language,
 * staff, help, forget me) and a channel-neutral reply comes back, stored with the new state. One turn per thread
 * at a time; logs carry ids, never text.
 */
@Injectable()
export class ConversationService {
  private readonly logger = new Logger('Conversation');
  private readonly queues = new Map<string, Promise<unknown>>();
  private knownNames?: Promise<string[]>;

  constructor(
    private readonly repository: ConversationRepository,
    private readonly search: PartnerSearchService,
    private readonly lexicon: LexiconService,
    private readonly llm: LlmService,
    private readonly companies: CompanyRepository,
    private readonly translator: ChatTranslator,
    indexer: SearchIndexerService,
    private readonly routing: ConversationRouting,
  ) {
    indexer.onIndexChanged(() => (this.knownNames = undefined));
  }

  async handle(command: InboundCommand, opts: HandleOptions = {}): Promise<BotReply> {
    const text = command.text?.trim();
    const hint = command.lang;
    if (command.meta?.isGroup && command.meta.mentioned === false) return { lang: hint ?? 'en', texts: [] };
    if (text !== undefined && [...text].length > MAX_TEXT_LENGTH) {
      const lang = hint ?? usableDetection(detectLanguage(text), text) ?? 'en';
      return { lang, texts: [messagesFor(lang).tooLong(MAX_TEXT_LENGTH)] };
    }
    if (command.postback !== undefined && command.postback.length > MAX_POSTBACK_LENGTH)
      return { lang: hint ?? 'en', texts: [] };
    if (command.attachment && !text && command.postback === undefined)
      return this.serially(`${command.channel}\u0000${command.conversationId}`, () =>
        this.attachmentTurn(command, opts),
      );
    if (!text && command.postback === undefined) return { lang: hint ?? 'en', texts: [] };
    return this.serially(`${command.channel}\u0000${command.conversationId}`, () =>
      this.turn({ ...command, text }, opts),
    );
  }

  /**
   * First contact (LINE follow, widget open): a greeting in ja, th and en with a language choice, and the
   * privacy notice (src/privacy).
   */
  greeting(lang?: Lang): BotReply {
    if (lang) {
      const m = messagesFor(lang);
      return {
        lang,
        texts: [m.greeting, privacyNotice(lang)],
        quickReplies: [...subjectExamples(lang).slice(0, 4), ...mainMenu(lang).slice(1)],
      };
    }
    return {
      lang: 'en',
      texts: [TRILINGUAL_GREETING.join('\n\n'), TRILINGUAL_PRIVACY_NOTICE],
      quickReplies: languageChoices(),
    };
  }

  /** Joined a LINE group or room: a short introduction, in the given language or all three. */
  groupIntroduction(lang?: Lang): BotReply {
    if (lang) return { lang, texts: [messagesFor(lang).groupIntro] };
    return {
      lang: 'en',
      texts: [(['ja', 'th', 'en'] as const).map((l) => messagesFor(l).groupIntro).join('\n\n')],
    };
  }

  /**
   * A polite note for messages the bot cannot read (stickers, images, files, locations), in the user's remembered
   * language (or the hint, or all three).
   */
  async unsupportedMessage(channel: Channel, userId: string, hint?: Lang): Promise<BotReply> {
    const user = await this.repository.findUser(channel, userId);
    const lang = (user?.langSource === 'chosen' ? user.lang : undefined) ?? hint ?? user?.lang;
    if (lang) return { lang, texts: [messagesFor(lang).unsupportedMedia], quickReplies: mainMenu(lang) };
    return {
      lang: 'en',
      texts: [(['ja', 'th', 'en'] as const).map((l) => messagesFor(l).unsupportedMedia).join('\n\n')],
      quickReplies: languageChoices(),
    };
  }

  /** LINE unfollow: the user is marked inactive (nothing is sent). */
  async userLeft(channel: Channel, userId: string): Promise<void> {
    await this.repository.setUserStatus(channel, userId, 'inactive');
  }

  /** LINE unsend: the stored message loses its content. Returns whether a message was found. */
  async messageUnsent(channel: Channel, channelMessageId: string): Promise<boolean> {
    return (await this.repository.markUnsent(channel, channelMessageId)) > 0;
  }

  /** LINE message edited: the stored text is replaced (the bot does not answer again). */
  async messageEdited(channel: Channel, channelMessageId: string, text: string): Promise<boolean> {
    return (await this.repository.markEdited(channel, channelMessageId, text.slice(0, MAX_TEXT_LENGTH))) > 0;
  }

  /** The chat user behind a 1:1 thread, created on first contact (a deal-room invitation can be the first). */
  async ensureUser(channel: Channel, userId: string, lang?: Lang): Promise<ChatUser> {
    return this.repository.ensureUser(channel, userId, lang);
  }

  /**
   * Messages the bot sends on its own into users' threads (an introduction request, its outcome, an alert), stored
   * like replies so the web chat replays them to a client that was offline; in one statement. Returns the stored
   * id of each, in order, undefined where the thread does not exist.
   */
  async postNotices(
    notices: Array<{ channel: Channel; conversationId: string; reply: BotReply }>,
    db?: Queryable,
  ): Promise<Array<string | undefined>> {
    return this.repository.appendBotMessages(notices, db);
  }

  /** Bot replies stored after `afterMessageId` in a thread (web chat: what a reconnecting client missed). */
  async repliesAfter(
    channel: Channel,
    conversationId: string,
    afterMessageId: string,
  ): Promise<StoredReply[]> {
    return this.repository.repliesAfter(channel, conversationId, afterMessageId);
  }

  // ---- the turn ----------------------------------------------------------------------------------------------

  /** An image, file or sticker: a deal room relays it; the bot itself asks for text. */
  private async attachmentTurn(command: InboundCommand, opts: HandleOptions): Promise<BotReply> {
    const routed = await this.routing.route(command, opts.signal);
    if (routed) return routed;
    return this.unsupportedMessage(command.channel, command.userId, command.lang);
  }

  private async turn(command: InboundCommand, opts: HandleOptions): Promise<BotReply> {
    // A message in a deal room, or an answer to an introduction, is not the bot's to read.
    const routed = await this.routing.route(command, opts.signal);
    if (routed) return routed;
    const started = Date.now();
    const detection = command.text ? detectLanguage(command.text) : undefined;
    const detected = detection && command.text ? usableDetection(detection, command.text) : undefined;
    const begun = await this.repository.begin(
      {
        channel: command.channel,
        channelUserId: command.userId,
        channelConversationId: command.conversationId,
        isGroup: command.meta?.isGroup === true,
        linkedCompanyExternalId: command.meta?.linkedCompanyExternalId,
      },
      {
        kind: command.postback !== undefined ? 'postback' : 'text',
        text: command.text,
        postback: command.postback,
        lang: detected,
        channelMessageId: command.meta?.messageId,
      },
    );
    const { user, conversation } = begun;
    if (begun.duplicateOf) {
      this.logger.log({
        msg: 'duplicate message',
        conversationId: conversation.id,
        inboundId: begun.inboundId,
      });
      const stored = begun.duplicateOf.reply;
      if (!stored) return { lang: user.lang ?? command.lang ?? 'en', texts: [], duplicate: true };
      return { ...fromStored(stored, user.lang ?? 'en'), duplicate: true };
    }
    if (conversation.mode === 'staff') {
      // A coordinator has the thread: the message is stored for them and the bot stays quiet.
      return { lang: user.lang ?? detected ?? command.lang ?? 'en', texts: [] };
    }

    const state = structuredClone(conversation.state);
    let intent = understandByRules({
      text: command.text,
      postback: command.postback,
      state,
      lexicon: this.lexicon.current(),
    });
    const language = decideLanguage(user, command.lang, detected);
    if (!language.lang && !(intent.kind === 'switch-language' && intent.lang)) {
      // Nothing says which language to use: ask, in all three.
      return this.store(
        { command, user, conversation, inboundId: begun.inboundId, state, lang: 'en', opts },
        { reply: this.greeting() },
        started,
        'ask-language',
      );
    }
    const turn: Turn = {
      command,
      user,
      conversation,
      inboundId: begun.inboundId,
      state,
      lang: language.lang ?? (intent.kind === 'switch-language' && intent.lang ? intent.lang : 'en'),
      rememberLang: language.remember,
      opts,
    };
    if (command.text && this.shouldAskModel(intent)) intent = await this.understandWithModel(turn, intent);
    const outcome = await this.act(intent, turn);
    return this.store(turn, outcome, started, intent.kind);
  }

  private async store(turn: Turn, outcome: Outcome, started: number, intent: string): Promise<BotReply> {
    const reply = outcome.reply;
    if (outcome.forgotten) {
      this.logger.log({ msg: 'chat turn', intent, forgotten: true, ms: Date.now() - started });
      return { ...reply, forgotten: true };
    }
    if (turn.state.pending?.kind === 'confirm-forget' && intent !== 'forget') delete turn.state.pending;
    const stored = await this.repository.finish({
      conversationId: turn.conversation.id,
      userId: turn.user.id,
      inboundId: turn.inboundId,
      state: turn.state,
      lang: reply.lang,
      userLang: turn.rememberLang,
      needsStaff: outcome.needsStaff,
      reply: reply.texts.length || reply.cards?.length ? reply : undefined,
    });
    this.logger.log({
      msg: 'chat turn',
      conversationId: turn.conversation.id,
      inboundId: turn.inboundId,
      replyId: stored?.id,
      intent,
      lang: reply.lang,
      cards: reply.cards?.length ?? 0,
      generated: reply.generated === true,
      ms: Date.now() - started,
    });
    return { ...reply, messageId: stored?.id };
  }

  private serially<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return next;
  }

  // ---- understanding -----------------------------------------------------------------------------------------

  /** Buttons and clear commands are exact; free text that the rules read as a search (or not at all) goes to the model. */
  private shouldAskModel(intent: Intent): boolean {
    return ['search', 'refine', 'unknown'].includes(intent.kind) && this.llm.isAvailable();
  }

  private async understandWithModel(turn: Turn, byRules: Intent): Promise<Intent> {
    try {
      const result = await this.llm.extract(
        'chat-understand',
        { context: contextForModel(turn.state), message: turn.command.text ?? '' },
        modelUnderstandingSchema,
        { fallback: () => ({ intent: 'unknown' as const }), signal: turn.opts.signal },
      );
      if (result.source === 'fallback') return byRules;
      const byModel = intentFromModel(result.value, turn.state, this.lexicon.current());
      return mergeIntents(byModel, byRules);
    } catch (err) {
      this.logger.warn({ msg: 'model understanding failed; using rules', error: (err as Error).name });
      return byRules;
    }
  }

  // ---- actions -----------------------------------------------------------------------------------------------

  private async act(intent: Intent, turn: Turn): Promise<Outcome> {
    const { lang } = turn;
    const m = messagesFor(lang);
    const state = turn.state;
    if (intent.kind !== 'translate' && state.pending?.kind === 'translate-text') delete state.pending;
    switch (intent.kind) {
      case 'greeting':
        return {
          reply: {
            lang,
            texts: [m.greetingShort],
            quickReplies: [...subjectExamples(lang).slice(0, 4), ...mainMenu(lang).slice(1)],
          },
        };
      case 'help':
        return { reply: { lang, texts: [m.help], quickReplies: mainMenu(lang) } };
      case 'switch-language':
        return this.switchLanguage(intent.lang, turn);
      case 'human':
        return {
          reply: { lang, texts: [turn.conversation.needsStaff ? m.handoffAlready : m.handoff] },
          needsStaff: true,
        };
      case 'forget':
        state.pending = { kind: 'confirm-forget' };
        return {
          reply: {
            lang,
            texts: [m.forgetConfirm],
            quickReplies: [
              action(m.labels.yesDelete, postback('forget-confirm')),
              action(m.labels.no, postback('forget-cancel')),
            ],
          },
        };
      case 'forget-confirm':
        if (state.pending?.kind !== 'confirm-forget') return this.act({ kind: 'forget' }, turn);
        return this.forget(turn);
      case 'forget-cancel':
        delete state.pending;
        return { reply: { lang, texts: [m.forgetCancelled], quickReplies: mainMenu(lang) } };
      case 'new-search':
        delete state.search;
        delete state.lastResults;
        state.pending = { kind: 'search-subject', filters: {} };
        return { reply: { lang, texts: [m.askSubject], quickReplies: subjectExamples(lang) } };
      case 'more':
        return this.more(turn);
      case 'details':
        return this.details(intent.ref, turn);
      case 'introduce':
        return this.introduce(intent.ref, turn);
      case 'translate':
        return this.translate(intent.text, intent.to, turn);
      case 'refine':
        return this.refine(intent.slots, turn);
      case 'search':
        return this.newSearch(intent.slots, turn);
      default:
        return { reply: { lang, texts: [m.notUnderstood], quickReplies: mainMenu(lang) } };
    }
  }

  private switchLanguage(lang: Lang | undefined, turn: Turn): Outcome {
    if (!lang) {
      return {
        reply: {
          lang: turn.lang,
          texts: [messagesFor(turn.lang).chooseLanguage],
          quickReplies: languageChoices(),
        },
      };
    }
    turn.lang = lang;
    turn.rememberLang = { lang, source: 'chosen' };
    const m = messagesFor(lang);
    return {
      reply: { lang, texts: [`${m.languageSet}\n${m.greetingShort}`], quickReplies: subjectExamples(lang) },
    };
  }

  private async forget(turn: Turn): Promise<Outcome> {
    const result = await this.repository.forget(turn.command.channel, turn.command.userId);
    this.logger.log({
      msg: 'chat user forgotten',
      userId: turn.user.id,
      messages: result?.messages ?? 0,
      conversations: result?.conversations ?? 0,
    });
    return { reply: { lang: turn.lang, texts: [messagesFor(turn.lang).forgetDone] }, forgotten: true };
  }

  private async newSearch(slots: SearchSlots, turn: Turn): Promise<Outcome> {
    const { lang, state } = turn;
    const m = messagesFor(lang);
    const pendingFilters = state.pending?.kind === 'search-subject' ? state.pending.filters : {};
    const filters: SearchFilters = { ...pendingFilters, ...definedFilters(slots) };
    if (!slots.subject) {
      state.pending = { kind: 'search-subject', filters };
      const described = describeFilters(filters, lang, (id) => this.lexicon.current().label(id, lang));
      return {
        reply: {
          lang,
          texts: [described ? m.askSubjectWithFilters(described) : m.askSubject],
          quickReplies: subjectExamples(lang),
        },
      };
    }
    delete state.pending;
    const text = turn.command.postback !== undefined ? slots.subject : (turn.command.text ?? slots.subject);
    const search: SearchState = {
      text: text.slice(0, MAX_TEXT_LENGTH),
      lang,
      filters,
      shown: [],
      hasMore: false,
    };
    return this.showPage(search, turn, 'first');
  }

  private async refine(slots: SearchSlots, turn: Turn): Promise<Outcome> {
    const { state, lang } = turn;
    if (!state.search) return this.newSearch(slots, turn);
    const filters: SearchFilters = { ...state.search.filters };
    if (slots.anyPartnership) delete filters.partnershipType;
    else if (slots.partnershipType) filters.partnershipType = slots.partnershipType;
    if (slots.region) {
      filters.region = slots.region;
      delete filters.regionWords;
    } else if (slots.regionWords) {
      filters.regionWords = slots.regionWords;
      delete filters.region;
    }
    if (slots.country) filters.country = slots.country;
    const search: SearchState = { ...state.search, filters, shown: [], hasMore: false };
    const described = describeFilters(filters, lang, (id) => this.lexicon.current().label(id, lang));
    return this.showPage(search, turn, 'refined', described);
  }

  private async more(turn: Turn): Promise<Outcome> {
    const { state, lang } = turn;
    const m = messagesFor(lang);
    if (!state.search)
      return { reply: { lang, texts: [m.noSearchYet], quickReplies: subjectExamples(lang) } };
    if (!state.search.hasMore) {
      return {
        reply: {
          lang,
          texts: [m.noMoreResults],
          quickReplies: resultMenu(lang, [], state.search.filters, false),
        },
      };
    }
    return this.showPage(state.search, turn, 'more');
  }

  private async showPage(
    search: SearchState,
    turn: Turn,
    kind: 'first' | 'refined' | 'more',
    filtersDescribed?: string,
  ): Promise<Outcome> {
    const { lang, state } = turn;
    const m = messagesFor(lang);
    let page: SearchPage;
    try {
      page = await this.search.page(search, turn.user.country, lang);
    } catch (err) {
      if (!(err instanceof ProblemException)) throw err;
      // The text had nothing to search with (no words in a supported language, or an unknown filter).
      return { reply: { lang, texts: [m.notUnderstood], quickReplies: mainMenu(lang) } };
    }
    const next: SearchState = {
      ...search,
      shown: [...search.shown, ...page.items.map((i) => i.externalId)].slice(-500),
      hasMore: page.hasMore,
    };
    state.search = next;
    if (page.items.length === 0) {
      if (kind === 'more') next.hasMore = false;
      return {
        reply: {
          lang,
          texts: [kind === 'more' ? m.noMoreResults : m.noResults],
          quickReplies: resultMenu(lang, [], search.filters, false),
        },
      };
    }
    state.lastResults = page.items.map((i) => ({ externalId: i.externalId, names: stringsOnly(i.names) }));
    const cards = page.items.map((i) => cardOf(i, lang));
    const quickReplies = resultMenu(lang, page.items, search.filters, page.hasMore);
    const intro =
      kind === 'more'
        ? m.moreIntro(page.items.length)
        : m.resultsIntro(page.items.length, page.targetCountry);
    const template = [
      kind === 'refined' && filtersDescribed
        ? `${m.refined(filtersDescribed)}${lang === 'ja' ? '' : ' '}${intro}`
        : intro,
    ];
    if (kind === 'first' && !search.filters.partnershipType && quickReplies.length > 2)
      template.push(m.refineHint);
    const written = await this.writeWithModel(turn, search, page.items);
    return {
      reply: written
        ? { lang, texts: [written], cards, quickReplies, generated: true }
        : { lang, texts: [template.join(lang === 'ja' ? '' : ' ')], cards, quickReplies },
    };
  }

  /**
   * With a model for the user's language: a short answer written by it from the results only, streamed to the
   * channel through the output check (reply-check.ts). Garbage, contact details, or any company it names that is
   * not in the results reject the answer: the rule-based template is used instead.
   */
  private async writeWithModel(
    turn: Turn,
    search: SearchState,
    items: MatchItem[],
  ): Promise<string | undefined> {
    const { lang } = turn;
    if (!this.llm.isAvailable(lang)) return undefined;
    try {
      const history = await this.repository.recentHistory(turn.conversation.id, HISTORY_TURNS);
      const results = items
        .map((item, i) =>
          [
            `${i + 1}. ${item.name} (${messagesFor(lang).details.country[item.country]}`,
            item.industry ? `; ${item.industry}` : '',
            item.location ? `; ${item.location}` : '',
            `) — ${item.explanation}`,
            item.partnershipTypes.length ? ` Partnerships: ${item.partnershipTypes.join(', ')}.` : '',
          ].join(''),
        )
        .join('\n');
      const vars = {
        target_language: LANG_NAMES.en[lang],
        register: REGISTER[lang],
        history:
          history
            .slice(0, -1)
            .map((h) => `${h.direction === 'in' ? 'User' : 'Bot'}: ${clipText(h.text, 300)}`)
            .join('\n') || '(none)',
        request: clipText(turn.command.text ?? search.text, 500),
        results,
      };
      const allowed = items.flatMap((i) => Object.values(i.names).filter((n): n is string => Boolean(n)));
      const inputs = Object.values(vars);
      // Garbage is judged inside the call (and counts against the circuit); invented contacts are refused before
      // anything is shown; invented companies are judged on the whole reply (the check against every known name
      // is too costly per piece), and the final message replaces anything streamed.
      const gate = new ReplyStreamGate(turn.opts.onDelta, (t) => !inventsContacts(t, inputs));
      const stream = this.llm.stream('chat-reply', vars, {
        outputLang: lang,
        signal: turn.opts.signal,
        judge: chatReplyJudge(lang, allowed),
      });
      let text = '';
      for await (const delta of stream) {
        text += delta;
        if (!gate.offer(text)) {
          this.logger.warn({
            msg: 'generated reply gave contact details; using the template',
            conversationId: turn.conversation.id,
          });
          return undefined;
        }
      }
      text = text.trim();
      if (!text || inventsContacts(text, inputs)) return undefined;
      const known = (await this.companyNames()).filter((n) => !allowed.includes(n));
      const check = checkGrounding({ text, allowed, known });
      if (!check.ok) {
        this.logger.warn({
          msg: 'generated reply named companies outside the results; using the template',
          conversationId: turn.conversation.id,
          unknownNames: check.unknown.length,
        });
        return undefined;
      }
      gate.finish(text);
      return text;
    } catch (err) {
      if (err instanceof LlmUnavailableError || err instanceof LlmCallError) {
        // Includes a reply rejected by the output check (LlmCallError 'invalid-output'; the call record says why).
        this.logger.warn({
          msg: 'generated reply unavailable; using the template',
          error: err.name,
          kind: err instanceof LlmCallError ? err.kind : err.reason,
        });
        return undefined;
      }
      throw err;
    }
  }

  private companyNames(): Promise<string[]> {
    this.knownNames ??= this.repository.allCompanyNames().catch((err: unknown) => {
      this.knownNames = undefined;
      throw err;
    });
    return this.knownNames;
  }

  /** The company a reference points at: a button's id, a position in the last list, or a name in it. */
  private resolveRef(ref: CompanyRef | undefined, state: ConversationState): string | undefined {
    if (!ref) return undefined;
    if ('externalId' in ref) return ref.externalId;
    const results = state.lastResults ?? [];
    if ('index' in ref) return results[ref.index - 1]?.externalId;
    const wanted = nameCore(ref.name);
    if (wanted.length < 2) return undefined;
    return results.find((r) =>
      Object.values(r.names).some((n) => {
        const core = nameCore(n);
        return core.includes(wanted) || wanted.includes(core);
      }),
    )?.externalId;
  }

  private whichCompany(turn: Turn, kind: 'details' | 'intro'): Outcome {
    const { lang, state } = turn;
    const m = messagesFor(lang);
    const results = state.lastResults ?? [];
    if (results.length === 0)
      return { reply: { lang, texts: [m.noSearchYet], quickReplies: subjectExamples(lang) } };
    return {
      reply: {
        lang,
        texts: [m.whichCompany],
        quickReplies: results.map((r, i) => {
          const name = nameIn(r.names, lang, r.externalId);
          return action(`${i + 1}. ${clipText(name, 16)}`, postback(kind, { id: r.externalId }), name);
        }),
      },
    };
  }

  private async details(ref: CompanyRef | undefined, turn: Turn): Promise<Outcome> {
    const { lang } = turn;
    if (!ref) return this.whichCompany(turn, 'details');
    const externalId = this.resolveRef(ref, turn.state);
    const profile = externalId ? await this.companies.findByExternalId(externalId) : undefined;
    if (!profile || profile.status !== 'published') {
      return { reply: { lang, texts: [messagesFor(lang).detailsNotFound], quickReplies: mainMenu(lang) } };
    }
    return { reply: this.profileDetails(profile, lang) };
  }

  /** A company's public profile as a reply, its industries named in the reader's language. */
  profileDetails(profile: PublicProfile, lang: Lang): BotReply {
    const industries = localizedIndustries(profile.industries, this.lexicon.current());
    return detailsReply({ ...profile, industries }, lang);
  }

  private async introduce(ref: CompanyRef | undefined, turn: Turn): Promise<Outcome> {
    const { lang } = turn;
    const m = messagesFor(lang);
    if (!ref) return this.whichCompany(turn, 'intro');
    const externalId = this.resolveRef(ref, turn.state);
    const profile = externalId ? await this.companies.findByExternalId(externalId) : undefined;
    if (!profile || profile.status !== 'published') {
      return { reply: { lang, texts: [m.detailsNotFound], quickReplies: mainMenu(lang) } };
    }
    const router = this.routing.introductions;
    if (router?.requestIntroduction) {
      const reply = await router.requestIntroduction({
        channel: turn.command.channel,
        channelUserId: turn.command.userId,
        chatUserId: turn.user.id,
        linkedCompanyExternalId: turn.user.linkedCompanyExternalId,
        network: turn.command.meta?.network,
        lang,
        targetExternalId: profile.externalId,
        need: turn.state.search?.text,
        signal: turn.opts.signal,
      });
      return { reply };
    }
    const created = await this.repository.recordIntroductionRequest({
      userId: turn.user.id,
      conversationId: turn.conversation.id,
      targetExternalId: profile.externalId,
      need: turn.state.search?.text,
    });
    const name = nameIn(profile.names, lang, profile.externalId);
    this.logger.log({
      msg: 'introduction requested',
      userId: turn.user.id,
      target: profile.externalId,
      created,
    });
    return {
      reply: {
        lang,
        texts: [created ? m.introRecorded(name) : m.introAlready(name)],
        quickReplies: [
          ...(turn.state.search?.hasMore ? [action(m.labels.more, postback('more'))] : []),
          action(m.labels.newSearch, postback('new-search')),
          action(m.labels.human, postback('human')),
        ],
      },
      needsStaff: true,
    };
  }

  private async translate(text: string | undefined, to: Lang | undefined, turn: Turn): Promise<Outcome> {
    const { lang, state } = turn;
    const m = messagesFor(lang);
    if (!text) {
      state.pending = { kind: 'translate-text', to };
      return { reply: { lang, texts: [m.translateAsk] } };
    }
    delete state.pending;
    const from = usableDetection(detectLanguage(text), text) ?? lang;
    const target = to ?? defaultTranslationTarget(from, lang, turn.user.country);
    if (target === from) return { reply: { lang, texts: [m.sameLanguage] } };
    try {
      const translated = await this.translator.translate(text, from, target, turn.opts.signal);
      return {
        reply: { lang, texts: [`${m.translated(LANG_NAMES[lang][target])}\n${translated}`], generated: true },
      };
    } catch (err) {
      if (err instanceof LlmUnavailableError) return { reply: { lang, texts: [m.translateUnavailable] } };
      if (err instanceof LlmCallError) return { reply: { lang, texts: [m.translateFailed] } };
      throw err;
    }
  }
}

// ---- helpers -------------------------------------------------------------------------------------------------

const REGISTER: Record<Lang, string> = {
  ja: 'Use polite Japanese (です/ます調), as a business coordinator would.',
  th: 'Use polite, formal Thai suitable for business, in gender-neutral form: do not end sentences with ครับ or ค่ะ.',
  en: 'Use clear, polite business English.',
};

/** A detection worth acting on: not undetermined, and for English at least two words (brand names are Latin). */
function usableDetection(d: DetectionResult, text: string): Lang | undefined {
  if (d.lang === 'und' || d.confidence < 0.5) return undefined;
  if (d.lang === 'en' && !/[a-z]{2,}[^a-z]+[a-z]{2,}/i.test(text)) return undefined;
  return d.lang;
}

function decideLanguage(
  user: ChatUser,
  hint: Lang | undefined,
  detected: Lang | undefined,
): { lang?: Lang; remember?: { lang: Lang; source: LangSource } } {
  if (user.langSource === 'chosen' && user.lang) return { lang: user.lang };
  if (detected) {
    return {
      lang: detected,
      remember: user.lang !== detected ? { lang: detected, source: 'detected' } : undefined,
    };
  }
  if (user.lang) return { lang: user.lang };
  if (hint) return { lang: hint, remember: { lang: hint, source: 'channel' } };
  return {};
}

/** Into the other side's language when the text is the user's own; into the user's language otherwise. */
function defaultTranslationTarget(from: Lang, userLang: Lang, country: string | undefined): Lang {
  if (from !== userLang) return userLang;
  if (from === 'ja') return 'th';
  if (from === 'th') return 'ja';
  return country === 'TH' ? 'ja' : 'th';
}

/** The model understands free text better; the rules keep what the model left out (and exact commands). */
function mergeIntents(byModel: Intent, byRules: Intent): Intent {
  if (byModel.kind === 'unknown') return byRules;
  if (
    (byModel.kind === 'search' || byModel.kind === 'refine') &&
    (byRules.kind === 'search' || byRules.kind === 'refine')
  ) {
    const slots: SearchSlots = { ...byRules.slots, ...definedSlots(byModel.slots) };
    return { kind: slots.subject ? 'search' : byModel.kind, slots };
  }
  return byModel;
}

function definedSlots(slots: SearchSlots): SearchSlots {
  return Object.fromEntries(Object.entries(slots).filter(([, v]) => v !== undefined));
}

function definedFilters(slots: SearchSlots): SearchFilters {
  const out: SearchFilters = {};
  if (slots.partnershipType) out.partnershipType = slots.partnershipType;
  if (slots.region) out.region = slots.region;
  if (slots.regionWords) out.regionWords = slots.regionWords;
  if (slots.country) out.country = slots.country;
  return out;
}

function fromStored(stored: StoredReply, fallbackLang: Lang): BotReply {
  return {
    lang: stored.lang ?? fallbackLang,
    texts: stored.texts,
    cards: stored.cards.length ? stored.cards : undefined,
    quickReplies: stored.quickReplies.length ? stored.quickReplies : undefined,
    generated: stored.generated,
    messageId: stored.id,
  };
}

function stringsOnly(names: Partial<Record<Lang, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(names).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

function clipText(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export { PAGE_SIZE };
