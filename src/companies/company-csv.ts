import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { FieldError } from '../common/problem';
import type { CompanyProfileInput } from './company-profile.schema';
import { LANGS } from './company-profile.schema';

/**
 * CSV form of the interchange format, for staff who keep lists in spreadsheets.
 * - Localized text: one column per language, `names.ja`, `names.th`, `names.en`, `summary.ja`, …
 * - Localized lists (`offerings.*`, `seeking.*`): items separated by ` | ` (a literal `|` is written `\|`).
 * - `partnershipTypes`, `certifications`, `languages`: separated by ` | ` too.
 * - `industries`: `SCHEME:CODE` or `SCHEME:CODE=label` items separated by ` | `; labels in several
 *   languages are written `SET:=ja:…;th:…;en:…`. Exporting and importing gives back identical data.
 * - `contact.person`, `contact.email`, `contact.phone`, `contact.lineId`: private contact fields.
 * Empty cells mean "absent". The first row holds the headers; unknown headers are rejected.
 */

const TEXT_FIELDS = ['names', 'summary', 'description', 'location'] as const;
const LIST_FIELDS = ['offerings', 'seeking'] as const;
const CONTACT_FIELDS = ['person', 'email', 'phone', 'lineId'] as const;

export const CSV_COLUMNS: string[] = [
  'externalId',
  'country',
  'status',
  ...TEXT_FIELDS.flatMap((f) => LANGS.map((l) => `${f}.${l}`)),
  'industries',
  ...LIST_FIELDS.flatMap((f) => LANGS.map((l) => `${f}.${l}`)),
  'partnershipTypes',
  'employees',
  'foundedYear',
  'website',
  'certifications',
  'languages',
  ...CONTACT_FIELDS.map((f) => `contact.${f}`),
];
const KNOWN = new Set(CSV_COLUMNS);

const SEP = ' | ';
const joinList = (items: readonly string[]): string => items.map((i) => i.replace(/\|/g, '\\|')).join(SEP);
export const splitList = (cell: string): string[] =>
  cell
    .split(/(?<!\\)\|/)
    .map((s) => s.replace(/\\\|/g, '|').trim())
    .filter((s) => s !== '');

function encodeIndustries(industries: CompanyProfileInput['industries']): string {
  return joinList(
    (industries ?? []).map((i) => {
      const head = `${i.scheme}:${i.code ?? ''}`;
      if (!i.label) return head;
      const langs = LANGS.filter((l) => i.label?.[l]);
      // A single-language label keeps the readable `=label` form; several languages name each one.
      if (langs.length === 1 && langs[0] === 'en') return `${head}=${i.label.en}`;
      return `${head}=${langs.map((l) => `${l}:${i.label?.[l]?.replace(/;/g, '\\;')}`).join(';')}`;
    }),
  );
}

function decodeIndustries(
  cell: string,
  row: number,
  errors: FieldError[],
): CompanyProfileInput['industries'] {
  return splitList(cell).map((item, idx) => {
    const m = /^([^:=]+):([^=]*)(?:=(.*))?$/.exec(item);
    if (!m) {
      errors.push({
        path: `industries.${idx}`,
        message: `row ${row}: expected SCHEME:CODE or SCHEME:CODE=label, got "${item}"`,
        code: 'industry_format',
        params: { value: item },
      });
      return { scheme: item };
    }
    const [, scheme, code, labelPart] = m;
    const industry: NonNullable<CompanyProfileInput['industries']>[number] = { scheme: scheme.trim() };
    if (code.trim()) industry.code = code.trim();
    if (labelPart !== undefined && labelPart.trim() !== '') {
      const parts = labelPart.split(/(?<!\\);/).map((s) => s.replace(/\\;/g, ';'));
      const tagged = parts.every((p) => /^(ja|th|en):/.test(p));
      industry.label = tagged
        ? Object.fromEntries(parts.map((p) => [p.slice(0, 2), p.slice(3).trim()]))
        : { en: labelPart.trim() };
    }
    return industry;
  });
}

