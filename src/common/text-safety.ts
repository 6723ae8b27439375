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

/**
 * Where in a parsed JSON value (a dotted path) the first string PostgreSQL cannot store is, if any. Walked with a
 * stack, not recursion: a small body can nest hundreds of thousands of levels.
 */
export function unstorableTextAt(value: unknown): string | undefined {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (!isStorableText(v)) return path || '(root)';
    } else if (v !== null && typeof v === 'object') {
      const entries: Array<[string, unknown]> = Array.isArray(v)
        ? v.map((x: unknown, i) => [String(i), x])
        : Object.entries(v);
      // Reversed onto the stack, so the first problem in document order is the one reported.
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i];
        if (!isStorableText(k)) return path || '(key)';
        stack.push([child, path ? `${path}.${k}` : k]);
      }
    }
  }
  return undefined;
}

/** A parsed JSON value with every string (and key) made storable (see `storableText`); for bounded depths. */
export function withStorableText<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => withStorableText(v)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [storableText(k), withStorableText(v)]),
    ) as T;
  return value;
}
