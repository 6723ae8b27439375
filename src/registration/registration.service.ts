import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Principal } from '../auth/principal';
import { AuditRepository } from '../audit/audit.repository';
import { type Lang, PARTNERSHIP_TYPES, type PartnershipType } from '../companies/company-profile.schema';
import { CompaniesService } from '../companies/companies.service';
import type { CompanyRecord } from '../companies/company.model';
import { CompanyRepository } from '../companies/company.repository';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { messagesFor } from '../conversation/conversation-messages';
import type { ChatUser } from '../conversation/conversation.repository';
import { ConversationService } from '../conversation/conversation.service';
import type { BotReply, InboundCommand, ReplyAction } from '../conversation/conversation.types';
import { action, detailsReply, mainMenu, nameIn, postback } from '../conversation/reply-builder';
import { COMMANDS } from '../conversation/understanding/vocabulary';
import { normalizeForRules } from '../conversation/understanding/rule-understanding';
import { PG_POOL } from '../database/database.tokens';
import { withTransaction } from '../database/transaction';
import { languageOf } from '../relay/message-language';
import {
  type RegistrationAnswers,
  answersFromProfile,
  changePatch,
  contactLine,
  interviewCommandIn,
  orderedTypes,
  parseAnswer,
  publicPreview,
  stepAfter,
} from './registration-interview';
import {
  type InterviewStep,
  OPTIONAL_STEPS,
  type RegistrationTexts,
  STEPS,
  registrationTexts,
} from './registration-texts';
import {
  type Registration,
  RegistrationRepository,
  type RegistrationStep,
  type TranscriptEntry,
} from './registration.repository';

/**
 * A firm registering itself in chat: one question at a time (quick replies where the answer is a choice),
 * "back", "skip", "later" and "cancel" at any point, the draft kept in the database between messages (a restart
 * or a week away changes nothing), the card other firms would see before it is sent, then the staff review.
 * No model is involved: the interview works the same with and without an LLM.
 */
/** A chat user speaking for a firm: who, in which language, and the company they are linked to (if any). */
interface Firm {
  user: ChatUser;
  lang: Lang;
  t: RegistrationTexts;
  company?: CompanyRecord;
}
type LinkedFirm = Firm & { company: CompanyRecord };

/** A firm's linked chat user acting on its own profile (audited as `chat:<user>`). */
function chatActor(chatUserId: string): Principal {
  return { kind: 'chat', id: chatUserId, name: chatUserId, role: 'curator' };
}

/** How long a colleague's invitation code stays valid. */
const INVITE_DAYS = 7;

