import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { type AuditEntry, AuditRepository } from '../audit/audit.repository';
import { ProblemException, ValidationProblem } from '../common/problem';
import { toFieldErrors } from '../common/zod-validation';
import { PG_POOL } from '../database/database.tokens';
import { type Queryable, withTransaction } from '../database/transaction';
import {
  type GlossarySnapshot,
  type GlossaryTerm,
  type GlossaryTermInput,
  glossaryImportSchema,
  glossaryTermInputSchema,
} from './glossary.model';
import { GlossaryRepository } from './glossary.repository';

export interface GlossaryImportReport {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
  version: number;
}

/** How long a cached glossary is trusted before its version is checked again (other instances may write). */
const VERSION_CHECK_MS = 1000;

/**
 * The staff-managed glossary: CRUD with audit records, JSON import/export, and the current snapshot that
 * translation applies. Every change bumps the glossary version, which is part of the translation cache key,
 * so a corrected term is used at once.
 */
@Injectable()
export class GlossaryService {
  private cached: GlossarySnapshot | undefined;
  private checkedAt = 0;
  private loading: Promise<GlossarySnapshot> | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly glossary: GlossaryRepository,
    private readonly audit: AuditRepository,
  ) {}

  /** The glossary translation uses: cached in memory, re-read when its version changed. */
  async snapshot(): Promise<GlossarySnapshot> {
    if (this.cached && Date.now() - this.checkedAt < VERSION_CHECK_MS) return this.cached;
    this.loading ??= (async () => {
      try {
        const version = await this.glossary.version();
        if (!this.cached || this.cached.version !== version) {
          const terms = await this.glossary.all();
          // Re-read the version: a write between the two reads must not be cached under the old number.
          this.cached = { version: await this.glossary.version(), terms };
        }
        this.checkedAt = Date.now();
        return this.cached;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  list(q: string | undefined, page: number, pageSize: number) {
    return this.glossary.list(q, (page - 1) * pageSize, pageSize).then(({ items, total }) => ({
      items,
      page,
      pageSize,
      total,
      totalPages: Math.max(1, Math.ceil(total / pageSize)),
    }));
  }

  async get(id: string): Promise<GlossaryTerm> {
    const term = await this.glossary.find(id);
    if (!term) throw notFound(id);
    return term;
  }

  async create(body: unknown, actor: string): Promise<GlossaryTerm> {
    const input = validateTerm(body);
    return this.write(async (tx) => {
      await this.assertNoConflict(tx, input);
      const term = await this.glossary.insert(tx, input);
      await this.audit.record(tx, [entry(term.id, 'create', actor, undefined, term)]);
      return term;
    });
  }

  async update(id: string, body: unknown, ifMatch: number | undefined, actor: string): Promise<GlossaryTerm> {
    const input = validateTerm(body);
    return this.write(async (tx) => {
      const current = await this.glossary.find(id, tx, true);
      if (!current) throw notFound(id);
      if (ifMatch !== undefined && ifMatch !== current.version) {
        throw new ProblemException(
          412,
          'stale-version',
          'Precondition failed',
          `The term was changed by someone else (now version ${current.version}). Reload it and apply your change again.`,
          { currentVersion: current.version },
        );
      }
      await this.assertNoConflict(tx, input, id);
      const term = await this.glossary.update(tx, id, input);
      await this.audit.record(tx, [entry(id, 'update', actor, current, term)]);
      return term;
    });
  }

  async remove(id: string, actor: string): Promise<void> {
    await this.write(async (tx) => {
      const current = await this.glossary.find(id, tx, true);
      if (!current) throw notFound(id);
      await this.glossary.delete(tx, id);
      await this.audit.record(tx, [entry(id, 'delete', actor, current, undefined)]);
    });
  }

  async exportAll(): Promise<GlossaryTerm[]> {
    return this.glossary.all();
  }

  /**
   * Imports a JSON array of terms in one transaction: an entry with an `id` updates that term; one sharing a form
   * (ja, th or en) with exactly one existing term updates it; others are created. `replace` first removes every
   * term not in the file. Any invalid or contradictory entry rejects the whole file (422), naming each one.
   */
  async import(
    body: unknown,
    options: { replace: boolean; dryRun: boolean },
    actor: string,
  ): Promise<GlossaryImportReport> {
    const parsed = glossaryImportSchema.safeParse(body);
    if (!parsed.success) {
      throw new ProblemException(
        422,
        'import-rejected',
        'Import rejected',
        'Some glossary entries are invalid; nothing was imported.',
        {
          errors: toFieldErrors(parsed.error).map((e) => ({
            path: e.path.replace(/^(\d+)/, '[$1]'),
            message: e.message,
          })),
        },
      );
    }
    const entries = parsed.data;
    const duplicates = duplicateForms(entries);
    if (duplicates.length > 0) {
      throw new ProblemException(
        422,
        'import-rejected',
        'Import rejected',
        'Two entries in the file share a form; nothing was imported.',
        {
          errors: duplicates,
        },
      );
    }
    const run = async (tx: Queryable) => {
      const report = { total: entries.length, created: 0, updated: 0, unchanged: 0, removed: 0, version: 0 };
      const audits: AuditEntry[] = [];
      const errors: Array<{ path: string; message: string }> = [];
      const plans: Array<{ input: GlossaryTermInput; existing?: GlossaryTerm; id?: string }> = [];
      for (const [i, e] of entries.entries()) {
        const input: GlossaryTermInput = {
          ja: e.ja,
          th: e.th,
          en: e.en,
          doNotTranslate: e.doNotTranslate,
          note: e.note,
        };
        const byId = e.id ? await this.glossary.find(e.id, tx) : undefined;
        const conflicts = (await this.glossary.conflicts(tx, input, byId?.id)).filter(
          (c) => c.id !== byId?.id,
        );
        if (byId) {
          if (conflicts.length > 0 && !options.replace) {
            errors.push({ path: `[${i}]`, message: `shares a form with term ${conflicts[0].id}` });
            continue;
          }
          plans.push({ input, existing: byId });
        } else if (conflicts.length > 1 && !options.replace) {
          errors.push({
            path: `[${i}]`,
            message: `matches ${conflicts.length} existing terms (${conflicts.map((c) => c.id).join(', ')})`,
          });
        } else if (conflicts.length === 1 && !options.replace) {
          plans.push({ input, existing: conflicts[0] });
        } else {
          plans.push({ input, id: e.id });
        }
      }
      if (errors.length > 0) {
        throw new ProblemException(
          422,
          'import-rejected',
          'Import rejected',
          `${errors.length} entries contradict the glossary; nothing was imported.`,
          { errors },
        );
      }
      if (options.replace) {
        const before = await this.glossary.all(tx);
        report.removed = await this.glossary.deleteAll(tx);
        for (const t of before) audits.push(entry(t.id, 'delete', actor, t, undefined));
        for (const p of plans) {
          const term = await this.glossary.insert(tx, p.input, p.existing?.id ?? p.id);
          audits.push(entry(term.id, 'import', actor, undefined, term));
          report.created++;
        }
      } else {
        for (const p of plans) {
          if (p.existing) {
            if (sameTerm(p.existing, p.input)) {
              report.unchanged++;
              continue;
            }
            const term = await this.glossary.update(tx, p.existing.id, p.input);
            audits.push(entry(term.id, 'import', actor, p.existing, term));
            report.updated++;
          } else {
            const term = await this.glossary.insert(tx, p.input, p.id);
            audits.push(entry(term.id, 'import', actor, undefined, term));
            report.created++;
          }
        }
      }
      await this.audit.record(tx, audits);
      report.version =
        report.created + report.updated + report.removed > 0
          ? await this.glossary.bumpVersion(tx)
          : await this.glossary.version(tx);
      if (options.dryRun) throw new DryRunDone(report);
      return report;
    };
    try {
      const report = await withTransaction(this.pool, run);
      this.cached = undefined;
      return report;
    } catch (err) {
      if (err instanceof DryRunDone) return err.report;
      throw translateUniqueViolation(err);
    }
  }

  private async write<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    try {
      const result = await withTransaction(this.pool, async (tx) => {
        const r = await work(tx);
        await this.glossary.bumpVersion(tx);
        return r;
      });
      this.cached = undefined;
      return result;
    } catch (err) {
      throw translateUniqueViolation(err);
    }
  }

  private async assertNoConflict(tx: Queryable, input: GlossaryTermInput, exceptId?: string): Promise<void> {
    const conflicts = await this.glossary.conflicts(tx, input, exceptId);
    if (conflicts.length > 0) {
      throw new ProblemException(
        409,
        'conflict',
        'Term already exists',
        `Another glossary term already uses one of these forms (id ${conflicts.map((c) => c.id).join(', ')}); edit that term instead.`,
        { conflictingIds: conflicts.map((c) => c.id) },
      );
    }
  }
}

class DryRunDone extends Error {
  constructor(readonly report: GlossaryImportReport) {
    super('dry run');
  }
}

function validateTerm(body: unknown): GlossaryTermInput {
  const parsed = glossaryTermInputSchema.safeParse(body);
  if (!parsed.success) throw new ValidationProblem(toFieldErrors(parsed.error));
  return parsed.data;
}

function sameTerm(t: GlossaryTerm, input: GlossaryTermInput): boolean {
  return (
    (t.ja ?? null) === (input.ja ?? null) &&
    (t.th ?? null) === (input.th ?? null) &&
    (t.en ?? null) === (input.en ?? null) &&
    t.doNotTranslate === (input.doNotTranslate ?? false) &&
    (t.note ?? null) === (input.note ?? null)
  );
}

function duplicateForms(entries: Array<{ ja?: string; th?: string; en?: string }>) {
  const seen = new Map<string, number>();
  const errors: Array<{ path: string; message: string }> = [];
  entries.forEach((e, i) => {
    for (const lang of ['ja', 'th', 'en'] as const) {
      const v = e[lang];
      if (!v) continue;
      const key = `${lang}:${v.toLowerCase()}`;
      const first = seen.get(key);
      if (first !== undefined)
        errors.push({ path: `[${i}].${lang}`, message: `same form as entry [${first}]` });
      else seen.set(key, i);
    }
  });
  return errors;
}

function entry(
  id: string,
  action: string,
  actor: string,
  before: GlossaryTerm | undefined,
  after: GlossaryTerm | undefined,
): AuditEntry {
  const snap = (t?: GlossaryTerm) =>
    t
      ? {
          ja: t.ja ?? null,
          th: t.th ?? null,
          en: t.en ?? null,
          doNotTranslate: t.doNotTranslate,
          note: t.note ?? null,
        }
      : null;
  const b = snap(before);
  const a = snap(after);
  const fields = Object.keys(a ?? b ?? {}).filter(
    (k) =>
      JSON.stringify((b as Record<string, unknown> | null)?.[k] ?? null) !==
      JSON.stringify((a as Record<string, unknown> | null)?.[k] ?? null),
  );
  return { entityType: 'glossary', entityId: id, action, actor, changedFields: fields, before: b, after: a };
}

const notFound = (id: string) =>
  new ProblemException(404, 'not-found', 'Not found', `No glossary term with id "${id}".`);

function translateUniqueViolation(err: unknown): unknown {
  if ((err as { code?: string })?.code === '23505') {
    return new ProblemException(
      409,
      'conflict',
      'Term already exists',
      'Another glossary term already uses one of these forms.',
    );
  }
  return err;
}
