import { createHash } from 'node:crypto';
import type { Lang } from '../../companies/company-profile.schema';
import { type Concept, type ConceptKind } from './concept';
import { type ConceptHit, ConceptMatcher } from './concept-matcher';

/** The loaded lexicon: concepts by id, their ancestors, a matcher, and a version that changes with content. */
export class Lexicon {
  readonly version: string;
  readonly matcher: ConceptMatcher;
  private readonly byId: Map<string, Concept>;
  private readonly ancestorCache = new Map<string, ReadonlyMap<string, number>>();

  constructor(readonly concepts: readonly Concept[]) {
    this.byId = new Map(concepts.map((c) => [c.id, c]));
    this.matcher = new ConceptMatcher(concepts);
    const canonical = JSON.stringify([...concepts].sort((a, b) => (a.id < b.id ? -1 : 1)));
    this.version = createHash('sha256').update(canonical).digest('hex').slice(0, 16);
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

  find(text: string): ConceptHit[] {
    return this.matcher.find(text);
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
