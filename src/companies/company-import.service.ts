import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { AuditRepository, type AuditEntry } from '../audit/audit.repository';
import type { FieldError } from '../common/problem';
import { ProblemException } from '../common/problem';
import { toFieldErrors } from '../common/zod-validation';
import { PG_POOL } from '../database/database.tokens';
import { withTransaction } from '../database/transaction';
import { csvToProfiles, profilesToCsv } from './company-csv';
import { type CompanyProfileInput, companyProfileSchema } from './company-profile.schema';
import {
  type ProfileWrite,
  auditSnapshot,
  changedFields,
  contactChanged,
  toInterchange,
  toProfileWrite,
} from './company.model';
import { CompanyRepository } from './company.repository';
import { CompaniesService } from './companies.service';

export interface ImportOptions {
  dryRun: boolean;
  skipInvalid: boolean;
  actor: string;
}

export interface RejectedRow {
  /** 1-based position in the JSON array or data row of the CSV (the header is row 0). */
  row: number;
  /** For a CSV file: the line of the file the row starts on (what a spreadsheet or editor shows). */
  line?: number;
  externalId?: string;
  errors: FieldError[];
}

export interface ImportReport {
  dryRun: boolean;
  total: number;
  valid: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: RejectedRow[];
  /** False when nothing was written because the batch had invalid rows (and skipInvalid was not set). */
  written: boolean;
}

export type ImportInput = { format: 'json'; body: unknown } | { format: 'csv'; text: string };

// Rows per INSERT statement: large enough to amortise round trips, small enough to keep statements modest.
const CHUNK = 500;

/**
 * Bulk import (upsert on externalId) of the interchange format, as JSON or CSV. All-or-nothing: a batch with
 * any invalid row writes nothing unless skipInvalid is set, and every rejected row is reported with its row
 * number, field path and reason. Unchanged profiles are left alone, so re-importing an export is a no-op.
 */
