import type { z } from 'zod';

/**
 * Reading a JSON answer from a model that was asked for one. Local models often wrap it in a code fence, add a
 * sentence around it, or leave a trailing comma; those are repaired here. What still does not match the schema
 * is reported so the caller can ask once more, naming the problems.
 */
export type ParseOutcome<T> = { ok: true; value: T; repaired: boolean } | { ok: false; problems: string[] };

export function parseStructured<S extends z.ZodType>(text: string, schema: S): ParseOutcome<z.infer<S>> {
  const direct = tryJson(text.trim());
  if (direct.ok) return validate(direct.value, schema, false);
  const repairedText = repairJson(text);
  const repaired = repairedText === undefined ? { ok: false as const } : tryJson(repairedText);
  if (!repaired.ok) return { ok: false, problems: ['the answer is not a JSON object'] };
  return validate(repaired.value, schema, true);
}

function validate<S extends z.ZodType>(
  value: unknown,
  schema: S,
  repaired: boolean,
): ParseOutcome<z.infer<S>> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data, repaired };
  return {
    ok: false,
    problems: result.error.issues
      .slice(0, 10)
      .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`),
  };
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Best-effort cleanup: code fences, prose around the object, trailing commas, smart quotes. */
export function repairJson(text: string): string | undefined {
  let t = text.trim();
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(t);
  if (fence) t = fence[1].trim();
  const start = t.indexOf('{');
  const end = t.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  t = t.slice(start, end + 1);
  t = t.replace(/[\u201c\u201d]/g, '"').replace(/,\s*([}\]])/g, '$1');
  return t;
}
