import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { AuditRepository } from '../audit/audit.repository';
import { type Principal, actorOf, roleAllows } from '../auth/principal';
import type { Lang } from '../companies/company-profile.schema';
import { CompaniesService } from '../companies/companies.service';
import { CompanyRepository } from '../companies/company.repository';
import { ProblemException } from '../common/problem';
import type { BotReply } from '../conversation/conversation.types';
import { mainMenu } from '../conversation/reply-builder';
import { PG_POOL } from '../database/database.tokens';
import { withTransaction } from '../database/transaction';
import { ChatNotifier } from '../relay/chat-notifier.service';
import { TranslationService } from '../translation/translation.service';
import { changePatch, profileFrom, publicPreview } from './registration-interview';
import { type RegistrationTexts, registrationTexts } from './registration-texts';
import {
  type Registration,
  RegistrationRepository,
  type RegistrationStatus,
} from './registration.repository';

/**
 * The staff side of self-registration: the queue, one registration with its transcript and the profiles it may
 * duplicate, and the three decisions. Approving publishes the profile through the same code as a staff-made one
 * (validation, audit, search index, auto-translation) and links the chat user to it; asking and rejecting send
 * the firm a message in its language. Every decision is audited and sent in the transaction that records it.
 */
/** The states in which staff may decide (approve, ask, reject). */
const DECIDABLE: readonly RegistrationStatus[] = ['submitted', 'question'];

