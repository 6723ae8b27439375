import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Pool } from 'pg';
import type { Lang } from '../companies/company-profile.schema';
import type { CompanyRecord } from '../companies/company.model';
import { CompanyRepository } from '../companies/company.repository';
import { requestContext } from '../common/request-context';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { BotReply } from '../conversation/conversation.types';
import { detailsReply, mainMenu, nameIn } from '../conversation/reply-builder';
import { PG_POOL } from '../database/database.tokens';
import { withTransaction } from '../database/transaction';
import { newWorkerId, WorkLoop } from '../line/work-loop';
import { backoffDelay } from '../llm/resilience/backoff';
import { LexiconService } from '../matching/lexicon/lexicon.service';
import { MatchService } from '../matching/match.service';
import { ChatNotifier, type Notice } from '../relay/chat-notifier.service';
import { LANG_NAMES } from '../conversation/conversation-messages';
import { languageOf } from '../relay/message-language';
import { relayTexts } from '../relay/relay-texts';
import { isUnusable } from '../translation/translation-checks';
import { localizedIndustries } from '../matching/taxonomy/industry-labels';
import { TranslationService } from '../translation/translation.service';
import { introductionTexts, withoutLinks } from './introduction-texts';
import { type Introduction, IntroductionRepository } from './introduction.repository';

/**
 * Tells people about introductions, durably: a sent request reaches the target's linked chat users (in each
 * one's language: who asks, their public profile, why the two match, and their message translated with the
 * original one tap away), or the staff queue when the target has none; a declined or expired request is
 * reported to the requester (a decline reason translated). Each notice is queued in the same short transaction
 * that marks the request told, so a restart repeats nothing and loses nothing; translation happens before it.
 * Pending requests past their expiry are swept on every round.
 */
