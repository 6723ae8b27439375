import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { AuditRepository } from '../audit/audit.repository';
import { type Principal, actorOf, roleAllows } from '../auth/principal';
import { ProblemException, ValidationProblem } from '../common/problem';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LANGS, LOCALIZED_FIELDS } from '../companies/company-profile.schema';
import { CompanyRepository } from '../companies/company.repository';
import { PG_POOL } from '../database/database.tokens';
import { withTransaction } from '../database/transaction';
import { type AuditFilter, ConsoleInsightsRepository } from './console-insights.repository';

export interface ReviewChange {
  /** Paths such as `names.ja` whose machine translation a human has checked. */
  approve: string[];
  /** Paths just filled by "translate missing" in the editor, to be reviewed later. */
  markMachineTranslated: string[];
}

const REVIEWABLE = new Set(LOCALIZED_FIELDS.flatMap((f) => LANGS.map((l) => `${f}.${l}`)));

/** Dashboard figures, the audit trail, what the server can do (LLM or not), and review marks on profiles. */
@Injectable()
export class ConsoleInsightsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly insights: ConsoleInsightsRepository,
    private readonly companies: CompanyRepository,
    private readonly audit: AuditRepository,
  ) {}

  /** Lets the console disable LLM-backed buttons with an explanation instead of failing on click. */
  capabilities() {
    const llm = this.config.llm;
    const models = [llm.default?.model, llm.byOutputLang.ja?.model, llm.byOutputLang.th?.model].filter(
      (m): m is string => m !== undefined,
    );
    return { llm: { configured: models.length > 0, models: [...new Set(models)] } };
  }

  async overview() {
    // Sequential on purpose: the embedded database has one connection, so parallel queries only queue.
    const profiles = await this.insights.profileStats();
    const activity = await this.insights.activityByDay(30);
    const chat = await this.insights.chatStats(30);
    return { profiles, activity, chat };
  }

  auditTrail(filter: Omit<AuditFilter, 'includeAccessRecords'>, viewer: Principal) {
    const includeAccessRecords = roleAllows(viewer.role, 'admin');
    if (!includeAccessRecords && (filter.entityType === 'staff' || filter.entityType === 'api_token')) {
      throw new ProblemException(403, 'forbidden', 'Forbidden', 'Staff and token records are for admins.');
    }
    return this.insights.auditPage({ ...filter, includeAccessRecords });
  }

  async review(externalId: string, change: ReviewChange, ifMatch: number | undefined, actor: Principal) {
    const bad = [...change.approve, ...change.markMachineTranslated].filter((p) => !REVIEWABLE.has(p));
    if (bad.length > 0) {
      throw new ValidationProblem(
        bad.map((p) => ({ path: p, message: 'not a localized field path such as names.ja' })),
      );
    }
    return withTransaction(this.pool, async (tx) => {
      const current = await this.companies.findByExternalId(externalId, tx, true);
      if (!current) {
        throw new ProblemException(
          404,
          'not-found',
          'Not found',
          `No company with externalId "${externalId}".`,
        );
      }
      if (ifMatch !== undefined && ifMatch !== current.version) {
        throw new ProblemException(
          412,
          'stale-version',
          'Precondition failed',
          `The profile was changed by someone else (now version ${current.version}). Reload it first.`,
          { currentVersion: current.version },
        );
      }
      const next = new Set(current.machineTranslated);
      for (const p of change.approve) next.delete(p);
      for (const p of change.markMachineTranslated) next.add(p);
      const paths = [...next].sort();
      if (paths.join() === [...current.machineTranslated].sort().join()) {
        return { version: current.version, machineTranslated: current.machineTranslated };
      }
      const version = await this.insights.setMachineTranslated(tx, current.id, paths);
      await this.audit.record(tx, [
        {
          entityType: 'company',
          entityId: externalId,
          action: 'review',
          actor: actorOf(actor),
          changedFields: ['machineTranslated'],
          before: { machineTranslated: current.machineTranslated },
          after: { machineTranslated: paths },
        },
      ]);
      return { version, machineTranslated: paths };
    });
  }
}
