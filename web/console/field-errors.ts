import { type MessageKey, hasMessage, t } from './i18n';

/** A validation problem as the API reports it (src/common/problem.ts FieldError). */
export interface FieldError {
  path: string;
  message: string;
  code?: string;
  params?: Record<string, string | number | string[]>;
}

/** The field a path points into, by the name the profile form gives it ("names.ja" → "Company name (ja)"). */
export function fieldName(path: string): string {
  const [head, ...rest] = path.split('.');
  const key = `field.${head}`;
  if (!hasMessage(key)) return path;
  const name = t(key);
  const lang = rest.find((s) => s === 'ja' || s === 'th' || s === 'en');
  return lang ? `${name} (${lang})` : name;
}

const list = (v: string | number | string[] | undefined) =>
  Array.isArray(v) ? v.join(', ') : String(v ?? '');

/**
 * A problem as a plain sentence in the UI language. Where the API gave no code (or one this console does not
 * know), its own English message is shown.
 */
export function describeFieldError(
  e: FieldError,
  where: (p: { row: number; line?: number }) => string,
): string {
  const field = fieldName(e.path);
  const p = e.params ?? {};
  switch (e.code) {
    case 'missing':
    case 'invalid_type':
    case 'unrecognized_keys':
    case 'invalid_format':
    case 'not_integer':
    case 'industry_format':
    case 'extra_cells':
      return t(`err.${e.code}`, {
        field,
        keys: list(p.keys),
        format: list(p.format),
        value: list(p.value),
        cells: list(p.cells),
        columns: list(p.columns),
      });
    case 'too_small':
    case 'too_big': {
      const n = Number(p[e.code === 'too_small' ? 'minimum' : 'maximum']);
      // A string's minimum of one is "must not be empty"; a longer one (a password's 12) is a length.
      const key =
        p.origin !== 'string'
          ? `err.${e.code}`
          : e.code === 'too_small' && n > 1
            ? 'err.too_short'
            : `err.${e.code}.string`;
      return t(key as MessageKey, { field, n });
    }
    case 'invalid_value':
      return t('err.invalid_value', { field, values: list(p.values) });
    case 'weak_password': {
      const key = `err.weak_password.${String(p.reason)}`;
      return hasMessage(key) ? t(key) : e.message;
    }
    case 'duplicate':
      return t('err.duplicate', { where: where({ row: Number(p.row), line: p.line as number | undefined }) });
    default:
      return e.message;
  }
}