export function profilesToCsv(profiles: CompanyProfileInput[]): string {
  const records = profiles.map((p) => {
    const rec: Record<string, string> = {};
    rec.externalId = p.externalId;
    rec.country = p.country;
    rec.status = p.status ?? '';
    for (const f of TEXT_FIELDS) for (const l of LANGS) rec[`${f}.${l}`] = p[f]?.[l] ?? '';
    rec.industries = encodeIndustries(p.industries);
    for (const f of LIST_FIELDS) for (const l of LANGS) rec[`${f}.${l}`] = joinList(p[f]?.[l] ?? []);
    rec.partnershipTypes = joinList(p.partnershipTypes ?? []);
    rec.employees = p.employees?.toString() ?? '';
    rec.foundedYear = p.foundedYear?.toString() ?? '';
    rec.website = p.website ?? '';
    rec.certifications = joinList(p.certifications ?? []);
    rec.languages = joinList(p.languages ?? []);
    for (const f of CONTACT_FIELDS) rec[`contact.${f}`] = p.contact?.[f] ?? '';
    for (const [k, v] of Object.entries(rec)) rec[k] = neutraliseFormula(v);
    return rec;
  });
  return stringify(records, { header: true, columns: CSV_COLUMNS });
}

/**
 * A cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+cmd|…`, `-`, `@`, or a leading tab or carriage
 * return: OWASP's CSV injection list) is written with a leading apostrophe, which spreadsheets show as text.
 * Import removes exactly one such apostrophe, so export and import still give back identical data (a value that
 * itself began with apostrophes before a formula character gains one more on export).
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}
function restoreFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell) ? cell.slice(1) : cell;
}

export interface CsvParseResult {
  /** Objects in interchange shape (not yet validated), with their 1-based data row number and the file line it starts on. */
  rows: Array<{ row: number; line: number; value: Record<string, unknown>; errors: FieldError[] }>;
  /** A problem with the file as a whole (no header, unknown columns, broken quoting). */
  fileErrors: FieldError[];
}

const asInteger = (cell: string, path: string, row: number, errors: FieldError[]): number | string => {
  if (!/^-?\d+$/.test(cell)) {
    errors.push({
      path,
      message: `row ${row}: must be a whole number, got "${cell}"`,
      code: 'not_integer',
      params: { value: cell },
    });
    return cell;
  }
  return Number(cell);
};

export function csvToProfiles(text: string): CsvParseResult {
  let records: string[][];
  let lines: number[];
  try {
    const parsed = parse(text.replace(/^\uFEFF/, ''), {
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
    records = parsed.map((p) => p.record);
    // The line each record starts on: the parser counts to its end, less the line breaks inside its cells.
    lines = parsed.map(
      (p) => p.info.lines - p.record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0),
    );
  } catch (err) {
    return {
      rows: [],
      fileErrors: [{ path: '(file)', message: `not valid CSV: ${(err as Error).message}` }],
    };
  }
  if (records.length === 0)
    return { rows: [], fileErrors: [{ path: '(file)', message: 'the file is empty' }] };
  const header = records[0].map((h) => h.trim());
  const unknown = header.filter((h) => !KNOWN.has(h));
  const fileErrors: FieldError[] = unknown.map((h) => ({ path: h, message: `unknown column "${h}"` }));
  for (const required of ['externalId', 'country']) {
    if (!header.includes(required))
      fileErrors.push({ path: required, message: `missing required column "${required}"` });
  }
  if (fileErrors.length > 0) return { rows: [], fileErrors };

  const rows = records.slice(1).map((cells, i) => {
    const row = i + 1;
    const errors: FieldError[] = [];
    if (cells.length > header.length) {
      errors.push({
        path: '(row)',
        message: `row ${row}: ${cells.length} cells but only ${header.length} columns`,
        code: 'extra_cells',
        params: { cells: cells.length, columns: header.length },
      });
    }
    const value: Record<string, unknown> = {};
    const setPath = (path: string, v: unknown) => {
      const [head, tail] = path.split('.', 2);
      if (tail === undefined) value[head] = v;
      else ((value[head] ??= {}) as Record<string, unknown>)[tail] = v;
    };
    header.forEach((col, idx) => {
      const cell = restoreFormula((cells[idx] ?? '').trim());
      if (cell === '') return;
      if (col === 'industries') value.industries = decodeIndustries(cell, row, errors);
      else if (['partnershipTypes', 'certifications', 'languages'].includes(col))
        value[col] = splitList(cell);
      else if (col === 'employees' || col === 'foundedYear') value[col] = asInteger(cell, col, row, errors);
      else if (LIST_FIELDS.some((f) => col.startsWith(`${f}.`))) setPath(col, splitList(cell));
      else setPath(col, cell);
    });
    return { row, line: lines[i + 1], value, errors };
  });
  return { rows, fileErrors: [] };
}