@Injectable()
export class CompanyImportService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly companies: CompanyRepository,
    private readonly audit: AuditRepository,
    private readonly service: CompaniesService,
  ) {}

  async import(input: ImportInput, options: ImportOptions): Promise<ImportReport> {
    const { candidates, rejected } = this.parse(input);
    const valid: Array<{ row: number; write: ProfileWrite }> = [];
    const firstRowOf = new Map<string, { row: number; line?: number }>();
    for (const c of candidates) {
      if (c.errors.length > 0) {
        rejected.push({ row: c.row, line: c.line, externalId: externalIdOf(c.value), errors: c.errors });
        continue;
      }
      const parsed = companyProfileSchema.safeParse(c.value);
      if (!parsed.success) {
        rejected.push({
          row: c.row,
          line: c.line,
          externalId: externalIdOf(c.value),
          errors: toFieldErrors(parsed.error),
        });
        continue;
      }
      const first = firstRowOf.get(parsed.data.externalId);
      if (first !== undefined) {
        rejected.push({
          row: c.row,
          line: c.line,
          externalId: parsed.data.externalId,
          errors: [
            {
              path: 'externalId',
              message: `duplicate of row ${first.row} in this batch`,
              code: 'duplicate',
              params: { row: first.row, ...(first.line !== undefined ? { line: first.line } : {}) },
            },
          ],
        });
        continue;
      }
      firstRowOf.set(parsed.data.externalId, { row: c.row, line: c.line });
      valid.push({ row: c.row, write: toProfileWrite(parsed.data) });
    }
    rejected.sort((a, b) => a.row - b.row);

    const report: ImportReport = {
      dryRun: options.dryRun,
      total: candidates.length,
      valid: valid.length,
      created: 0,
      updated: 0,
      unchanged: 0,
      rejected,
      written: false,
    };
    const blocked = rejected.length > 0 && !options.skipInvalid;

    const changedIds: string[] = [];
    const apply = async (tx: Pool | import('pg').PoolClient, write: boolean) => {
      for (let i = 0; i < valid.length; i += CHUNK) {
        const chunk = valid.slice(i, i + CHUNK);
        const existing = await this.companies.findManyByExternalIds(
          chunk.map((v) => v.write.profile.externalId),
          tx,
        );
        const contacts = await this.companies.findContacts(
          [...existing.values()].map((e) => e.id),
          tx,
        );
        const toSave: ProfileWrite[] = [];
        const entries: AuditEntry[] = [];
        for (const { write: w } of chunk) {
          const before = existing.get(w.profile.externalId);
          const fields: string[] = changedFields(before, w.profile);
          if (contactChanged(before ? contacts.get(before.id) : undefined, w.contact)) fields.push('contact');
          if (before && fields.length === 0) {
            report.unchanged++;
            continue;
          }
          if (before) report.updated++;
          else report.created++;
          // Re-importing a field keeps its machine-translation mark only if the text did not change.
          w.machineTranslated =
            before?.machineTranslated.filter((p) => !fields.includes(p.split('.')[0])) ?? [];
          toSave.push(w);
          entries.push({
            entityType: 'company',
            entityId: w.profile.externalId,
            action: before ? 'import-update' : 'import-create',
            actor: options.actor,
            changedFields: fields,
            before: auditSnapshot(before, fields),
            after: auditSnapshot(w.profile, fields),
          });
        }
        if (write && toSave.length > 0) {
          await this.companies.saveMany(tx, toSave);
          await this.audit.record(tx, entries);
          changedIds.push(...toSave.map((w) => w.profile.externalId));
        }
      }
    };

    if (options.dryRun || blocked) {
      // Still compute created/updated/unchanged so a dry run says what would happen.
      await apply(this.pool, false);
      return report;
    }
    await withTransaction(this.pool, (tx) => apply(tx, true));
    report.written = true;
    for (const id of changedIds) this.service.changes.next(id);
    return report;
  }

  /** Every profile in the interchange format, contacts included (staff export; curators and admins only). */
  async *exportJson(): AsyncGenerator<string> {
    yield '[';
    let first = true;
    for await (const page of this.companies.streamAll()) {
      const contacts = await this.companies.findContacts(page.map((p) => p.id));
      for (const record of page) {
        yield (first ? '\n' : ',\n') + JSON.stringify(toInterchange(record, contacts.get(record.id)));
        first = false;
      }
    }
    yield '\n]\n';
  }

  async *exportCsv(): AsyncGenerator<string> {
    let header = true;
    for await (const page of this.companies.streamAll()) {
      const contacts = await this.companies.findContacts(page.map((p) => p.id));
      const csv = profilesToCsv(page.map((r) => toInterchange(r, contacts.get(r.id))));
      yield header ? csv : csv.slice(csv.indexOf('\n') + 1);
      header = false;
    }
    if (header) yield profilesToCsv([]);
  }

  private parse(input: ImportInput): {
    candidates: Array<{ row: number; line?: number; value: unknown; errors: FieldError[] }>;
    rejected: RejectedRow[];
  } {
    if (input.format === 'csv') {
      const parsed = csvToProfiles(input.text);
      if (parsed.fileErrors.length > 0) {
        throw new ProblemException(
          400,
          'invalid-csv',
          'Invalid CSV file',
          'The CSV file cannot be read as profiles.',
          {
            errors: parsed.fileErrors,
          },
        );
      }
      return { candidates: parsed.rows, rejected: [] };
    }
    const body = input.body;
    const list: unknown[] | undefined = Array.isArray(body)
      ? body
      : isObject(body) && Array.isArray(body.profiles)
        ? body.profiles
        : undefined;
    if (!list) {
      throw new ProblemException(
        400,
        'validation',
        'Invalid request',
        'Send a JSON array of profiles (or an object with a "profiles" array).',
        {
          errors: [{ path: '(root)', message: 'expected an array of company profiles' }],
        },
      );
    }
    return {
      candidates: list.map((value, i) => ({ row: i + 1, value, errors: [] as FieldError[] })),
      rejected: [],
    };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const externalIdOf = (v: unknown): string | undefined =>
  isObject(v) && typeof v.externalId === 'string' ? v.externalId : undefined;

export type { CompanyProfileInput };
