/**
 * The profile editor's model: a profile flattened to one string per editable leaf ("names.ja", "offerings.th",
 * "website"…). Flat keys make side-by-side editing, per-field validation messages and the three-way merge of
 * an edit conflict straightforward.
 */
export type Lang = 'ja' | 'th' | 'en';
export const LANGS: Lang[] = ['ja', 'th', 'en'];
export const TEXT_FIELDS = ['names', 'summary', 'description', 'location'] as const;
export const LIST_FIELDS = ['offerings', 'seeking'] as const;
export const LOCALIZED_FIELDS = [...TEXT_FIELDS, ...LIST_FIELDS] as const;
export type LocalizedField = (typeof LOCALIZED_FIELDS)[number];
export const PARTNERSHIP_TYPES = [
  'supplier',
  'buyer',
  'distributor',
  'agent',
  'oem',
  'joint_venture',
  'investment',
  'licensing',
  'outsourcing',
  'technology_transfer',
  'other',
] as const;
export const CONTACT_FIELDS = ['person', 'email', 'phone', 'lineId'] as const;

export type Localized<T> = Partial<Record<Lang, T>>;
export interface Industry {
  scheme: string;
  code?: string;
  label?: Localized<string>;
}

/** A profile as GET /api/companies/{id} returns it (interchange format + meta). */
export interface ProfileDto {
  externalId: string;
  country: 'JP' | 'TH';
  status?: 'draft' | 'published' | 'archived';
  names: Localized<string>;
  summary?: Localized<string>;
  description?: Localized<string>;
  location?: Localized<string>;
  offerings?: Localized<string[]>;
  seeking?: Localized<string[]>;
  industries?: Industry[];
  partnershipTypes?: string[];
  employees?: number;
  foundedYear?: number;
  website?: string;
  certifications?: string[];
  languages?: Lang[];
  contact?: Partial<Record<(typeof CONTACT_FIELDS)[number], string>>;
  id?: string;
  version?: number;
  machineTranslated?: string[];
  createdAt?: string;
  updatedAt?: string;
}

export type FormState = Record<string, string>;

const splitList = (s: string, sep: RegExp) =>
  s
    .split(sep)
    .map((x) => x.trim())
    .filter(Boolean);

export function emptyForm(country: 'JP' | 'TH' = 'TH'): FormState {
  return toForm({ externalId: '', country, names: {}, status: 'draft' });
}

export function toForm(p: ProfileDto): FormState {
  const f: FormState = {
    externalId: p.externalId,
    country: p.country,
    status: p.status ?? 'draft',
    employees: p.employees?.toString() ?? '',
    foundedYear: p.foundedYear?.toString() ?? '',
    website: p.website ?? '',
    certifications: (p.certifications ?? []).join(', '),
    languages: (p.languages ?? []).join(','),
    partnershipTypes: (p.partnershipTypes ?? []).join(','),
    industries: JSON.stringify(p.industries ?? []),
  };
  for (const field of TEXT_FIELDS) for (const l of LANGS) f[`${field}.${l}`] = p[field]?.[l] ?? '';
  for (const field of LIST_FIELDS)
    for (const l of LANGS) f[`${field}.${l}`] = (p[field]?.[l] ?? []).join('\n');
  for (const c of CONTACT_FIELDS) f[`contact.${c}`] = p.contact?.[c] ?? '';
  return f;
}

/** The interchange object to PUT/POST. Empty strings are left out (the API rejects empty texts). */
export function fromForm(f: FormState, includeContact: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    externalId: f.externalId.trim(),
    country: f.country,
    status: f.status,
  };
  for (const field of TEXT_FIELDS) {
    const v: Localized<string> = {};
    for (const l of LANGS) if (f[`${field}.${l}`]?.trim()) v[l] = f[`${field}.${l}`].trim();
    if (Object.keys(v).length > 0 || field === 'names') out[field] = v;
  }
  for (const field of LIST_FIELDS) {
    const v: Localized<string[]> = {};
    for (const l of LANGS) {
      const items = splitList(f[`${field}.${l}`] ?? '', /\n/);
      if (items.length) v[l] = items;
    }
    if (Object.keys(v).length > 0) out[field] = v;
  }
  const industries = parseIndustries(f.industries);
  if (industries.length) out.industries = industries;
  const pts = splitList(f.partnershipTypes, /,/);
  if (pts.length) out.partnershipTypes = pts;
  const langs = splitList(f.languages, /,/);
  if (langs.length) out.languages = langs;
  const certs = splitList(f.certifications, /,/);
  if (certs.length) out.certifications = certs;
  if (f.website.trim()) out.website = f.website.trim();
  // Numbers typed by a person: a non-number is sent as text so the API reports it on the field.
  for (const k of ['employees', 'foundedYear'] as const) {
    const raw = f[k].trim();
    if (raw) out[k] = /^\d+$/.test(raw) ? Number(raw) : raw;
  }
  if (includeContact) {
    const contact: Record<string, string> = {};
    for (const c of CONTACT_FIELDS) if (f[`contact.${c}`]?.trim()) contact[c] = f[`contact.${c}`].trim();
    if (Object.keys(contact).length) out.contact = contact;
  }
  return out;
}

