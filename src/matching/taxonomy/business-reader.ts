import { type BusinessActivity, BUSINESS_ACTIVITIES } from '../lexicon/concept';
import { type ConceptHit, matchForm } from '../lexicon/concept-matcher';
import type { Lexicon } from '../lexicon/lexicon';
import type { BusinessTaxonomy } from './business-taxonomy';

/** One kind of business read from a text, with the words it was read from. */
export interface ReadBusiness {
  code: string;
  /** How surely the text names this business: 1 for the first thing a firm says it does, less for later ones. */
  weight: number;
  /** The product or industry concept, and the activity word, it was read from. */
  conceptId: string;
  activity?: BusinessActivity;
  /** The words as they appear in the (normalised) text. */
  terms: string[];
}

export interface BusinessReading {
  /** Strongest first; one entry per code. */
  businesses: ReadBusiness[];
  /** Activities named, in order of first mention. */
  activities: BusinessActivity[];
}

/**
 * Related activities, tried in order when a concept names no business for the activity asked: a firm that
 * "sells" auto parts is filed as their wholesaler, an "installer" of air conditioners as the contractor.
 */
const FALLBACK: Record<BusinessActivity, BusinessActivity[]> = {
  make: [],
  wholesale: ['sell', 'retail'],
  retail: ['sell', 'wholesale'],
  sell: ['wholesale', 'retail'],
  repair: ['install', 'service'],
  install: ['construct', 'service', 'repair'],
  construct: ['install', 'service'],
  rent: ['service'],
  transport: ['service'],
  design: ['consult', 'service'],
  consult: ['design', 'service'],
  service: [],
  develop: ['make', 'service'],
  grow: ['make'],
  any: [],
};

// How much each later thing a firm names counts next to the first: registrars file a firm under what it says
// first ("ผลิตและจำหน่ายเครื่องสำอาง อาหารเสริม" is a cosmetics maker).
const LATER_TOPIC_DECAY = 0.3;
const LATER_ACTIVITY_WEIGHTS = [1, 0.8, 0.65, 0.55];
/** A request's broader code beside a narrower one it also names counts this much (the narrower comes first). */
const BROADER_IN_REQUEST = 0.7;
/** Between two product words of a request: the first qualifies the second (Japanese の, English adjacency). */
const JOINS_MODIFIER_TO_HEAD = new Set(['の', ' ']);
/** Between coordinated product words ("AやB", "A、B", "A and B"). */
const COORDINATION = new Set([
  'や',
  '、',
  '・',
  'と',
  ',',
  ', ',
  ' and ',
  ', and ',
  ' or ',
  '及び',
  'および',
]);
/** A product named with no activity at all ("ชิ้นส่วนรถยนต์"): any of its businesses, none of them surely. */
const UNSPECIFIED_ACTIVITY_WEIGHT = 0.4;

const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
const ACTIVITY_KEYS = new Set<string>(BUSINESS_ACTIVITIES);
/** The function-word concept for "parts" (ชิ้นส่วน, 部品, parts), matched with the activity words. */
const PARTS_WORDS = 'activity.parts';
/** How far (in characters) a parts word may stand before the product it is about: "ชิ้นส่วน และส่วนประกอบของ". */
const PARTS_GAP = 12;

interface Mention {
  hit: ConceptHit;
  /** The concept meant: the hit's, or the concept for its parts ("parts of cars" → auto parts). */
  conceptId: string;
  /** Activity mentions: the activity; topic mentions: undefined. */
  activity?: BusinessActivity;
  /** An activity word that governs the products before it (Japanese 製造, English "makers"). */
  postfix: boolean;
}

/**
 * Reads the kinds of business a text names, as taxonomy codes: a product or industry concept combined with the
 * activity that governs it ("ผลิต … ชิ้นส่วนยานยนต์" → make × auto parts → 2930), or a concept that is a business
 * by itself ("โรงแรม" → 5510). Profiles and requests go through the same reader, so the two meet on the same
 * codes whatever language each is written in.
 */
