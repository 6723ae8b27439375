import type { Lang, PartnershipType } from '../../companies/company-profile.schema';

/** A reference to a company the user saw: by id (buttons), position in the last list, or name. */
export type CompanyRef = { externalId: string } | { index: number } | { name: string };

/** Slots of a partner search, as understood from one message. */
export interface SearchSlots {
  /** Words naming what the partner should make, offer or need (the subject of the search). */
  subject?: string;
  partnershipType?: PartnershipType;
  /** "Any type": drop the partnership filter. */
  anyPartnership?: boolean;
  /** A region concept id or the place words the user wrote. */
  region?: string;
  regionWords?: string;
  country?: 'JP' | 'TH';
}

/** What the user wants from this turn. Produced by the rules, or by the model and checked. */
export type Intent =
  | { kind: 'greeting' }
  | { kind: 'help' }
  | { kind: 'switch-language'; lang?: Lang }
  | { kind: 'human' }
  | { kind: 'forget' }
  | { kind: 'forget-confirm' }
  | { kind: 'forget-cancel' }
  | { kind: 'more' }
  | { kind: 'new-search' }
  | { kind: 'details'; ref?: CompanyRef }
  | { kind: 'introduce'; ref?: CompanyRef }
  | { kind: 'translate'; text?: string; to?: Lang }
  | { kind: 'refine'; slots: SearchSlots }
  | { kind: 'search'; slots: SearchSlots }
  | { kind: 'unknown' };

export type IntentKind = Intent['kind'];