export function parseIndustries(json: string): Industry[] {
  try {
    const v = JSON.parse(json) as Industry[];
    return Array.isArray(v)
      ? v
          .map((i) => ({
            scheme: (i.scheme ?? '').trim(),
            ...(i.code?.trim() ? { code: i.code.trim() } : {}),
            ...(i.label && Object.values(i.label).some((x) => x?.trim())
              ? {
                  label: Object.fromEntries(
                    Object.entries(i.label)
                      .filter(([, x]) => x?.trim())
                      .map(([k, x]) => [k, (x ?? '').trim()]),
                  ),
                }
              : {}),
          }))
          .filter((i) => i.scheme || i.code || i.label)
      : [];
  } catch {
    return [];
  }
}

export interface MergeResult {
  merged: FormState;
  /** Keys both people changed differently: the form keeps "mine", the panel offers "theirs". */
  conflicts: Array<{ key: string; mine: string; theirs: string }>;
}

/**
 * Three-way merge after a 412: base = what I loaded, mine = my form, theirs = what was saved meanwhile. A field
 * only one side changed takes that side; a field both changed differently is a conflict, and my text stays in
 * the form so nothing I typed is lost.
 */
export function threeWayMerge(base: FormState, mine: FormState, theirs: FormState): MergeResult {
  const merged: FormState = {};
  const conflicts: MergeResult['conflicts'] = [];
  for (const key of new Set([...Object.keys(base), ...Object.keys(mine), ...Object.keys(theirs)])) {
    const b = base[key] ?? '';
    const m = mine[key] ?? '';
    const th = theirs[key] ?? '';
    if (m === b) merged[key] = th;
    else if (th === b || th === m) merged[key] = m;
    else {
      merged[key] = m;
      conflicts.push({ key, mine: m, theirs: th });
    }
  }
  return { merged, conflicts };
}

export function changedKeys(a: FormState, b: FormState): string[] {
  return Object.keys({ ...a, ...b }).filter((k) => (a[k] ?? '') !== (b[k] ?? ''));
}

/** Checks a person can fix before sending (the API checks everything again). */
export function validateForm(f: FormState, isNew: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!LANGS.some((l) => f[`names.${l}`]?.trim())) errors.names = 'nameRequired';
  if (isNew && !/^[A-Za-z0-9][A-Za-z0-9._:&-]{0,127}$/.test(f.externalId.trim()))
    errors.externalId = 'must be 1–128 letters, digits or . _ : & -';
  if (f.website.trim() && !/^https?:\/\/\S+$/.test(f.website.trim()))
    errors.website = 'must be an http(s) URL';
  if (f.employees.trim() && !/^\d+$/.test(f.employees.trim())) errors.employees = 'must be a whole number';
  if (f.foundedYear.trim() && !/^(1[6-9]\d\d|20\d\d|2100)$/.test(f.foundedYear.trim()))
    errors.foundedYear = 'must be a year between 1600 and 2100';
  return errors;
}

/** Localized fields with some language filled and another empty: what "translate missing" can fill. */
export function missingTranslations(
  f: FormState,
): Array<{ key: string; to: Lang; from: Lang; text: string }> {
  const out: Array<{ key: string; to: Lang; from: Lang; text: string }> = [];
  for (const field of LOCALIZED_FIELDS) {
    for (const to of LANGS) {
      if (f[`${field}.${to}`]?.trim()) continue;
      // English is the most reliable pivot; otherwise the other Asian language.
      const from = (['en', 'ja', 'th'] as Lang[]).find((l) => l !== to && f[`${field}.${l}`]?.trim());
      if (from) out.push({ key: `${field}.${to}`, to, from, text: f[`${field}.${from}`] });
    }
  }
  return out;
}

/** The name to show for a profile in a UI language, falling back through the others. */
export function displayName(names: Localized<string>, lang: string): string {
  const order = [lang, 'en', 'ja', 'th'] as Lang[];
  for (const l of order) {
    const name = names[l];
    if (name) return name;
  }
  return '—';
}
