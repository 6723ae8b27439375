import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Lang } from '../companies/company-profile.schema';
import { CompanyRepository } from '../companies/company.repository';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { parseState } from '../conversation/conversation-state';
import { ConversationService } from '../conversation/conversation.service';
import type { BotReply, InboundCommand, ReplyCard } from '../conversation/conversation.types';
import { action, mainMenu, postback } from '../conversation/reply-builder';
import { PG_POOL } from '../database/database.tokens';
import { withTransaction } from '../database/transaction';
import { detectLanguage } from '../language';
import { MatchService } from '../matching/match.service';
import { ChatNotifier } from '../relay/chat-notifier.service';
import { alertTexts } from './alert-texts';
import { AlertRepository, type PendingAlert } from './alert.repository';

/** Profiles checked per statement (bounded work per transaction). */
const CHECK_BATCH = 250;
/** Users sent alerts per transaction (one short transaction per batch). */
const DIGEST_BATCH = 200;
/** Cards in one alert message (LINE's carousel holds 12). */
const CARDS_PER_ALERT = 10;

/**
 * "Tell me when a firm like this joins": saves the user's current search with what the matching code reads in
 * it, finds the searches a newly published profile meets, and sends each user at most one message a day with the
 * new firms as cards, through the same notifier as every other message the product sends on its own (the LINE
 * outbox, with retry keys; LINE pushes also within a daily budget, as LINE counts them against the plan's quota).
 */
@Injectable()
export class AlertsService {
  private readonly logger = new Logger(AlertsService.name);

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: AlertRepository,
    private readonly match: MatchService,
    private readonly conversation: ConversationService,
    private readonly companies: CompanyRepository,
    private readonly notifier: ChatNotifier,
  ) {}

  /** Saves the thread's current search for alerts. */
  async save(command: InboundCommand): Promise<BotReply> {
    const user = await this.conversation.ensureUser(command.channel, command.userId, command.lang);
    const { rows } = await this.pool.query<{ state: unknown }>(
      `SELECT state FROM chat_conversations WHERE channel = $1 AND channel_conversation_id = $2`,
      [command.channel, command.conversationId],
    );
    const search = parseState(rows[0]?.state).search;
    const lang: Lang = search?.lang ?? user.lang ?? this.langOf(command);
    const t = alertTexts(lang);
    if (!search) return { lang, texts: [t.noSearch], quickReplies: mainMenu(lang) };
    const filters = {
      ...(search.filters.partnershipType ? { partnershipType: search.filters.partnershipType } : {}),
      ...(search.filters.region ? { region: search.filters.region } : {}),
      ...(search.filters.country ? { country: search.filters.country } : {}),
    };
    const criteria = await this.match.alertCriteria({
      text: search.text,
      lang,
      seekerCountry: user.country,
      filters,
    });
    const saved = await this.repo.save(
      {
        chatUserId: user.id,
        channel: command.channel,
        address: command.userId,
        lang,
        text: search.text,
        filters,
        criteria,
        ownCompany: user.linkedCompanyExternalId,
      },
      this.config.alerts.searchesPerUser,
    );
    const stop = action(t.labels.stop, postback('alert-stop'));
    if (saved === 'full')
      return { lang, texts: [t.tooMany(this.config.alerts.searchesPerUser)], quickReplies: [stop] };
    this.logger.log({ msg: 'alert saved', chatUserId: user.id, outcome: saved });
    return {
      lang,
      texts: [saved === 'saved' ? t.saved(search.text) : t.already],
      quickReplies: [stop, ...mainMenu(lang)],
    };
  }

  async stop(command: InboundCommand): Promise<BotReply> {
    const user = await this.conversation.ensureUser(command.channel, command.userId, command.lang);
    const lang = user.lang ?? this.langOf(command);
    const t = alertTexts(lang);
    const stopped = await this.repo.stopAll(user.id);
    this.logger.log({ msg: 'alerts stopped', chatUserId: user.id, searches: stopped });
    return { lang, texts: [stopped > 0 ? t.stopped : t.nothingToStop], quickReplies: mainMenu(lang) };
  }

  /** Records the firms newly published since the last check for the searches they meet, a batch at a time. */
  async check(): Promise<{ matched: number; profiles: number }> {
    const total = { matched: 0, profiles: 0 };
    for (;;) {
      const batch = await withTransaction(this.pool, (tx) => this.repo.findNewMatches(tx, CHECK_BATCH));
      total.matched += batch.matched;
      total.profiles += batch.profiles;
      if (batch.profiles < CHECK_BATCH) return total;
    }
  }

  /** Sends every alert that is due (one message per user, at most one a day). Returns how many were queued. */
  async sendDue(): Promise<number> {
    let queued = 0;
    for (;;) {
      const budget = Math.max(0, this.config.alerts.linePushesPerDay - (await this.repo.linePushesToday()));
      const result = await withTransaction(this.pool, async (tx) => {
        const due = await this.repo.claimDue(tx, DIGEST_BATCH, budget);
        if (due.length === 0) return { sent: 0, staged: undefined };
        const profiles = new Map(
          (await this.companies.findManyByIds([...new Set(due.flatMap((d) => d.companyIds))], tx)).map(
            (p) => [p.id, p],
          ),
        );
        // A firm archived since it was found is not announced; a user left with none gets no message.
        const notices = due.flatMap((d) => {
          const found = d.companyIds.flatMap((id) => {
            const p = profiles.get(id);
            return p && p.status === 'published' ? [p] : [];
          });
          return found.length > 0
            ? [{ channel: d.channel, address: d.address, reply: this.digest(d, found) }]
            : [];
        });
        const staged = await this.notifier.stage(tx, notices);
        await this.repo.markSent(tx, due);
        return { sent: due.length, staged };
      });
      this.notifier.flush(result.staged);
      queued += result.sent;
      if (result.sent < DIGEST_BATCH) break;
    }
    if (queued > 0) this.logger.log({ msg: 'alerts sent', users: queued });
    return queued;
  }

  private digest(
    alert: PendingAlert,
    profiles: Array<Parameters<ConversationService['profileDetails']>[0]>,
  ): BotReply {
    const t = alertTexts(alert.lang);
    const cards: ReplyCard[] = profiles
      .slice(0, CARDS_PER_ALERT)
      .flatMap((p) => this.conversation.profileDetails(p, alert.lang).cards ?? []);
    return {
      lang: alert.lang,
      texts: [t.digest(alert.search, profiles.length)],
      cards,
      quickReplies: [action(t.labels.stop, postback('alert-stop')), ...mainMenu(alert.lang)],
    };
  }

  private langOf(command: InboundCommand): Lang {
    const d = command.text ? detectLanguage(command.text) : undefined;
    return d && d.lang !== 'und' ? d.lang : (command.lang ?? 'en');
  }
}