@Injectable()
export class IntroductionWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('IntroductionWorker');
  readonly workerId = newWorkerId();
  private readonly loop: WorkLoop<Introduction>;
  private lastSweep = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly repo: IntroductionRepository,
    private readonly companies: CompanyRepository,
    private readonly translation: TranslationService,
    private readonly match: MatchService,
    private readonly lexicon: LexiconService,
    private readonly notifier: ChatNotifier,
  ) {
    this.loop = new WorkLoop<Introduction>({
      concurrency: Math.max(1, Math.min(4, config.relay.workerConcurrency)),
      pollMs: config.relay.pollMs,
      claim: (limit) => this.claim(limit),
      run: (intro) => this.process(intro),
      onError: (err) =>
        this.logger.error({ msg: 'introduction worker error', error: (err as Error).message }),
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.relay.workerConcurrency === 0) return;
    this.loop.start();
  }

  nudge(): void {
    requestContext.exit(() => this.loop.nudge());
  }

  whenIdle(): Promise<void> {
    return this.loop.whenIdle();
  }

  /** Expires what is due and reports it now (tests; the loop also does it on every poll). */
  async sweepNow(): Promise<void> {
    this.lastSweep = 0;
    this.loop.nudge();
    await this.loop.whenIdle();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
    await this.repo.release(this.workerId).catch(() => undefined);
  }

  private async claim(limit: number): Promise<Introduction[]> {
    if (Date.now() - this.lastSweep >= this.config.relay.pollMs) {
      this.lastSweep = Date.now();
      const expired = await this.repo.expireDue();
      if (expired.length) this.logger.log({ msg: 'introductions expired', count: expired.length });
    }
    return this.repo.claim(this.workerId, limit, this.config.relay.leaseSeconds);
  }

  private async process(intro: Introduction): Promise<void> {
    try {
      if (intro.status === 'pending') await this.tellTarget(intro);
      else await this.tellRequester(intro);
    } catch (err) {
      const delayMs = backoffDelay(intro.attempts, this.config.relay.retry);
      this.logger.warn({
        msg: 'introduction notice failed, will retry',
        introductionId: intro.id,
        delayMs,
        error: (err as Error).name,
      });
      await this.repo
        .retryLater(intro.id, this.workerId, delayMs, (err as Error).message)
        .catch(() => undefined);
      setTimeout(() => this.loop.nudge(), delayMs + 10).unref();
    }
  }

  private async tellTarget(intro: Introduction): Promise<void> {
    const recipients = (await this.repo.linkedUsers(intro.targetExternalId)).filter(
      (r) => !(r.channel === intro.requesterChannel && r.address === intro.requesterAddress),
    );
    if (recipients.length === 0) {
      // Nobody to ask in the chat: the request waits in the staff queue.
      await withTransaction(this.pool, (tx) =>
        this.repo.markTargetNotified(tx, intro.id, this.workerId, 'staff'),
      );
      this.logger.log({ msg: 'introduction queued for staff', introductionId: intro.id });
      return;
    }
    const requester = intro.requesterCompany
      ? await this.companies.findByExternalId(intro.requesterCompany)
      : undefined;
    const why = await this.whyTheyMatch(intro, requester);
    const notices: Notice[] = [];
    const byLang = new Map<Lang, BotReply>();
    for (const r of recipients) {
      let reply = byLang.get(r.lang);
      if (!reply) {
        reply = await this.requestNotice(intro, requester, why, r.lang);
        byLang.set(r.lang, reply);
      }
      notices.push({ channel: r.channel, address: r.address, reply });
    }
    const staged = await withTransaction(this.pool, async (tx) => {
      if (!(await this.repo.markTargetNotified(tx, intro.id, this.workerId, 'chat'))) return undefined;
      await this.repo.addRecipients(tx, intro.id, recipients);
      return this.notifier.stage(tx, notices);
    });
    this.notifier.flush(staged);
    this.logger.log({
      msg: 'introduction delivered to target',
      introductionId: intro.id,
      recipients: recipients.length,
    });
  }

  /** The request as the target reads it: who, why, and the message in the reader's language. */
  private async requestNotice(
    intro: Introduction,
    requester: CompanyRecord | undefined,
    why: (lang: Lang) => string | undefined,
    lang: Lang,
  ): Promise<BotReply> {
    const t = introductionTexts(lang);
    const who = requester ? nameIn(requester.names, lang, requester.externalId) : t.unregistered;
    const texts = [t.requestHeader(who)];
    if (requester && requester.status === 'published')
      texts.push(
        detailsReply(
          { ...requester, industries: localizedIndustries(requester.industries, this.lexicon.current()) },
          lang,
        ).texts[0],
      );
    const reason = why(lang);
    if (reason) texts.push(reason);
    const message = await this.messageIn(intro, lang);
    if (message)
      texts.push(
        `${t.theirMessage}\n${withoutLinks(message.text, lang)}${message.note ? `\n${message.note}` : ''}`,
      );
    const l = t.labels;
    return {
      lang,
      texts,
      quickReplies: [
        { label: l.accept, postback: `action=intro-accept&i=${intro.id}`, displayText: l.accept },
        { label: l.decline, postback: `action=intro-decline&i=${intro.id}`, displayText: l.decline },
        { label: l.staff, postback: `action=intro-staff&i=${intro.id}`, displayText: l.staff },
        ...(message?.translated
          ? [{ label: l.original, postback: `action=intro-orig&i=${intro.id}`, displayText: l.original }]
          : []),
      ],
    };
  }

  /**
   * The requester's message (or a decline reason) in `lang`: translated; translated with a note when the checks
   * found a minor flaw (a glossary term's form, a number), since that still reads better than a language the
   * reader may not know; or the original with a note when translation is down or its result is not a translation
   * at all (garbage, another language). A flawed text is never passed off as a checked translation.
   */
  private async messageIn(
    intro: Introduction,
    lang: Lang,
    text = intro.message,
    from = intro.messageLang,
  ): Promise<{ text: string; translated: boolean; note?: string } | undefined> {
    if (!text) return undefined;
    if (!from || from === lang) return { text, translated: false };
    try {
      const r = await this.translation.translate({ text, from, to: lang, context: 'message' });
      if (!isUnusable(r.violations)) {
        // The relay's wording: the same warning wherever a machine translation could not be fully checked.
        const note = r.flagged ? relayTexts(lang).unverifiedTranslation : undefined;
        return { text: r.translation, translated: true, ...(note ? { note } : {}) };
      }
      this.logger.warn({
        msg: 'introduction message translation unusable',
        introductionId: intro.id,
        violations: r.violations.map((v) => v.kind),
      });
    } catch (err) {
      this.logger.warn({
        msg: 'introduction message not translated',
        introductionId: intro.id,
        error: (err as Error).name,
      });
    }
    return { text, translated: false, note: introductionTexts(lang).untranslated };
  }

  /**
   * Why the two match, in any language: the business concepts the requester's search shares with the target's
   * profile (concept labels exist in ja, th and en), and what the requester's company seeks.
   */
  private async whyTheyMatch(
    intro: Introduction,
    requester: CompanyRecord | undefined,
  ): Promise<(lang: Lang) => string | undefined> {
    let conceptIds: string[] = [];
    if (intro.need) {
      try {
        const found = await this.match.findPartners({
          text: intro.need,
          limit: 50,
          ...(requester ? { seekerCountry: requester.country } : {}),
        });
        conceptIds =
          found.results
            .find((r) => r.externalId === intro.targetExternalId)
            ?.matchedConcepts.map((c) => c.id) ?? [];
      } catch {
        conceptIds = [];
      }
    }
    const lexicon = this.lexicon.current();
    return (lang) => {
      const t = introductionTexts(lang);
      const parts: string[] = [];
      const labels = conceptIds
        .map((id) => lexicon.label(id, lang))
        .filter(Boolean)
        .slice(0, 4);
      if (labels.length) parts.push(t.why(labels.join(t.listSep)));
      const seeks = requester?.seeking?.[lang] ?? requester?.seeking?.en;
      if (seeks?.length) parts.push(t.theySeek(seeks.slice(0, 3).join(t.listSep)));
      return parts.length ? parts.join('\n') : undefined;
    };
  }

  private async tellRequester(intro: Introduction): Promise<void> {
    const lang = intro.requesterLang;
    const t = introductionTexts(lang);
    const target = await this.companies.findByExternalId(intro.targetExternalId);
    const name = target ? nameIn(target.names, lang, target.externalId) : intro.targetExternalId;
    const texts = [intro.status === 'declined' ? t.declinedRequester(name) : t.expiredRequester(name)];
    if (intro.status === 'declined' && intro.declineReason) {
      const from = languageOf(intro.declineReason);
      const reason = await this.messageIn(intro, lang, intro.declineReason, from);
      if (reason) texts.push(`${t.reason(reason.text)}${reason.note ? `\n${reason.note}` : ''}`);
      // No "show original" button on this notice: an unverified translation comes with its original.
      if (reason?.translated && reason.note)
        texts.push(t.original(from ? LANG_NAMES[lang][from] : '', intro.declineReason));
    }
    const notice: Notice = {
      channel: intro.requesterChannel,
      address: intro.requesterAddress,
      reply: { lang, texts, quickReplies: mainMenu(lang) },
    };
    const staged = await withTransaction(this.pool, async (tx) => {
      if (!(await this.repo.markOutcomeNotified(tx, intro.id, this.workerId))) return undefined;
      return intro.requesterUserId ? this.notifier.stage(tx, [notice]) : undefined;
    });
    this.notifier.flush(staged);
    this.logger.log({ msg: 'introduction outcome reported', introductionId: intro.id, status: intro.status });
  }
}
