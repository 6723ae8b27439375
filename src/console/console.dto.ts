import { z } from 'zod';
import { ROLES } from '../auth/principal';
import { ValidationProblem } from '../common/problem';
import { STAFF_ROLES, UI_LANGS } from './console.types';
import { MIN_PASSWORD_LENGTH } from './password-hasher';
import { passwordWeaknessOf, weaknessMessage } from './password-policy';

const password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(200, 'must be at most 200 characters')
  .superRefine((value, ctx) => {
    const reason = passwordWeaknessOf(value);
    if (reason)
      ctx.addIssue({
        code: 'custom',
        message: weaknessMessage(reason),
        params: { code: 'weak_password', reason },
      });
  });

export const signInBody = z.strictObject({
  email: z.string().min(3).max(320),
  // Any length is checked at sign-in (only creation enforces the policy), capped to bound hashing work.
  password: z.string().min(1).max(200),
});

export const preferencesBody = z.strictObject({ uiLang: z.enum(UI_LANGS) });

export const newStaffBody = z.strictObject({
  email: z.email('must be an e-mail address').max(320),
  displayName: z.string().max(200).optional().default(''),
  role: z.enum(STAFF_ROLES),
  password,
});

export const staffUpdateBody = z
  .strictObject({
    displayName: z.string().min(1).max(200).optional(),
    role: z.enum(STAFF_ROLES).optional(),
    disabled: z.boolean().optional(),
    password: password.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });

export const newTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role: z.enum(ROLES),
});

export const uuidParam = z.uuid('must be an id from this API');

export const auditQuery = z.strictObject({
  entityType: z
    .enum([
      'company',
      'glossary',
      'staff',
      'api_token',
      'chat_user',
      'introduction',
      'room',
      'conversation',
      'registration',
    ])
    .optional(),
  entityId: z.string().min(1).max(200).optional(),
  actor: z.string().min(1).max(400).optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional().default(50),
});

export const reviewBody = z.strictObject({
  approve: z.array(z.string().max(40)).max(30).optional().default([]),
  markMachineTranslated: z.array(z.string().max(40)).max(30).optional().default([]),
});

/** `If-Match: "3"` → 3; absent or `*` → undefined. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(header);
  if (!m) throw new ValidationProblem([{ path: 'If-Match', message: 'expected a quoted version number' }]);
  return Number(m[1]);
}
