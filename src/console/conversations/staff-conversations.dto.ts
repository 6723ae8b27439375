import { z } from 'zod';

const lang = z.enum(['ja', 'th', 'en']);
const ACTIVE_WITHIN: Record<string, number> = {
  '1h': 60,
  '24h': 24 * 60,
  '7d': 7 * 24 * 60,
  '30d': 30 * 24 * 60,
};

export const conversationListQuery = z
  .strictObject({
    channel: z.enum(['line', 'web']).optional(),
    lang: lang.optional(),
    queue: z.enum(['all', 'needs-staff', 'staff']).default('all'),
    active: z.enum(['1h', '24h', '7d', '30d']).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .transform((q) => ({
    channel: q.channel,
    lang: q.lang,
    queue: q.queue,
    activeWithinMinutes: q.active ? ACTIVE_WITHIN[q.active] : undefined,
    limit: q.limit,
    offset: (q.page - 1) * q.limit,
    page: q.page,
  }));

export const conversationViewQuery = z.strictObject({
  after: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional(),
});

export const translateMessageBody = z.strictObject({ to: lang });

export const staffReplyBody = z.strictObject({
  text: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'),
  lang,
  translate: z.boolean().default(true),
});