@Injectable()
export class RegistrationReviewService {
  private readonly logger = new Logger(RegistrationReviewService.name);

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly repo: RegistrationRepository,
    private readonly companiesService: CompaniesService,
    private readonly companies: CompanyRepository,
    private readonly notifier: ChatNotifier,
    private readonly translation: TranslationService,
    private readonly audit: AuditRepository,
  ) {}

  async list(q: { status?: RegistrationStatus; page: number; pageSize: number }) {
    const { items, total } = await this.repo.list(q);
    return {
      items: items.map((r) => this.summary(r)),
      total,
      page: q.page,
      pageSize: q.pageSize,
      counts: await this.repo.counts(),
    };
  }

  /**
   * One registration. The firm's contact (in the profile and in its answer to the contact question) is shown to
   * those who may see contacts, as for profiles: curators and admins.
   */
  async get(id: string, reader?: Principal) {
    const reg = await this.found(id);
    const contacts = !reader || roleAllows(reader.role, 'curator');
    const { contact, ...profile } = profileFrom(reg.answers, reg.lang, this.externalIdFor(reg));
    return {
      ...this.summary(reg),
      profile: contacts && contact ? { ...profile, contact } : profile,
      transcript: contacts ? reg.transcript : reg.transcript.filter((e) => e.step !== 'contact'),
      staffQuestion: reg.staffQuestion,
      decisionReason: reg.decisionReason,
      decidedBy: reg.decidedBy,
      decidedAt: reg.decidedAt,
      duplicates: await this.repo.duplicates(reg),
    };
  }

  /** Publishes the profile, links the firm's chat user to it and tells the firm. */
  async approve(id: string, staff: Principal) {
    const reg = await this.decidable(id);
    const externalId = this.externalIdFor(reg);
    if (reg.kind === 'change') {
      // A linked firm's edit: its profile is patched in the firm's language; other languages stay.
      await this.companiesService.patch(externalId, changePatch(reg.answers, reg.lang), undefined, staff);
    } else if (!(await this.companies.findByExternalId(externalId))) {
      // A retry after a failure between the two steps finds the profile already made from this registration.
      await this.companiesService.create(profileFrom(reg.answers, reg.lang, externalId), staff);
    }
    const name = reg.answers.name ?? externalId;
    const decided = await this.decide(reg, async (tx, t) => {
      await this.repo.update(tx, id, {
        status: 'approved',
        decidedBy: actorOf(staff),
        companyExternalId: externalId,
        staffQuestion: null,
      });
      await tx.query(
        `UPDATE chat_users SET linked_company_external_id = $2, updated_at = now() WHERE id = $1`,
        [reg.chatUserId, externalId],
      );
      await this.audit.record(tx, [
        {
          entityType: 'registration',
          entityId: id,
          action: 'approve',
          actor: actorOf(staff),
          after: { company: externalId },
        },
        {
          entityType: 'chat_user',
          entityId: reg.chatUserId,
          action: 'link-company',
          actor: actorOf(staff),
          after: { company: externalId },
        },
      ]);
      const said = reg.kind === 'change' ? t.changeApproved(name) : t.approved(name);
      return { lang: reg.lang, texts: [said], quickReplies: mainMenu(reg.lang) };
    });
    this.logger.log({ msg: 'registration approved', registrationId: id, company: externalId });
    return decided;
  }

  /** A question for the firm, sent in its language; its reply puts the registration back in the queue. */
  async ask(id: string, question: string, staff: Principal) {
    const reg = await this.decidable(id);
    const toFirm = await this.inFirmLanguage(question, reg.lang);
    return this.decide(reg, async (tx, t) => {
      await this.repo.update(tx, id, {
        status: 'question',
        staffQuestion: toFirm,
        said: [{ at: new Date().toISOString(), by: 'staff', text: question }],
      });
      await this.audit.record(tx, [
        { entityType: 'registration', entityId: id, action: 'ask', actor: actorOf(staff) },
      ]);
      return { lang: reg.lang, texts: [t.staffQuestion(toFirm)] };
    });
  }

  async reject(id: string, reason: string, staff: Principal) {
    const reg = await this.decidable(id);
    const toFirm = await this.inFirmLanguage(reason, reg.lang);
    return this.decide(reg, async (tx, t) => {
      await this.repo.update(tx, id, {
        status: 'rejected',
        decisionReason: reason,
        decidedBy: actorOf(staff),
        staffQuestion: null,
      });
      await this.audit.record(tx, [
        { entityType: 'registration', entityId: id, action: 'reject', actor: actorOf(staff) },
      ]);
      return { lang: reg.lang, texts: [t.rejected(toFirm)], quickReplies: mainMenu(reg.lang) };
    });
  }

  /**
   * One staff decision, in one transaction: the registration re-read under lock and still open to a decision
   * (two staff deciding at once: the second gets 409), the change `record` makes, and the message to the firm it
   * returns, sent once the transaction has committed. Answers the registration as it now is.
   */
  private async decide(
    reg: Registration,
    record: (tx: PoolClient, t: RegistrationTexts) => Promise<BotReply>,
  ) {
    const staged = await withTransaction(this.pool, async (tx) => {
      const locked = await this.repo.get(reg.id, tx, true);
      if (!locked || !DECIDABLE.includes(locked.status)) throw this.notDecidable(locked);
      const reply = await record(tx, registrationTexts(reg.lang));
      return this.notifier.stage(tx, [{ channel: reg.channel, address: reg.address, reply }]);
    });
    this.notifier.flush(staged);
    return this.get(reg.id);
  }

  // ---- helpers ---------------------------------------------------------------------------------------------

  private summary(reg: Registration) {
    const preview = publicPreview(reg.answers, reg.lang);
    return {
      id: reg.id,
      kind: reg.kind,
      status: reg.status,
      channel: reg.channel,
      lang: reg.lang,
      name: reg.answers.name ?? null,
      country: reg.answers.country ?? null,
      summary: preview.summary?.[reg.lang] ?? null,
      submittedAt: reg.submittedAt,
      updatedAt: reg.updatedAt,
      companyExternalId: reg.companyExternalId,
    };
  }

  /** The profile's id: stable per registration, so an approval retried after a failure finds its profile. */
  private externalIdFor(reg: Registration): string {
    return reg.companyExternalId ?? `reg-${reg.id.replace(/-/g, '').slice(0, 12)}`;
  }

  /**
   * The staff text for the firm: translated into its language when a model is configured and the text is in
   * another one; as written otherwise (staff are told so by the console, which shows what was sent).
   */
  private async inFirmLanguage(text: string, lang: Lang): Promise<string> {
    try {
      const result = await this.translation.translate({ text, to: lang });
      return result.translation || text;
    } catch {
      return text;
    }
  }

  private async found(id: string): Promise<Registration> {
    const reg = await this.repo.get(id);
    if (!reg || reg.status === 'drafting' || reg.status === 'cancelled')
      throw new ProblemException(404, 'not-found', 'Not found', `No submitted registration ${id}.`);
    return reg;
  }

  private async decidable(id: string): Promise<Registration> {
    const reg = await this.found(id);
    if (!DECIDABLE.includes(reg.status)) throw this.notDecidable(reg);
    return reg;
  }

  private notDecidable(reg: Registration | undefined): ProblemException {
    return new ProblemException(
      409,
      'conflict',
      'Already decided',
      `This registration is ${reg?.status ?? 'gone'}: only a submitted one (or one waiting for the firm's answer) can be decided.`,
    );
  }
}
