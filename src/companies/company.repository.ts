import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.tokens';
import type { Queryable } from '../database/transaction';
import type { CompanyContact, CompanyStatus, Country } from './company-profile.schema';
import {
  type CompanyRecord,
  type ProfileWrite,
  type PublicProfile,
  industryKeysOf,
  searchTextOf,
} from './company.model';

/** Columns of the public profile. Contact data lives in company_contacts and is never in this list. */
const PUBLIC_COLUMNS = `c.id, c.external_id, c.country, c.status, c.names, c.summary, c.description, c.industries,
  c.offerings, c.seeking, c.partnership_types, c.location, c.employees, c.founded_year, c.website,
  c.certifications, c.languages, c.machine_translated, c.version, c.created_at, c.updated_at`;

interface CompanyRow {
  id: string;
  external_id: string;
  country: Country;
  status: CompanyStatus;
  names: PublicProfile['names'];
  summary: PublicProfile['summary'] | null;
  description: PublicProfile['description'] | null;
  industries: PublicProfile['industries'];
  offerings: PublicProfile['offerings'] | null;
  seeking: PublicProfile['seeking'] | null;
  partnership_types: PublicProfile['partnershipTypes'];
  location: PublicProfile['location'] | null;
  employees: number | null;
  founded_year: number | null;
  website: string | null;
  certifications: string[];
  languages: PublicProfile['languages'];
  machine_translated: string[];
  version: number;
  created_at: Date;
  updated_at: Date;
}

const orUndefined = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

