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
    return { path: path || '(root)', message };
  });
}

/** Parses or throws a 400 problem listing every invalid field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationProblem(toFieldErrors(result.error));
  return result.data;
}
