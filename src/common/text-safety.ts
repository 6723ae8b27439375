/**
 * Text that PostgreSQL cannot store: the NUL character (refused in text and jsonb) and UTF-16 halves without
 * their other half (lone surrogates, which are not Unicode and break the UTF-8 conversion). Both reach us only
 * from broken or hostile clients.
 */
// eslint-disable-next-line no-control-regex
const NUL = /\u0000/g;
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function hasLoneSurrogate(text: string): boolean {
  LONE_SURROGATES.lastIndex = 0;
  return LONE_SURROGATES.test(text);
}

export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !hasLoneSurrogate(text);
}

/** The text without NUL characters, each lone surrogate replaced by U+FFFD (chat messages: keep what can be). */
export function storableText(text: string): string {
  return isStorableText(text) ? text : text.replace(NUL, '').replace(LONE_SURROGATES, '\uFFFD');
}

/** Where in a parsed JSON value (a dotted path) the first string PostgreSQL cannot store is, if any. */
export function unstorableTextAt(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return isStorableText(value) ? undefined : path || '(root)';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorableTextAt(value[i], path ? `${path}.${i}` : String(i));
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const key = isStorableText(k) ? k : '(key)';
      const found = isStorableText(k) ? unstorableTextAt(v, path ? `${path}.${k}` : k) : path || key;
      if (found) return found;
    }
  }
  return undefined;
}

/** A parsed JSON value with every string (and key) made storable (see `storableText`). */
export function withStorableText<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => withStorableText(v)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [storableText(k), withStorableText(v)]),
    ) as T;
  return value;
}