function toRecord(r: CompanyRow): CompanyRecord {
  return {
    id: r.id,
    externalId: r.external_id,
    country: r.country,
    status: r.status,
    names: r.names,
    summary: orUndefined(r.summary),
    description: orUndefined(r.description),
    industries: r.industries,
    offerings: orUndefined(r.offerings),
    seeking: orUndefined(r.seeking),
    partnershipTypes: r.partnership_types,
    location: orUndefined(r.location),
    employees: orUndefined(r.employees),
    foundedYear: orUndefined(r.founded_year),
    website: orUndefined(r.website),
    certifications: r.certifications,
    languages: r.languages,
    machineTranslated: r.machine_translated,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export interface CompanyListFilter {
  country?: Country;
  status?: CompanyStatus;
  /** Matches an industry code, a label in any language, or `scheme:code`. */
  industry?: string;
  /** Substring of a name in any language or of the externalId. */
  q?: string;
  /** Only profiles with machine-translated fields awaiting review. */
  pendingReview?: boolean;
  /** Only profiles whose names lack this language. */
  missingLang?: 'ja' | 'th' | 'en';
}

export interface SaveResult {
  id: string;
  externalId: string;
  version: number;
  inserted: boolean;
}

@Injectable()
export class CompanyRepository {
  private readonly eraseHooks: Array<(db: Queryable, companyId: string) => Promise<void>> = [];

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async findByExternalId(externalId: string, db: Queryable = this.pool, forUpdate = false) {
    const { rows } = await db.query<CompanyRow>(
      `SELECT ${PUBLIC_COLUMNS} FROM companies c WHERE c.external_id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [externalId],
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async findManyByExternalIds(
    externalIds: string[],
    db: Queryable = this.pool,
  ): Promise<Map<string, CompanyRecord>> {
    if (externalIds.length === 0) return new Map();
    const { rows } = await db.query<CompanyRow>(
      `SELECT ${PUBLIC_COLUMNS} FROM companies c WHERE c.external_id = ANY($1::text[])`,
      [externalIds],
    );
    return new Map(rows.map((r) => [r.external_id, toRecord(r)]));
  }

  async findManyByIds(ids: string[], db: Queryable = this.pool): Promise<CompanyRecord[]> {
    if (ids.length === 0) return [];
    const { rows } = await db.query<CompanyRow>(
      `SELECT ${PUBLIC_COLUMNS} FROM companies c WHERE c.id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map(toRecord);
  }

  async findContact(companyId: string, db: Queryable = this.pool): Promise<CompanyContact | undefined> {
    const { rows } = await db.query<{
      person: string | null;
      email: string | null;
      phone: string | null;
      line_id: string | null;
    }>('SELECT person, email, phone, line_id FROM company_contacts WHERE company_id = $1', [companyId]);
    const r = rows[0];
    if (!r) return undefined;
    return {
      ...(r.person ? { person: r.person } : {}),
      ...(r.email ? { email: r.email } : {}),
      ...(r.phone ? { phone: r.phone } : {}),
      ...(r.line_id ? { lineId: r.line_id } : {}),
    };
  }

  async findContacts(companyIds: string[], db: Queryable = this.pool): Promise<Map<string, CompanyContact>> {
    if (companyIds.length === 0) return new Map();
    const { rows } = await db.query<{
      company_id: string;
      person: string | null;
      email: string | null;
      phone: string | null;
      line_id: string | null;
    }>(
      'SELECT company_id, person, email, phone, line_id FROM company_contacts WHERE company_id = ANY($1::uuid[])',
      [companyIds],
    );
    return new Map(
      rows.map((r) => [
        r.company_id,
        {
          ...(r.person ? { person: r.person } : {}),
          ...(r.email ? { email: r.email } : {}),
          ...(r.phone ? { phone: r.phone } : {}),
          ...(r.line_id ? { lineId: r.line_id } : {}),
        },
      ]),
    );
  }

  async list(
    filter: CompanyListFilter,
    offset: number,
    limit: number,
  ): Promise<{ items: CompanyRecord[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.country) add((p) => `c.country = ${p}`, filter.country);
    if (filter.status) add((p) => `c.status = ${p}`, filter.status);
    if (filter.industry) add((p) => `c.industry_keys @> ARRAY[lower(${p})]`, filter.industry.trim());
    if (filter.q)
      add(
        (p) => `c.search_text LIKE ${p}`,
        `%${filter.q
          .normalize('NFKC')
          .toLowerCase()
          .replace(/[\\%_]/g, (m) => '\\' + m)}%`,
      );
    if (filter.pendingReview) where.push(`cardinality(c.machine_translated) > 0`);
    if (filter.missingLang) add((p) => `NOT (c.names ? ${p})`, filter.missingLang);
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM companies c ${whereSql}`,
      params,
    );
    params.push(limit, offset);
    const { rows } = await this.pool.query<CompanyRow>(
      `SELECT ${PUBLIC_COLUMNS} FROM companies c ${whereSql}
       ORDER BY c.external_id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return { items: rows.map(toRecord), total: Number(total.rows[0].n) };
  }

  /** Every profile in externalId order, in pages, for export (keyset pagination keeps memory flat). */
  async *streamAll(pageSize = 1000): AsyncGenerator<CompanyRecord[]> {
    let after = '';
    for (;;) {
      const { rows } = await this.pool.query<CompanyRow>(
        `SELECT ${PUBLIC_COLUMNS} FROM companies c WHERE c.external_id > $1 ORDER BY c.external_id LIMIT $2`,
        [after, pageSize],
      );
      if (rows.length === 0) return;
      yield rows.map(toRecord);
      after = rows[rows.length - 1].external_id;
    }
  }

  /**
   * Inserts or replaces many profiles in one statement (upsert on externalId), bumping the version of replaced
   * ones. Contacts are replaced too: a profile without contact loses its stored contact.
   */
  async saveMany(db: Queryable, writes: ProfileWrite[]): Promise<SaveResult[]> {
    if (writes.length === 0) return [];
    const rows = writes.map(({ profile: p, machineTranslated }) => ({
      external_id: p.externalId,
      country: p.country,
      status: p.status,
      names: p.names,
      summary: p.summary ?? null,
      description: p.description ?? null,
      industries: p.industries,
      offerings: p.offerings ?? null,
      seeking: p.seeking ?? null,
      partnership_types: p.partnershipTypes,
      location: p.location ?? null,
      employees: p.employees ?? null,
      founded_year: p.foundedYear ?? null,
      website: p.website ?? null,
      certifications: p.certifications,
      languages: p.languages,
      machine_translated: machineTranslated ?? [],
      search_text: searchTextOf(p),
      industry_keys: industryKeysOf(p),
    }));
    const { rows: saved } = await db.query<{
      id: string;
      external_id: string;
      version: number;
      inserted: boolean;
    }>(
      `INSERT INTO companies (external_id, country, status, names, summary, description, industries, offerings,
         seeking, partnership_types, location, employees, founded_year, website, certifications, languages,
         machine_translated, search_text, industry_keys)
       SELECT x.external_id, x.country, x.status, x.names, x.summary, x.description, x.industries, x.offerings,
         x.seeking, ARRAY(SELECT jsonb_array_elements_text(x.partnership_types)), x.location, x.employees,
         x.founded_year, x.website, ARRAY(SELECT jsonb_array_elements_text(x.certifications)),
         ARRAY(SELECT jsonb_array_elements_text(x.languages)),
         ARRAY(SELECT jsonb_array_elements_text(x.machine_translated)), x.search_text,
         ARRAY(SELECT jsonb_array_elements_text(x.industry_keys))
       FROM jsonb_to_recordset($1::jsonb) AS x(external_id text, country text, status text, names jsonb,
         summary jsonb, description jsonb, industries jsonb, offerings jsonb, seeking jsonb,
         partnership_types jsonb, location jsonb, employees integer, founded_year integer, website text,
         certifications jsonb, languages jsonb, machine_translated jsonb, search_text text, industry_keys jsonb)
       ON CONFLICT (external_id) DO UPDATE SET
         country = EXCLUDED.country, status = EXCLUDED.status, names = EXCLUDED.names,
         summary = EXCLUDED.summary, description = EXCLUDED.description, industries = EXCLUDED.industries,
         offerings = EXCLUDED.offerings, seeking = EXCLUDED.seeking,
         partnership_types = EXCLUDED.partnership_types, location = EXCLUDED.location,
         employees = EXCLUDED.employees, founded_year = EXCLUDED.founded_year, website = EXCLUDED.website,
         certifications = EXCLUDED.certifications, languages = EXCLUDED.languages,
         machine_translated = EXCLUDED.machine_translated, search_text = EXCLUDED.search_text,
         industry_keys = EXCLUDED.industry_keys,
         version = companies.version + 1, updated_at = now()
       RETURNING id, external_id, version, (xmax = 0) AS inserted`,
      [JSON.stringify(rows)],
    );
    const ids = new Map(saved.map((s) => [s.external_id, s.id]));
    const contacts = writes
      .filter((w) => w.contact)
      .map((w) => ({
        company_id: ids.get(w.profile.externalId),
        person: w.contact?.person ?? null,
        email: w.contact?.email ?? null,
        phone: w.contact?.phone ?? null,
        line_id: w.contact?.lineId ?? null,
      }));
    const withoutContact = writes.filter((w) => !w.contact).map((w) => ids.get(w.profile.externalId));
    if (withoutContact.length > 0) {
      await db.query('DELETE FROM company_contacts WHERE company_id = ANY($1::uuid[])', [withoutContact]);
    }
    if (contacts.length > 0) {
      await db.query(
        `INSERT INTO company_contacts (company_id, person, email, phone, line_id)
         SELECT x.company_id, x.person, x.email, x.phone, x.line_id
         FROM jsonb_to_recordset($1::jsonb) AS x(company_id uuid, person text, email text, phone text, line_id text)
         ON CONFLICT (company_id) DO UPDATE SET person = EXCLUDED.person, email = EXCLUDED.email,
           phone = EXCLUDED.phone, line_id = EXCLUDED.line_id, updated_at = now()`,
        [JSON.stringify(contacts)],
      );
    }
    return saved.map((s) => ({
      id: s.id,
      externalId: s.external_id,
      version: s.version,
      inserted: s.inserted,
    }));
  }

  async setStatus(db: Queryable, id: string, status: CompanyStatus): Promise<number> {
    const { rows } = await db.query<{ version: number }>(
      `UPDATE companies SET status = $2, version = version + 1, updated_at = now() WHERE id = $1 RETURNING version`,
      [id, status],
    );
    return rows[0].version;
  }

  /** Hard delete: the profile, its contacts and everything keyed on it (ON DELETE CASCADE). */
  async erase(db: Queryable, id: string): Promise<void> {
    for (const hook of this.eraseHooks) await hook(db, id);
    await db.query('DELETE FROM companies WHERE id = $1', [id]);
  }

  /**
   * Privacy hook: runs inside the erasing transaction, before the row goes, for data no foreign key reaches
   * (audit history, chat rows naming the company by externalId).
   */
  onErase(hook: (db: Queryable, companyId: string) => Promise<void>): void {
    this.eraseHooks.push(hook);
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM companies');
    return Number(rows[0].n);
  }
}
