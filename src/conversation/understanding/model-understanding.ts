import { z } from 'zod';
import { PARTNERSHIP_TYPES } from '../../companies/company-profile.schema';
import { COUNTRY_CONCEPTS } from '../../matching/lexicon/concept';
import type { Lexicon } from '../../matching/lexicon/lexicon';
import type { ConversationState } from '../conversation-state';
import type { CompanyRef, Intent, SearchSlots } from './intent';
import { normalizeForRules } from './rule-understanding';
import { placeIn } from './vocabulary';

/** The JSON the `chat-understand` prompt asks for. Lenient on nulls; anything unknown is dropped. */
export const modelUnderstandingSchema = z.object({
  intent: z.enum([
    'search',
    'refine',
    'more',
    'details',
    'introduce',
    'translate',
    'switch_language',
    'human',
    'help',
    'forget',
    'greeting',
    'unknown',
  ]),
  subject: z.string().max(300).nullish(),
  partnershipType: z.enum(PARTNERSHIP_TYPES).nullish().catch(null),
  region: z.string().max(100).nullish(),
  country: z.enum(['JP', 'TH']).nullish().catch(null),
  company: z.union([z.number().int(), z.string().max(200)]).nullish(),
  language: z.enum(['ja', 'th', 'en']).nullish().catch(null),
  text: z.string().max(5000).nullish(),
});
export type ModelUnderstanding = z.infer<typeof modelUnderstandingSchema>;

/** What the model is told about the thread (no message text of other people, no profile data). */
export function contextForModel(state: ConversationState): string {
  const parts: string[] = [];
  if (state.search) parts.push(`a partner search is active (${state.search.text.slice(0, 120)})`);
  if (state.lastResults?.length)
    parts.push(`${state.lastResults.length} companies are listed, numbered 1 to ${state.lastResults.length}`);
  if (state.pending?.kind === 'search-subject')
    parts.push('the bot asked which industry or products the partner should be in');
  return parts.length ? parts.join('; ') : 'nothing yet (new conversation)';
}

/** Turns the model's answer into an intent, resolving the region through the lexicon and the company by list. */
export function intentFromModel(
  value: ModelUnderstanding,
  state: ConversationState,
  lexicon: Lexicon,
): Intent {
  const slots = (): SearchSlots => {
    const out: SearchSlots = {};
    if (value.subject?.trim()) out.subject = value.subject.trim();
    if (value.partnershipType && value.partnershipType !== 'other')
      out.partnershipType = value.partnershipType;
    if (value.country) out.country = value.country;
    if (value.region?.trim()) {
      const region = lexicon
        .find(value.region)
        .find((h) => lexicon.kindOf(h.conceptId) === 'region' && !COUNTRY_CONCEPTS[h.conceptId]);
      if (region) out.region = region.conceptId;
      else {
        const place = placeIn(normalizeForRules(value.region));
        if (place) out.regionWords = place.id;
      }
    }
    return out;
  };
  const ref = (): CompanyRef | undefined => {
    if (typeof value.company === 'number') return { index: value.company };
    if (typeof value.company === 'string' && value.company.trim()) {
      const asNumber = Number(value.company);
      return Number.isInteger(asNumber) ? { index: asNumber } : { name: value.company.trim() };
    }
    return undefined;
  };
  switch (value.intent) {
    case 'search':
      return { kind: 'search', slots: slots() };
    case 'refine':
      return state.search ? { kind: 'refine', slots: slots() } : { kind: 'search', slots: slots() };
    case 'more':
      return { kind: 'more' };
    case 'details':
      return { kind: 'details', ref: ref() };
    case 'introduce':
      return { kind: 'introduce', ref: ref() };
    case 'translate':
      return { kind: 'translate', text: value.text ?? undefined, to: value.language ?? undefined };
    case 'switch_language':
      return { kind: 'switch-language', lang: value.language ?? undefined };
    case 'human':
      return { kind: 'human' };
    case 'help':
      return { kind: 'help' };
    case 'forget':
      return { kind: 'forget' };
    case 'greeting':
      return { kind: 'greeting' };
    default:
      return { kind: 'unknown' };
  }
}
