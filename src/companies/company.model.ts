import type {
  CompanyContact,
  CompanyProfileInput,
  CompanyStatus,
  Country,
  Industry,
  LocalizedList,
  LocalizedText,
  PartnershipType,
  PublicField,
} from './company-profile.schema';
import { LANGS, PUBLIC_FIELDS } from './company-profile.schema';

/** The public profile as stored: every field present, empty lists as []. Never contains contact data. */
export interface PublicProfile {
  externalId: string;
  country: Country;
  status: CompanyStatus;
  names: LocalizedText;
  summary?: LocalizedText;
  description?: LocalizedText;
  industries: Industry[];
  offerings?: LocalizedList;
  seeking?: LocalizedList;
  partnershipTypes: PartnershipType[];
  location?: LocalizedText;
  employees?: number;
  foundedYear?: number;
  website?: string;
  certifications: string[];
  languages: Array<'ja' | 'th' | 'en'>;
}

/**
 * A profile as a dataset file spells it (only the fields it has) with the stored shape's empty defaults filled
 * in, for tools and tests that read profiles straight from a file rather than through the import.
 */
export function withProfileDefaults(p: Partial<PublicProfile> & { externalId: string }): PublicProfile {
  return {
    country: 'TH',
    status: 'published',
    names: {},
    industries: [],
    partnershipTypes: [],
    certifications: [],
    languages: [],
    ...p,
  };
}

export interface CompanyRecord extends PublicProfile {
  id: string;
  version: number;
  machineTranslated: string[];
  createdAt: string;
  updatedAt: string;
}

/** A profile ready to be written: public part, private contact (or none), machine-translation marks. */
export interface ProfileWrite {
  profile: PublicProfile;
  contact?: CompanyContact;
  machineTranslated?: string[];
}

function dropEmpty<T extends Record<string, unknown>>(obj: T | undefined): T | undefined {
  if (!obj) return undefined;
  const out: Record<string, unknown> = {};
  for (const lang of LANGS) {
    const v = obj[lang];
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[lang] = v;
  }
  return Object.keys(out).length > 0 ? (out as T) : undefined;
}

/** Puts an input profile into the stored shape, so equal data always compares equal. */
export function toProfileWrite(input: CompanyProfileInput): ProfileWrite {
  const profile: PublicProfile = {
    externalId: input.externalId,
    country: input.country,
    status: input.status ?? 'draft',
    names: dropEmpty(input.names) ?? {},
    summary: dropEmpty(input.summary),
    description: dropEmpty(input.description),
    industries: (input.industries ?? []).map((i) => ({
      scheme: i.scheme,
      ...(i.code !== undefined ? { code: i.code } : {}),
      ...(i.label ? { label: dropEmpty(i.label) } : {}),
    })),
    offerings: dropEmpty(input.offerings),
    seeking: dropEmpty(input.seeking),
    partnershipTypes: input.partnershipTypes ?? [],
    location: dropEmpty(input.location),
    employees: input.employees,
    foundedYear: input.foundedYear,
    website: input.website,
    certifications: input.certifications ?? [],
    languages: input.languages ?? [],
  };
  const contact = input.contact && Object.values(input.contact).some((v) => v) ? input.contact : undefined;
  return { profile, contact };
}

/** The interchange-format object for a stored profile (what export and GET return). */
export function toInterchange(p: PublicProfile, contact?: CompanyContact | null): CompanyProfileInput {
  const out: Record<string, unknown> = { externalId: p.externalId };
  for (const field of PUBLIC_FIELDS) {
    const v = (p as unknown as Record<string, unknown>)[field];
    if (v === undefined || v === null) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[field] = v;
  }
  if (contact && Object.values(contact).some((v) => v)) out.contact = stripUndefined(contact);
  return out as CompanyProfileInput;
}

function stripUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/** Stable JSON for comparisons: keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** Which public fields differ between two versions of a profile (for the audit log and no-op detection). */
export function changedFields(before: PublicProfile | undefined, after: PublicProfile): PublicField[] {
  return PUBLIC_FIELDS.filter(
    (f) =>
      canonicalJson((before as unknown as Record<string, unknown> | undefined)?.[f] ?? null) !==
      canonicalJson((after as unknown as Record<string, unknown>)[f] ?? null),
  );
}

export function contactChanged(
  before: CompanyContact | undefined | null,
  after: CompanyContact | undefined,
): boolean {
  return canonicalJson(stripUndefined(before ?? {})) !== canonicalJson(stripUndefined(after ?? {}));
}

/** Audit records keep before/after values of public fields only; private contact changes are named, not copied. */
export function auditSnapshot(
  p: PublicProfile | undefined,
  fields: readonly string[],
): Record<string, unknown> | null {
  if (!p) return null;
  const rec = p as unknown as Record<string, unknown>;
  return Object.fromEntries(fields.filter((f) => f !== 'contact').map((f) => [f, rec[f] ?? null]));
}

/** Lower-cased names in every language plus the id: what the staff list's `q` searches. */
export function searchTextOf(p: PublicProfile): string {
  return [p.externalId, ...Object.values(p.names)].join(' ').normalize('NFKC').toLowerCase();
}

/** Lower-cased industry codes, `scheme:code` pairs and labels: what the staff list's `industry` filter matches. */
export function industryKeysOf(p: PublicProfile): string[] {
  const keys = new Set<string>();
  for (const i of p.industries) {
    if (i.code) keys.add(i.code.toLowerCase());
    keys.add(`${i.scheme}:${i.code ?? ''}`.toLowerCase());
    for (const label of Object.values(i.label ?? {})) if (label) keys.add(label.toLowerCase());
  }
  return [...keys].sort();
}
