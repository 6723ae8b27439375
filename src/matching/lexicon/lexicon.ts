import { createHash } from 'node:crypto';
import type { Lang } from '../../companies/company-profile.schema';
import { BusinessReader } from '../taxonomy/business-reader';
import { BusinessTaxonomy } from '../taxonomy/business-taxonomy';
import { type Concept, type ConceptKind } from './concept';
import { type ConceptHit, ConceptMatcher } from './concept-matcher';

/**
 * The loaded lexicon: concepts by id, their ancestors, matchers, the business taxonomy their `business` maps point
 * into, and a version that changes with any of it (a new version re-indexes every profile).
 */
export class Lexicon {
  readonly version: string;
  /** Finds every concept but activities; `activityMatcher` finds activities, independently (see findActivities). */
  readonly matcher: ConceptMatcher;
  readonly activityMatcher: ConceptMatcher;
  private readonly byId: Map<string, Concept>;
  private readonly ancestorCache = new Map<string, ReadonlyMap<string, number>>();

  /** Reads kinds of business from profiles and requests with this lexicon. */
  readonly reader: BusinessReader;

  constructor(
    readonly concepts: readonly Concept[],
    readonly taxonomy: BusinessTaxonomy = new BusinessTaxonomy([]),
  ) {
    this.byId = new Map(concepts.map((c) => [c.id, c]));
    this.matcher = new ConceptMatcher(concepts.filter((c) => c.kind !== 'activity'));
    this.activityMatcher = new ConceptMatcher(concepts.filter((c) => c.kind === 'activity'));
    const canonical = JSON.stringify([...concepts].sort((a, b) => (a.id < b.id ? -1 : 1)));
    this.version = createHash('sha256')
      .update(canonical)
      .update(taxonomy.version)
      .update(String(BusinessReader.VERSION))
      .digest('hex')
      .slice(0, 16);
    this.reader = new BusinessReader(this, taxonomy);
  }

  get size(): number {
    return this.concepts.length;
  }

  get(id: string): Concept | undefined {
    return this.byId.get(id);
  }

  kindOf(id: string): ConceptKind | undefined {
    return this.byId.get(id)?.kind;
  }

  label(id: string, lang: Lang): string {
    const c = this.byId.get(id);
    return c ? c.labels[lang] : id;
  }

  /** The concept and every broader concept above it, with the number of steps up (0 = itself). */
  ancestors(id: string): ReadonlyMap<string, number> {
    const cached = this.ancestorCache.get(id);
    if (cached) return cached;
    const depth = new Map<string, number>([[id, 0]]);
    const queue = [id];
    while (queue.length > 0) {
      const current = queue.shift()!;
      for (const parent of this.byId.get(current)?.parents ?? []) {
        if (depth.has(parent) || !this.byId.has(parent)) continue;
        depth.set(parent, depth.get(current)! + 1);
        queue.push(parent);
      }
    }
    this.ancestorCache.set(id, depth);
    return depth;
  }

  /** Business concepts (industries, products, regions…) named in a text; activities are not among them. */
  find(text: string): ConceptHit[] {
    return this.matcher.find(text);
  }

  /**
   * Activity words (make, sell, install…) in a text, matched on their own: "自動車部品メーカー" is a product term
   * and also holds the activity メーカー, and "ผลิตภัณฑ์" (product) must not be read as "ผลิต" (make).
   */
  findActivities(text: string): ConceptHit[] {
    return this.activityMatcher.find(text);
  }

  /** Concepts whose `codes` name this classification code (e.g. JPX33 3700), for tagging by industry code. */
  byCode(scheme: string, code: string): Concept[] {
    const s = scheme.toUpperCase();
    return this.concepts.filter((c) =>
      Object.entries(c.codes ?? {}).some(([k, v]) => k.toUpperCase() === s && v === code),
    );
  }

  /** The concept for a partnership-type enum value (partnership.distributor for 'distributor'). */
  partnershipConcept(type: string): Concept | undefined {
    return this.concepts.find((c) => c.kind === 'partnership' && c.partnershipType === type);
  }
}