export class BusinessReader {
  /** Bumped when the reading rules change, so every profile is read again (it is part of the lexicon version). */
  static readonly VERSION = 1;
  private readonly resolved = new Map<string, string[] | null>();

  constructor(
    private readonly lexicon: Lexicon,
    private readonly taxonomy: BusinessTaxonomy,
  ) {}

  /**
   * `profile`: the firm's own description, read in order (what comes first counts most, each activity governs
   * the products next to it). `request`: a short request, where every activity named applies to every product
   * ("プラスチック製品や樹脂成形品のメーカー").
   */
  read(text: string, style: 'profile' | 'request'): BusinessReading {
    const mentions = this.mentions(text);
    const activities = [
      ...new Set(mentions.flatMap((m) => (m.activity && m.activity !== 'any' ? [m.activity] : []))),
    ];
    // What each topic (and, with no topic, each activity) names, before a request's refinements.
    const readings = new Map<Mention, ReadBusiness[]>();
    const add = (
      m: Mention,
      codes: string[],
      weight: number,
      activity: BusinessActivity | undefined,
      terms: string[],
    ) => {
      const list = readings.get(m) ?? [];
      for (const code of codes)
        list.push({ code, weight, conceptId: m.conceptId, activity, terms: [...new Set(terms)] });
      readings.set(m, list);
    };

    const topics = mentions.filter((m) => !m.activity);
    const topicOrder = new Map<string, number>();
    for (const t of topics) if (!topicOrder.has(t.conceptId)) topicOrder.set(t.conceptId, topicOrder.size);

    for (const t of topics) {
      const conceptId = t.conceptId;
      const topicWeight = style === 'request' ? 1 : 1 / (1 + LATER_TOPIC_DECAY * topicOrder.get(conceptId)!);
      const governing =
        style === 'request' ? mentions.filter((m) => m.activity) : this.governing(mentions, t);
      const own = this.codesFor(conceptId, 'any');
      if (governing.length === 0) {
        if (own) add(t, own, topicWeight, undefined, [t.hit.term]);
        else
          for (const [activity, codes] of this.allCodes(conceptId))
            add(t, codes, topicWeight * UNSPECIFIED_ACTIVITY_WEIGHT, activity, [t.hit.term]);
        continue;
      }
      let matched = false;
      governing.forEach((a, j) => {
        const codes = this.codesFor(conceptId, a.activity!);
        if (!codes) return;
        matched = true;
        const activityWeight =
          style === 'request' ? 1 : LATER_ACTIVITY_WEIGHTS[Math.min(j, LATER_ACTIVITY_WEIGHTS.length - 1)];
        add(t, codes, topicWeight * activityWeight, a.activity, [a.hit.term, t.hit.term]);
      });
      // "โรงแรม" after "ประกอบกิจการบริการ": the activity named no business of its own for it.
      if (!matched && own) add(t, own, topicWeight, undefined, [t.hit.term]);
    }

    // An activity with no product at all ("รับเหมาก่อสร้าง", "ขนส่ง"): the activity's own business, if it has one.
    if (topics.length === 0) {
      mentions.forEach((m, j) => {
        if (!m.activity) return;
        const codes = this.codesFor(m.conceptId, 'any');
        const weight =
          style === 'request' ? 1 : LATER_ACTIVITY_WEIGHTS[Math.min(j, LATER_ACTIVITY_WEIGHTS.length - 1)];
        if (codes) add(m, codes, weight, m.activity, [m.hit.term]);
      });
    }

    if (style === 'request') this.refineRequest(text, topics, readings);
    const found = new Map<string, ReadBusiness>();
    for (const list of readings.values()) {
      for (const b of list) {
        const current = found.get(b.code);
        if (!current || current.weight < b.weight) found.set(b.code, b);
      }
    }
    if (style === 'request') {
      // "自動車・自動車部品" names auto parts and, more broadly, vehicles: the broader code counts, after the
      // narrower one ("金属製品" beside "切削加工" adds every metal-products maker, behind the machinists).
      for (const b of found.values()) {
        if ([...found.keys()].some((code) => code !== b.code && this.taxonomy.isWithin(code, b.code)))
          found.set(b.code, { ...b, weight: b.weight * BROADER_IN_REQUEST });
      }
    }
    const businesses = [...found.values()].sort(
      (a, b) => b.weight - a.weight || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
    );
    return { businesses, activities };
  }

