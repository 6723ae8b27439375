import type { ReadBusiness } from './business-reader';
import type { BusinessTaxonomy } from './business-taxonomy';
import type { BusinessPosting } from './profile-businesses';

/**
 * One lookup of the business arm: postings of `code`, scored `rel` × the profile's weight for the code or
 * anything below it, or (`own`) for the code itself only.
 */
export interface BusinessLookup {
  code: string;
  rel: number;
  own: boolean;
}

/**
 * A profile filed only under a broader code than the one asked for ("makes vehicles and parts" for a request for
 * auto parts) may well be of the business asked: the broader, the less surely.
 */
const BROADER_PROFILE: Record<number, number> = { 1: 0.25, 2: 0.6, 3: 0.7, 4: 0.8 };
/**
 * A profile of a neighbouring business (same group, same division) is not of the business asked, but is the
 * nearest thing when too few are: it ranks below every firm of the business asked.
 */
const NEIGHBOUR: Record<number, number> = { 2: 0.25, 3: 0.4, 4: 0.5 };

const level = (code: string) => (/^[A-U]$/.test(code) ? 1 : code.length);

/**
 * The lookups for the businesses a request names: `near` finds the firms of those businesses (the codes and
 * everything below them, and firms filed only under a broader code), `far` their neighbours. The arm reads `far`
 * only when `near` leaves the page short.
 */
export function businessLookups(
  requested: readonly Pick<ReadBusiness, 'code' | 'weight'>[],
  taxonomy: BusinessTaxonomy,
): { near: BusinessLookup[]; far: BusinessLookup[] } {
  const near = new Map<string, BusinessLookup>();
  const far = new Map<string, BusinessLookup>();
  const put = (into: Map<string, BusinessLookup>, l: BusinessLookup) => {
    const key = `${l.code}|${l.own}`;
    if ((into.get(key)?.rel ?? 0) < l.rel) into.set(key, l);
  };
  for (const r of requested) {
    put(near, { code: r.code, rel: r.weight, own: false });
    for (const ancestor of taxonomy.lineage(r.code).slice(1)) {
      put(near, { code: ancestor, rel: r.weight * (BROADER_PROFILE[level(ancestor)] ?? 0), own: true });
      const neighbour = NEIGHBOUR[level(ancestor)];
      if (neighbour) put(far, { code: ancestor, rel: r.weight * neighbour, own: false });
    }
  }
  return { near: [...near.values()], far: [...far.values()] };
}

/** The business score of one profile for these lookups (the same sum the SQL arm computes). */
export function businessScore(
  lookups: readonly BusinessLookup[],
  postings: readonly BusinessPosting[],
): number {
  let best = 0;
  for (const l of lookups) {
    const p = postings.find((x) => x.c === l.code);
    if (!p) continue;
    best = Math.max(best, l.rel * (l.own ? p.xw : p.w));
  }
  return best;
}

/**
 * Business scores are compared in steps: firms within a step are equally of the business asked, and the rest of
 * the request (how, where, the products named) orders them. A request's "how" can thus never lift a firm of
 * another business above one of the business asked.
 */
export const BUSINESS_STEP = 0.05;
export const businessTier = (score: number): number => Math.round(score / BUSINESS_STEP);