@Injectable()
export class RegistrationService {
  private readonly logger = new Logger(RegistrationService.name);

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: RegistrationRepository,
    private readonly conversation: ConversationService,
    private readonly companies: CompanyRepository,
    private readonly companiesService: CompaniesService,
    private readonly audit: AuditRepository,
  ) {}

  /** "Register my company" (in words or by the menu button): starts an interview or picks the open one up. */
  async begin(command: InboundCommand): Promise<BotReply> {
    const firm = await this.firmOf(command);
    const { user, lang, t } = firm;
    if (user.linkedCompanyExternalId) return this.alreadyLinked(firm);
    const open = await this.repo.open(user.id);
    if (open) return this.resume(open);
    const created = await this.repo.create(
      {
        chatUserId: user.id,
        channel: command.channel,
        address: command.userId,
        lang,
        network: command.meta?.network,
      },
      STEPS[0],
    );
    // Two starts at once: the other one made the draft.
    if (!created) return this.resume((await this.repo.open(user.id))!);
    this.logger.log({ msg: 'registration started', registrationId: created.id, channel: command.channel });
    return this.ask(created, STEPS[0], [t.start]);
  }

  /** The firm's registration as it stands: the next question, the review, or where it is with staff. */
  private async resume(reg: Registration): Promise<BotReply> {
    const t = registrationTexts(reg.lang);
    if (reg.status === 'submitted')
      return { lang: reg.lang, texts: [t.withStaff], quickReplies: mainMenu(reg.lang) };
    if (reg.status === 'question')
      return { lang: reg.lang, texts: [t.staffQuestion(reg.staffQuestion ?? '')] };
    const step = reg.step ?? this.firstUnanswered(reg);
    const resumed = reg.step === step ? reg : await this.repo.update(this.pool, reg.id, { step });
    return step === 'review' ? this.review(resumed, [t.resume]) : this.ask(resumed, step, [t.resume]);
  }

  /**
   * A message in a thread whose interview is under way, or whose firm owes staff an answer. Undefined when it is
   * a request to the bot instead ("help", "new search", another language): the draft is set aside and kept.
   */
  async answer(reg: Registration, command: InboundCommand): Promise<BotReply | undefined> {
    const text = command.text?.trim() ?? '';
    if (!text) return undefined;
    if (this.isForTheBot(text)) {
      if (reg.status === 'drafting') await this.repo.update(this.pool, reg.id, { step: null });
      return undefined;
    }
    if (reg.status === 'question') return this.answerStaff(reg, text);
    const cmd = interviewCommandIn(text);
    const step = reg.step as RegistrationStep;
    if (cmd) return this.steer(reg, cmd);
    if (step === 'review') return this.review(reg, []);
    const parsed = parseAnswer(step, text, reg.answers, reg.lang);
    if (!parsed.ok) return this.ask(reg, step, [parsed.problem]);
    return this.advance(reg, step, parsed.answers, text);
  }

  /** Buttons of the interview: `action=reg-…`. */
  async button(name: string, params: URLSearchParams, command: InboundCommand): Promise<BotReply> {
    if (name === 'reg-start') return this.begin(command);
    const firm = await this.firmOf(command);
    const reg = await this.repo.open(firm.user.id);
    if (name === 'reg-my') return this.ownCompany(firm, reg);
    if (name === 'reg-change' && reg) return this.resume(reg);
    if (
      name === 'reg-invite' ||
      name === 'reg-change' ||
      name === 'reg-pause' ||
      name === 'reg-resume' ||
      name === 'reg-unlink'
    ) {
      if (!firm.company)
        return { lang: firm.lang, texts: [firm.t.notRegistered], quickReplies: mainMenu(firm.lang) };
      const linked = { ...firm, company: firm.company };
      if (name === 'reg-invite') return this.invite(linked);
      if (name === 'reg-change') return this.startChange(command, linked);
      return this.manage(name, linked);
    }
    if (!reg || reg.status !== 'drafting') return reg ? this.resume(reg) : this.begin(command);
    const step = reg.step ?? this.firstUnanswered(reg);
    const t = registrationTexts(reg.lang);
    switch (name) {
      case 'reg-back':
      case 'reg-skip':
      case 'reg-later':
      case 'reg-cancel':
      case 'reg-done':
      case 'reg-submit':
        return this.steer({ ...reg, step }, name.slice(4) as Parameters<RegistrationService['steer']>[1]);
      case 'reg-edit':
        await this.repo.update(this.pool, reg.id, { step: 'review' });
        return {
          lang: reg.lang,
          texts: [t.editWhich],
          quickReplies: STEPS.filter((s) => reg.kind === 'new' || s !== 'country').map((s) =>
            action(t.fields[s], postback('reg-field', { f: s })),
          ),
        };
      case 'reg-field': {
        const field = params.get('f') as InterviewStep;
        if (!STEPS.includes(field)) return this.review(reg, []);
        const answers = { ...reg.answers, editing: true };
        const updated = await this.repo.update(this.pool, reg.id, { step: field, answers });
        return this.ask(updated, field, []);
      }
      case 'reg-country': {
        const c = params.get('c');
        if (step !== 'country' || (c !== 'JP' && c !== 'TH')) return this.resume(reg);
        return this.advance(
          reg,
          'country',
          { ...reg.answers, country: c },
          c === 'JP' ? t.labels.japan : t.labels.thailand,
        );
      }
      case 'reg-size': {
        const n = Number(params.get('n'));
        if (step !== 'size' || !Number.isSafeInteger(n) || n <= 0) return this.resume(reg);
        const label = t.sizes.find(([v]) => v === n)?.[1] ?? String(n);
        return this.advance(reg, 'size', { ...reg.answers, employees: n }, label);
      }
      case 'reg-pt': {
        const type = params.get('t') as PartnershipType;
        if (step !== 'partnership' || !PARTNERSHIP_TYPES.includes(type)) return this.resume(reg);
        const chosen = reg.answers.partnershipTypes ?? [];
        const types = chosen.includes(type)
          ? chosen.filter((c) => c !== type)
          : orderedTypes([...chosen, type]);
        const updated = await this.repo.update(this.pool, reg.id, {
          answers: { ...reg.answers, partnershipTypes: types },
        });
        return this.ask(updated, 'partnership', []);
      }
      default:
        return this.resume(reg);
    }
  }

  /**
   * The chat user behind a message or button, the language to answer in, and the company they are linked to:
   * read once per message.
   */
  private async firmOf(command: InboundCommand): Promise<Firm> {
    const user = await this.conversation.ensureUser(command.channel, command.userId, command.lang);
    const lang = this.langFor(command, user.lang);
    const company = user.linkedCompanyExternalId
      ? await this.companies.findByExternalId(user.linkedCompanyExternalId)
      : undefined;
    return { user, lang, t: registrationTexts(lang), company };
  }

  /** Said to a user who asks to register or redeems an invitation while already speaking for a company. */
  private alreadyLinked({ user, lang, t, company }: Firm): BotReply {
    const name = company ? nameIn(company.names, lang, company.externalId) : user.linkedCompanyExternalId!;
    return { lang, texts: [t.alreadyLinked(name)], quickReplies: mainMenu(lang) };
  }

  /** "My company": the linked company's card, or where the firm's registration stands. */
  private ownCompany(
    { lang, t, company }: Firm,
    reg: Registration | undefined,
  ): BotReply | Promise<BotReply> {
    if (company) {
      const details = this.conversation.profileDetails(company, lang);
      return {
        ...details,
        texts: [t.myCompany(nameIn(company.names, lang, company.externalId)), ...details.texts],
        quickReplies: [
          company.status === 'published'
            ? action(t.labels.pause, postback('reg-pause'))
            : action(t.labels.resume, postback('reg-resume')),
          action(t.labels.editProfile, postback('reg-change')),
          action(t.labels.invite, postback('reg-invite')),
          action(t.labels.unlink, postback('reg-unlink')),
          ...mainMenu(lang),
        ],
      };
    }
    if (reg) return this.resume(reg);
    return {
      lang,
      texts: [t.notRegistered],
      quickReplies: [action(t.labels.register, postback('reg-start')), ...mainMenu(lang)],
    };
  }

  /** A linked firm edits its published profile: the interview's review, starting from what is published. */
  private async startChange(
    command: InboundCommand,
    { user, lang, t, company }: LinkedFirm,
  ): Promise<BotReply> {
    const created = await this.repo.create(
      {
        chatUserId: user.id,
        channel: command.channel,
        address: command.userId,
        lang,
        network: command.meta?.network,
        kind: 'change',
        companyExternalId: company.externalId,
        answers: answersFromProfile(company, lang),
      },
      'review',
    );
    if (!created) return this.resume((await this.repo.open(user.id))!);
    return this.review(created, [t.changeStart]);
  }

  /** Applies a linked firm's edit to its profile (when edits need no review), as the firm. */
  private async applyChange(reg: Registration): Promise<BotReply> {
    const t = registrationTexts(reg.lang);
    await this.companiesService.patch(
      reg.companyExternalId!,
      changePatch(reg.answers, reg.lang),
      undefined,
      chatActor(reg.chatUserId),
    );
    await this.repo.update(this.pool, reg.id, {
      status: 'approved',
      step: null,
      submitted: true,
      decidedBy: `chat:${reg.chatUserId}`,
    });
    return { lang: reg.lang, texts: [t.changeApplied], quickReplies: mainMenu(reg.lang) };
  }

  /** A linked user invites a colleague: a one-time code that links whoever sends it to the same company. */
  private async invite({ user, lang, t, company }: LinkedFirm): Promise<BotReply> {
    const code = await this.repo.createInvite(company.externalId, user.id, INVITE_DAYS);
    await this.audit.record(this.pool, [
      {
        entityType: 'chat_user',
        entityId: user.id,
        action: 'invite-colleague',
        actor: `chat:${user.id}`,
      },
    ]);
    const name = nameIn(company.names, lang, company.externalId);
    return { lang, texts: [t.inviteCreated(name, code, INVITE_DAYS)], quickReplies: mainMenu(lang) };
  }

  /** A colleague sends an invitation code: their chat user is linked to the inviting firm's company. */
  async redeemInvite(command: InboundCommand, code: string): Promise<BotReply> {
    const firm = await this.firmOf(command);
    const { user, lang, t } = firm;
    if (user.linkedCompanyExternalId) return this.alreadyLinked(firm);
    const company = await withTransaction(this.pool, async (tx) => {
      const externalId = await this.repo.takeInvite(tx, code, user.id);
      if (!externalId) return undefined;
      await tx.query(
        `UPDATE chat_users SET linked_company_external_id = $2, updated_at = now() WHERE id = $1`,
        [user.id, externalId],
      );
      await this.audit.record(tx, [
        {
          entityType: 'chat_user',
          entityId: user.id,
          action: 'link-company',
          actor: `chat:${user.id}`,
          after: { company: externalId, via: 'invitation' },
        },
      ]);
      return this.companies.findByExternalId(externalId, tx);
    });
    if (!company) return { lang, texts: [t.inviteInvalid], quickReplies: mainMenu(lang) };
    this.logger.log({
      msg: 'colleague linked by invitation',
      chatUserId: user.id,
      company: company.externalId,
    });
    return {
      lang,
      texts: [t.inviteLinked(nameIn(company.names, lang, company.externalId))],
      quickReplies: mainMenu(lang),
    };
  }

  /**
   * A linked firm's own profile: hide it from searches (unpublish), publish it again, or unlink this chat user.
   * Changes go through the companies service as a staff edit does (version, audit as `chat:<user>`, index).
   */
  private async manage(
    name: 'reg-pause' | 'reg-resume' | 'reg-unlink',
    { user, lang, t, company }: LinkedFirm,
  ): Promise<BotReply> {
    const chatUserId = user.id;
    if (name === 'reg-unlink') {
      await withTransaction(this.pool, async (tx) => {
        await tx.query(
          `UPDATE chat_users SET linked_company_external_id = NULL, updated_at = now() WHERE id = $1`,
          [chatUserId],
        );
        await this.audit.record(tx, [
          {
            entityType: 'chat_user',
            entityId: chatUserId,
            action: 'unlink-company',
            actor: `chat:${chatUserId}`,
            before: { company: company.externalId },
          },
        ]);
      });
      return {
        lang,
        texts: [t.unlinked(nameIn(company.names, lang, company.externalId))],
        quickReplies: mainMenu(lang),
      };
    }
    const status = name === 'reg-pause' ? 'draft' : 'published';
    if (company.status !== status)
      await this.companiesService.patch(company.externalId, { status }, undefined, chatActor(chatUserId));
    return {
      lang,
      texts: [name === 'reg-pause' ? t.profilePaused : t.resumed],
      quickReplies: [
        name === 'reg-pause'
          ? action(t.labels.resume, postback('reg-resume'))
          : action(t.labels.pause, postback('reg-pause')),
        ...mainMenu(lang),
      ],
    };
  }

  // ---- the interview ---------------------------------------------------------------------------------------

  private async steer(
    reg: Registration,
    cmd: 'back' | 'skip' | 'later' | 'cancel' | 'done' | 'submit',
  ): Promise<BotReply> {
    const t = registrationTexts(reg.lang);
    const step = reg.step ?? this.firstUnanswered(reg);
    switch (cmd) {
      case 'cancel':
        await this.repo.delete(reg.id);
        this.logger.log({ msg: 'registration cancelled', registrationId: reg.id });
        return { lang: reg.lang, texts: [t.cancelled], quickReplies: mainMenu(reg.lang) };
      case 'later':
        await this.repo.update(this.pool, reg.id, { step: null });
        return {
          lang: reg.lang,
          texts: [t.paused],
          quickReplies: [action(t.labels.register, postback('reg-start')), ...mainMenu(reg.lang)],
        };
      case 'back': {
        const trail = [...reg.trail];
        const previous = trail.pop();
        if (!previous) return step === 'review' ? this.review(reg, []) : this.ask(reg, step, []);
        const answers = { ...reg.answers, editing: false };
        const updated = await this.repo.update(this.pool, reg.id, { step: previous, trail, answers });
        return previous === 'review' ? this.review(updated, []) : this.ask(updated, previous, []);
      }
      case 'skip':
      case 'done':
        if (step === 'review') return cmd === 'done' ? this.submit(reg) : this.review(reg, []);
        if (cmd === 'done' && step !== 'partnership') return this.ask(reg, step, []);
        if (!OPTIONAL_STEPS.has(step)) return this.ask(reg, step, [t.required]);
        return this.advance(reg, step, reg.answers, this.saidFor(reg, step, cmd));
      case 'submit':
        if (step !== 'review') return this.ask(reg, step, []);
        return this.submit(reg);
    }
  }

  /** Records the answer to `step` and asks the next question (or shows the review). */
  private async advance(
    reg: Registration,
    step: InterviewStep,
    answers: RegistrationAnswers,
    said: string,
  ): Promise<BotReply> {
    const t = registrationTexts(reg.lang);
    const next = stepAfter(step, answers);
    const at = new Date().toISOString();
    const transcript: TranscriptEntry[] = [
      { at, by: 'bot', step, text: t.questions[step] },
      { at, by: 'firm', step, text: said },
    ];
    const updated = await this.repo.update(this.pool, reg.id, {
      step: next,
      trail: [...reg.trail, step],
      answers: { ...answers, editing: false },
      said: transcript,
    });
    return next === 'review' ? this.review(updated, []) : this.ask(updated, next, []);
  }

  private async submit(reg: Registration): Promise<BotReply> {
    const t = registrationTexts(reg.lang);
    const { byUser, byNetwork } = await this.repo.submittedInLastDay({
      chatUserId: reg.chatUserId,
      network: reg.network ?? undefined,
    });
    const limits = this.config.registration;
    if (byUser >= limits.ratePerDay || (reg.network && byNetwork >= limits.ratePerNetworkPerDay)) {
      this.logger.warn({ msg: 'registration rate limited', registrationId: reg.id, byUser, byNetwork });
      return { lang: reg.lang, texts: [t.rateLimited], quickReplies: mainMenu(reg.lang) };
    }
    if (reg.kind === 'change' && !this.config.registration.editsNeedReview) return this.applyChange(reg);
    await withTransaction(this.pool, async (tx) => {
      await this.repo.update(tx, reg.id, { status: 'submitted', step: null, submitted: true });
      await this.audit.record(tx, [
        {
          entityType: 'registration',
          entityId: reg.id,
          action: 'submit',
          actor: `chat:${reg.chatUserId}`,
          changedFields: Object.keys(reg.answers).filter((k) => k !== 'editing'),
        },
      ]);
    });
    this.logger.log({ msg: 'registration submitted', registrationId: reg.id, kind: reg.kind });
    return {
      lang: reg.lang,
      texts: [reg.kind === 'change' ? t.changeSubmitted : t.submitted],
      quickReplies: mainMenu(reg.lang),
    };
  }

  /** The firm's reply to a staff question: back into the staff queue with the answer in the transcript. */
  private async answerStaff(reg: Registration, text: string): Promise<BotReply> {
    const t = registrationTexts(reg.lang);
    await withTransaction(this.pool, async (tx) => {
      await this.repo.update(tx, reg.id, {
        status: 'submitted',
        said: [{ at: new Date().toISOString(), by: 'firm', text: [...text].slice(0, 4000).join('') }],
      });
      await this.audit.record(tx, [
        {
          entityType: 'registration',
          entityId: reg.id,
          action: 'firm-answered',
          actor: `chat:${reg.chatUserId}`,
        },
      ]);
    });
    return { lang: reg.lang, texts: [t.answerReceived], quickReplies: mainMenu(reg.lang) };
  }

  /** One question, with the buttons its answers need. */
  private ask(reg: Registration, step: InterviewStep, before: string[]): BotReply {
    const t = registrationTexts(reg.lang);
    const m = messagesFor(reg.lang);
    const steering = [
      ...(reg.trail.length > 0 ? [action(t.labels.back, postback('reg-back'))] : []),
      ...(OPTIONAL_STEPS.has(step) && step !== 'partnership'
        ? [action(t.labels.skip, postback('reg-skip'))]
        : []),
      action(t.labels.later, postback('reg-later')),
      action(t.labels.cancel, postback('reg-cancel')),
    ];
    let question = t.questions[step];
    let quickReplies: ReplyAction[] = steering;
    if (step === 'country') {
      quickReplies = [
        action(t.labels.japan, postback('reg-country', { c: 'JP' })),
        action(t.labels.thailand, postback('reg-country', { c: 'TH' })),
        ...steering,
      ];
    } else if (step === 'size') {
      quickReplies = [
        ...t.sizes.map(([n, label]) => action(label, postback('reg-size', { n: String(n) }))),
        ...steering,
      ];
    } else if (step === 'partnership') {
      const chosen = reg.answers.partnershipTypes ?? [];
      if (chosen.length)
        question += `\n${t.partnershipChosen(chosen.map((c) => m.partnership[c]).join(m.listSep))}`;
      // LINE shows at most 13 quick replies: the ten types, "done", "back" and "later".
      quickReplies = [
        ...PARTNERSHIP_TYPES.filter((p) => p !== 'other').map((p) =>
          action(`${chosen.includes(p) ? '✓ ' : ''}${m.partnership[p]}`, postback('reg-pt', { t: p })),
        ),
        action(t.labels.done, postback('reg-done')),
        ...(reg.trail.length > 0 ? [action(t.labels.back, postback('reg-back'))] : []),
        action(t.labels.later, postback('reg-later')),
      ].slice(0, 13);
    }
    if (OPTIONAL_STEPS.has(step) && step !== 'partnership') question += `\n${t.optional}`;
    return { lang: reg.lang, texts: [...before, question], quickReplies };
  }

  /** The draft as the card other firms would see, with submit / edit / later / cancel. */
  private review(reg: Registration, before: string[]): BotReply {
    const t = registrationTexts(reg.lang);
    const preview = detailsReply(publicPreview(reg.answers, reg.lang), reg.lang);
    const contact = contactLine(reg.answers.contact);
    // The card as others see it, without the buttons that act on a published profile.
    const cards = (preview.cards ?? []).map((c) => ({
      ...c,
      buttons: c.buttons.filter((b) => b.url),
      preview: true,
    }));
    return {
      lang: reg.lang,
      texts: [...before, t.review, ...(contact ? [t.contactPrivate(contact)] : [])],
      cards,
      quickReplies: [
        action(t.labels.submit, postback('reg-submit')),
        action(t.labels.edit, postback('reg-edit')),
        action(t.labels.back, postback('reg-back')),
        action(t.labels.later, postback('reg-later')),
        action(t.labels.cancel, postback('reg-cancel')),
      ],
    };
  }

  /** What the transcript records for "done" or "skip": the partnership types chosen by button, if any. */
  private saidFor(reg: Registration, step: InterviewStep, cmd: 'skip' | 'done'): string {
    const t = registrationTexts(reg.lang);
    const chosen = step === 'partnership' ? (reg.answers.partnershipTypes ?? []) : [];
    if (chosen.length === 0) return cmd === 'done' ? t.labels.done : t.labels.skip;
    const m = messagesFor(reg.lang);
    return chosen.map((c) => m.partnership[c]).join(m.listSep);
  }

  private firstUnanswered(reg: Registration): RegistrationStep {
    const answered = new Set(reg.trail);
    return STEPS.find((s) => !answered.has(s)) ?? 'review';
  }

  /** Requests to the bot itself that interrupt an interview rather than answer it. */
  private isForTheBot(text: string): boolean {
    if ([...text].length > 40) return false;
    const said = normalizeForRules(text);
    return [
      COMMANDS.help,
      COMMANDS.human,
      COMMANDS.forget,
      COMMANDS.newSearch,
      COMMANDS.useLanguage,
      COMMANDS.switchLanguage,
    ].some((re) => re.test(said));
  }

  private langFor(command: InboundCommand, known: Lang | undefined): Lang {
    // A message that clearly is in a language wins; a code or a brand name alone ("KH-7QX4-M2PA") says nothing.
    const text = command.text ?? '';
    const script = /[\u0E00-\u0E7F]/.test(text)
      ? 'th'
      : /[\u3040-\u30FF\u4E00-\u9FFF]/.test(text)
        ? 'ja'
        : undefined;
    return script ?? (text ? languageOf(text) : undefined) ?? known ?? command.lang ?? 'en';
  }
}