  /**
   * In a request, a product that only qualifies another ("金属の切削加工" metal's machining, "welding of metal
   * parts", "太陽光やバイオマスの発電事業") names no business of its own: it narrows the head's business when it lies
   * within it (solar → solar power generation) and is dropped otherwise (metal → basic metals).
   */
  private refineRequest(text: string, topics: Mention[], readings: Map<Mention, ReadBusiness[]>): void {
    const form = matchForm(text);
    const ordered = [...topics].sort((a, b) => a.hit.start - b.hit.start);
    const gap = (a: Mention, b: Mention) =>
      b.hit.start >= a.hit.end ? form.slice(a.hit.end, b.hit.start) : undefined;
    const modifiers = new Map<Mention, Mention[]>();
    const modifies = (modifier: Mention, head: Mention) =>
      modifiers.set(modifier, [...(modifiers.get(modifier) ?? []), head]);
    for (let i = 1; i < ordered.length; i++) {
      const between = gap(ordered[i - 1], ordered[i]);
      if (between === undefined) continue;
      if (JOINS_MODIFIER_TO_HEAD.has(between)) {
        // "X や Y の Z": X and Y both qualify Z.
        modifies(ordered[i - 1], ordered[i]);
        for (let k = i - 2; k >= 0 && COORDINATION.has(gap(ordered[k], ordered[k + 1]) ?? '-'); k--)
          modifies(ordered[k], ordered[i]);
      } else if (between === ' of ') {
        // "machining, turning and welding of metal parts": the parts qualify each process.
        modifies(ordered[i], ordered[i - 1]);
        for (let k = i - 2; k >= 0 && COORDINATION.has(gap(ordered[k], ordered[k + 1]) ?? '-'); k--)
          modifies(ordered[i], ordered[k]);
      }
    }
    for (const [modifier, heads] of modifiers) {
      const headCodes = heads.flatMap((h) => (readings.get(h) ?? []).map((b) => b.code));
      if (headCodes.length === 0) continue;
      readings.set(
        modifier,
        (readings.get(modifier) ?? []).filter((b) =>
          headCodes.some((h) => this.taxonomy.isWithin(b.code, h)),
        ),
      );
    }
  }

  /**
   * The business codes a concept names for an activity: its own, a related activity's (FALLBACK), or else those of
   * its nearest ancestors (all ancestors at that distance: a SET sector under both chemicals and petrochemicals).
   */
  codesFor(conceptId: string, activity: BusinessActivity): string[] | undefined {
    const key = `${conceptId}|${activity}`;
    if (this.resolved.has(key)) return this.resolved.get(key) ?? undefined;
    const tried = [activity, ...FALLBACK[activity]];
    const byDepth = new Map<number, string[]>();
    for (const [id, depth] of this.lexicon.ancestors(conceptId))
      byDepth.set(depth, [...(byDepth.get(depth) ?? []), id]);
    let result: string[] = [];
    for (const depth of [...byDepth.keys()].sort((a, b) => a - b)) {
      for (const a of tried) {
        for (const id of byDepth.get(depth)!) {
          const codes = this.lexicon.get(id)?.business?.[a];
          if (codes)
            result.push(...(Array.isArray(codes) ? codes : [codes]).filter((c) => this.taxonomy.has(c)));
        }
        if (result.length > 0) break;
      }
      if (result.length > 0) break;
    }
    result = [...new Set(result)];
    this.resolved.set(key, result.length > 0 ? result : null);
    return result.length > 0 ? result : undefined;
  }

