import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { Subject } from 'rxjs';
import { AuditRepository } from '../audit/audit.repository';
import { type Principal, actorOf, roleAllows } from '../auth/principal';
import { ProblemException, ValidationProblem } from '../common/problem';
import { toFieldErrors } from '../common/zod-validation';
import { PG_POOL } from '../database/database.tokens';
import { withTransaction } from '../database/transaction';
import { type CompanyProfileInput, companyProfileSchema } from './company-profile.schema';
import {
  type CompanyRecord,
  auditSnapshot,
  changedFields,
  contactChanged,
  toInterchange,
  toProfileWrite,
} from './company.model';
import { type CompanyListFilter, CompanyRepository } from './company.repository';

export interface CompanyView {
  profile: CompanyProfileInput;
  meta: { id: string; version: number; machineTranslated: string[]; createdAt: string; updatedAt: string };
}

/** Rules for one profile at a time: create, read, replace, merge-patch, archive, erase, list, history. */
@Injectable()
export class CompaniesService {
  /** Emits the externalId of every profile that changed, so indexers can refresh without polling hard. */
  readonly changes = new Subject<string>();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly companies: CompanyRepository,
    private readonly audit: AuditRepository,
  ) {}

  async get(externalId: string, viewer: Principal): Promise<CompanyView> {
    const record = await this.requireCompany(externalId);
    // Viewers read profiles; private contact data is for curators and admins only.
    const contact = roleAllows(viewer.role, 'curator')
      ? await this.companies.findContact(record.id)
      : undefined;
    return this.view(record, contact);
  }

  async create(body: unknown, actor: Principal): Promise<CompanyView> {
    const input = this.validate(body);
    const write = toProfileWrite(input);
    const saved = await withTransaction(this.pool, async (tx) => {
      if (await this.companies.findByExternalId(input.externalId, tx)) {
        throw new ProblemException(
          409,
          'conflict',
          'Already exists',
          `A company with externalId "${input.externalId}" already exists; use PUT or PATCH to change it.`,
        );
      }
      await this.companies.saveMany(tx, [write]);
      await this.audit.record(tx, [
        {
          entityType: 'company',
          entityId: input.externalId,
          action: 'create',
          actor: actorOf(actor),
          changedFields: [...changedFields(undefined, write.profile), ...(write.contact ? ['contact'] : [])],
          before: null,
          after: auditSnapshot(write.profile, changedFields(undefined, write.profile)),
        },
      ]);
      return (await this.companies.findByExternalId(input.externalId, tx))!;
    });
    this.changes.next(saved.externalId);
    return this.view(saved, write.contact);
  }

  /** Full replace (PUT). `ifMatch` is the version the caller last saw; a stale one changes nothing. */
  async replace(
    externalId: string,
    body: unknown,
    ifMatch: number | undefined,
    actor: Principal,
  ): Promise<CompanyView> {
    const withId = isObject(body) && body.externalId === undefined ? { ...body, externalId } : body;
    const input = this.validate(withId);
    if (input.externalId !== externalId) {
      throw new ValidationProblem([{ path: 'externalId', message: `must match the URL ("${externalId}")` }]);
    }
    return this.update(externalId, ifMatch, actor, () => input);
  }

  /** JSON Merge Patch (RFC 7396): `null` removes a field; the merged result must still be a valid profile. */
  async patch(
    externalId: string,
    body: unknown,
    ifMatch: number | undefined,
    actor: Principal,
  ): Promise<CompanyView> {
    if (!isObject(body))
      throw new ValidationProblem([{ path: '(root)', message: 'a merge patch must be a JSON object' }]);
    if ('externalId' in body && body.externalId !== externalId) {
      throw new ValidationProblem([{ path: 'externalId', message: 'cannot be changed' }]);
    }
    return this.update(externalId, ifMatch, actor, (current) => this.validate(mergePatch(current, body)));
  }

  private async update(
    externalId: string,
    ifMatch: number | undefined,
    actor: Principal,
    next: (current: CompanyProfileInput) => CompanyProfileInput,
  ): Promise<CompanyView> {
    const result = await withTransaction(this.pool, async (tx) => {
      const current = await this.companies.findByExternalId(externalId, tx, true);
      if (!current) throw notFound(externalId);
      if (ifMatch !== undefined && ifMatch !== current.version) throw staleVersion(current.version);
      const currentContact = await this.companies.findContact(current.id, tx);
      const input = next(toInterchange(current, currentContact));
      const write = toProfileWrite(input);
      const fields: string[] = changedFields(current, write.profile);
      if (contactChanged(currentContact, write.contact)) fields.push('contact');
      if (fields.length === 0) return { record: current, contact: currentContact, changed: false };
      // Edited localized fields are human text now: they leave the machine-translated review list.
      write.machineTranslated = current.machineTranslated.filter(
        (path) => !fields.includes(path.split('.')[0]),
      );
      await this.companies.saveMany(tx, [write]);
      await this.audit.record(tx, [
        {
          entityType: 'company',
          entityId: externalId,
          action: 'update',
          actor: actorOf(actor),
          changedFields: fields,
          before: auditSnapshot(current, fields),
          after: auditSnapshot(write.profile, fields),
        },
      ]);
      return {
        record: (await this.companies.findByExternalId(externalId, tx))!,
        contact: write.contact,
        changed: true,
      };
    });
    if (result.changed) this.changes.next(externalId);
    return this.view(result.record, result.contact);
  }

  /** Archive (default) or, for admins with `hard`, erase the profile with its contacts and derived data. */
  async remove(
    externalId: string,
    hard: boolean,
    ifMatch: number | undefined,
    actor: Principal,
  ): Promise<CompanyView | undefined> {
    if (hard && !roleAllows(actor.role, 'admin')) {
      throw new ProblemException(
        403,
        'forbidden',
        'Forbidden',
        'Erasing a company (hard=true) is for admins only.',
      );
    }
    const result = await withTransaction(this.pool, async (tx) => {
      const current = await this.companies.findByExternalId(externalId, tx, true);
      if (!current) throw notFound(externalId);
      if (ifMatch !== undefined && ifMatch !== current.version) throw staleVersion(current.version);
      if (hard) {
        await this.companies.erase(tx, current.id);
        // The erased content is not copied into the audit log: only that it happened, by whom.
        await this.audit.record(tx, [
          {
            entityType: 'company',
            entityId: externalId,
            action: 'erase',
            actor: actorOf(actor),
            changedFields: [],
          },
        ]);
        return undefined;
      }
      if (current.status === 'archived') return current;
      await this.companies.setStatus(tx, current.id, 'archived');
      await this.audit.record(tx, [
        {
          entityType: 'company',
          entityId: externalId,
          action: 'archive',
          actor: actorOf(actor),
          changedFields: ['status'],
          before: { status: current.status },
          after: { status: 'archived' },
        },
      ]);
      return (await this.companies.findByExternalId(externalId, tx))!;
    });
    this.changes.next(externalId);
    return result ? this.view(result) : undefined;
  }

  async list(filter: CompanyListFilter, page: number, pageSize: number) {
    const { items, total } = await this.companies.list(filter, (page - 1) * pageSize, pageSize);
    return {
      items: items.map((r) => this.view(r)),
      page,
      pageSize,
      total,
      totalPages: Math.max(1, Math.ceil(total / pageSize)),
    };
  }

  async history(externalId: string) {
    return this.audit.history('company', externalId);
  }

  private async requireCompany(externalId: string): Promise<CompanyRecord> {
    const record = await this.companies.findByExternalId(externalId);
    if (!record) throw notFound(externalId);
    return record;
  }

  private validate(body: unknown): CompanyProfileInput {
    const parsed = companyProfileSchema.safeParse(body);
    if (!parsed.success) throw new ValidationProblem(toFieldErrors(parsed.error));
    return parsed.data;
  }

  private view(record: CompanyRecord, contact?: CompanyProfileInput['contact']): CompanyView {
    return {
      profile: toInterchange(record, contact),
      meta: {
        id: record.id,
        version: record.version,
        machineTranslated: record.machineTranslated,
        createdAt: record.createdAt,
        updatedAt: record.updatedAt,
      },
    };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (isObject(value) && isObject(out[key])) out[key] = mergePatch(out[key], value);
    else out[key] = value;
  }
  return out;
}

const notFound = (externalId: string) =>
  new ProblemException(404, 'not-found', 'Not found', `No company with externalId "${externalId}".`);

const staleVersion = (current: number) =>
  new ProblemException(
    412,
    'stale-version',
    'Precondition failed',
    `The profile was changed by someone else (now version ${current}). Reload it and apply your change again.`,
    { currentVersion: current },
  );
