import { z } from 'zod';
import { PARTNERSHIP_TYPES } from '../companies/company-profile.schema';

/**
 * What the bot remembers about a thread between turns, stored as JSON in chat_conversations.state. Parsed with a
 * schema on every load so an old or damaged row degrades to a fresh state instead of breaking the thread.
 */

export const searchFiltersSchema = z.object({
  partnershipType: z.enum(PARTNERSHIP_TYPES).optional(),
  /** A region concept id (region.bangkok) when the lexicon knows it, else the words the user used. */
  region: z.string().max(200).optional(),
  /** Words for the region when the lexicon does not know the place: added to the search text instead. */
  regionWords: z.string().max(200).optional(),
  country: z.enum(['JP', 'TH']).optional(),
});
export type SearchFilters = z.infer<typeof searchFiltersSchema>;

export const searchStateSchema = z.object({
  /** What the user asked for, as search text (the original request plus refinements in words). */
  text: z.string().max(2000),
  lang: z.enum(['ja', 'th', 'en']),
  filters: searchFiltersSchema.default({}),
  /** Results already shown (paging skips them). */
  shown: z.array(z.string()).max(500).default([]),
  hasMore: z.boolean().default(false),
});
export type SearchState = z.infer<typeof searchStateSchema>;

export const shownResultSchema = z.object({
  externalId: z.string(),
  /** Names in every language the profile has, so "the second one" or a name in any script finds it. */
  names: z.record(z.string(), z.string()),
});
export type ShownResult = z.infer<typeof shownResultSchema>;

export const pendingSchema = z.discriminatedUnion('kind', [
  /** A partner search lacks its subject: the next message says what (industry, products). */
  z.object({ kind: z.literal('search-subject'), filters: searchFiltersSchema.default({}) }),
  /** "Forget me" was asked: the next yes deletes the user's conversation data. */
  z.object({ kind: z.literal('confirm-forget') }),
  /** "Translate" without a text: the next message is the text. */
  z.object({ kind: z.literal('translate-text'), to: z.enum(['ja', 'th', 'en']).optional() }),
]);
export type Pending = z.infer<typeof pendingSchema>;

export const conversationStateSchema = z.object({
  search: searchStateSchema.optional(),
  /** The last page of results, numbered 1.. in the order shown. */
  lastResults: z.array(shownResultSchema).max(20).optional(),
  pending: pendingSchema.optional(),
});
export type ConversationState = z.infer<typeof conversationStateSchema>;

export function parseState(value: unknown): ConversationState {
  const parsed = conversationStateSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : {};
}