  /** Every activity's business of a concept (its own map, else its nearest ancestor's). */
  private allCodes(conceptId: string): Array<[BusinessActivity, string[]]> {
    const byDepth = [...this.lexicon.ancestors(conceptId)].sort((a, b) => a[1] - b[1]);
    for (const [id] of byDepth) {
      const business = this.lexicon.get(id)?.business;
      if (!business) continue;
      return Object.entries(business).map(([a, codes]) => [
        a as BusinessActivity,
        (Array.isArray(codes) ? codes : [codes]).filter((c) => this.taxonomy.has(c)),
      ]);
    }
    return [];
  }

  private isTopic(conceptId: string): boolean {
    return this.codesFor(conceptId, 'any') !== undefined || this.allCodes(conceptId).length > 0;
  }

  private mentions(text: string): Mention[] {
    const words = this.lexicon.findActivities(text);
    const activityHits = words.filter((h) => ACTIVITY_KEYS.has(h.conceptId.slice('activity.'.length)));
    const partsHits = words.filter((h) => h.conceptId === PARTS_WORDS);
    const topicHits = this.lexicon
      .find(text)
      .filter((h) => {
        const kind = this.lexicon.kindOf(h.conceptId);
        return kind !== 'region' && kind !== 'partnership';
      })
      // A concept whose words are an activity word ("นำเข้า" import, "ติดตั้ง" installation) is that activity here.
      .filter((h) => !activityHits.some((a) => a.start <= h.start && a.end >= h.end));
    const out: Mention[] = [];
    for (const hit of activityHits) {
      out.push({
        hit,
        conceptId: hit.conceptId,
        activity: hit.conceptId.slice('activity.'.length) as BusinessActivity,
        postfix: JAPANESE.test(hit.term),
      });
    }
    for (const hit of topicHits) {
      const conceptId = this.partsOf(hit, partsHits, topicHits) ?? hit.conceptId;
      if (this.isTopic(conceptId)) out.push({ hit, conceptId, postfix: false });
    }
    return out.sort((a, b) => a.hit.start - b.hit.start || a.hit.end - b.hit.end);
  }

  /**
   * "ชิ้นส่วน … ของรถยนต์", "อะไหล่เครื่องจักร", "自動車の部品": a word for parts just before the product (Thai,
   * English) or just after it (Japanese) makes it the concept for that product's parts, when it has one.
   */
  private partsOf(hit: ConceptHit, partsHits: ConceptHit[], topicHits: ConceptHit[]): string | undefined {
    const parts = [...this.lexicon.ancestors(hit.conceptId)]
      .sort((a, b) => a[1] - b[1])
      .map(([id]) => this.lexicon.get(id)?.parts)
      .find((p) => p !== undefined);
    if (!parts) return undefined;
    const applies = partsHits.some((p) => {
      if (p.end <= hit.start)
        return (
          hit.start - p.end <= PARTS_GAP &&
          !topicHits.some((t) => t !== hit && t.start >= p.end && t.start < hit.start)
        );
      return p.start >= hit.end && p.start - hit.end <= 1;
    });
    return applies ? parts : undefined;
  }

  /**
   * The activities that govern one product mention in a firm's description: the run of activity words right
   * before it (Thai and English put the verb first: "ผลิตและจำหน่าย ชิ้นส่วน"), or for Japanese the one after it
   * (「自動車部品の製造」); failing that, the nearest run on the other side.
   */
  private governing(mentions: Mention[], topic: Mention): Mention[] {
    const at = mentions.indexOf(topic);
    const before: Mention[] = [];
    for (let k = at - 1; k >= 0; k--) {
      const m = mentions[k];
      if (!m.activity) {
        if (before.length > 0) break;
        continue;
      }
      if (!m.postfix) before.unshift(m);
      else if (before.length > 0) break;
    }
    const after: Mention[] = [];
    for (let k = at + 1; k < mentions.length; k++) {
      const m = mentions[k];
      if (!m.activity) {
        if (after.length > 0) break;
        continue;
      }
      after.push(m);
    }
    const postfixAfter = after.filter((m) => m.postfix);
    if (postfixAfter.length > 0) return postfixAfter;
    if (before.length > 0) return before;
    // Nothing before: "ชิ้นส่วนยานยนต์ ผลิตและจำหน่าย".
    return after;
  }
}
