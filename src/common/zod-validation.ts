import type { z } from 'zod';
import { ValidationProblem, type FieldError } from './problem';

/** Turns zod issues into the API's `{path, message}` list; paths are dotted (`names.ja`, `offerings.th.2`). */
export function toFieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((issue) => {
    const segments = issue.path.map(String);
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      message = `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
    }
    const path = [prefix, ...segments].filter((s) => s !== '').join('.');
    return { path: path || '(root)', message, ...described(issue) };
  });
}

/** The issue's kind and figures, so a client can say it in its reader's language (see FieldError). */
function described(issue: z.core.$ZodIssue): Pick<FieldError, 'code' | 'params'> {
  switch (issue.code) {
    case 'invalid_type':
      // zod says "received undefined" for a field that is not there at all.
      return /received undefined$/.test(issue.message)
        ? { code: 'missing' }
        : { code: 'invalid_type', params: { expected: String(issue.expected) } };
    case 'too_small':
      return { code: 'too_small', params: { minimum: Number(issue.minimum), origin: String(issue.origin) } };
    case 'too_big':
      return { code: 'too_big', params: { maximum: Number(issue.maximum), origin: String(issue.origin) } };
    case 'invalid_value':
      return { code: 'invalid_value', params: { values: issue.values.map(String) } };
    case 'unrecognized_keys':
      return { code: 'unrecognized_keys', params: { keys: issue.keys } };
    case 'invalid_format':
      return { code: 'invalid_format', params: { format: String(issue.format) } };
    case 'custom': {
      // A refinement names its own kind and figures: `params: { code: 'weak_password', reason: 'common' }`.
      const { code, ...params } = (issue.params ?? {}) as Record<string, string | number | string[]>;
      return typeof code === 'string' ? { code, params } : {};
    }
    default:
      return {};
  }
}

/** Parses or throws a 400 problem listing every invalid field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationProblem(toFieldErrors(result.error));
  return result.data;
}
