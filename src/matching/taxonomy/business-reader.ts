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
  // "build software", "build an e-commerce platform": building what is not a structure is developing it.
  construct: ['install', 'service', 'develop'],
  rent: ['service'],
  transport: ['service'],
  design: ['consult', 'service'],
  consult: ['design', 'service'],
  service: [],
  // Work done to order ("รับจ้าง", "รับทำ", "請負"): making goods, or doing the service.
  contract: ['make', 'service'],
  develop: ['make', 'service'],
  grow: ['make'],
  any: [],
};

// How much each later thing a firm names counts next to the first: registrars file a firm under what it says
// first ("ผลิตและจำหน่ายเครื่องสำอาง อาหารเสริม" is a cosmetics maker).
const LATER_TOPIC_DECAY = 0.3;
const LATER_ACTIVITY_WEIGHTS = [1, 0.8, 0.65, 0.55];
/**
 * "จำหน่าย" (to sell) leaves open whether a firm sells wholesale or retail; it is filed under the concept's trade
 * code (usually wholesale) less surely than a firm that writes "ขายส่ง" (wholesale).
 */
const UNSPECIFIED_TRADE_WEIGHT = 0.85;
/** A request's broader code beside a narrower one it also names counts this much (the narrower comes first). */
const BROADER_IN_REQUEST = 0.7;
/** Between two product words of a request: the first qualifies the second (Japanese の, English adjacency). */
const JOINS_MODIFIER_TO_HEAD = new Set(['の', ' ']);
/**
 * Activities that are a business of their own whatever the goods (transport, rental): when the goods name no
 * business for them, the activity's business is the firm's.
 */
const ACTIVITY_FIRST = new Set<BusinessActivity>(['transport', 'rent', 'construct']);
/** Between a Thai service and the goods it is for: nothing, or "ของ" (of), "สำหรับ" (for)… */
const THAI_QUALIFIER_GAPS = new Set(['', 'ของ', 'ด้าน', 'ในด้าน', 'เกี่ยวกับ']);
/** Words that introduce a firm's customers or the use of its goods ("for auto parts", "สำหรับ", "向け"). */
const FOR_WORDS = {
  th: new Set(['สำหรับ', 'ให้แก่', 'ให้กับ', 'แก่', 'เพื่อใช้ใน', 'ที่ใช้ใน', 'ใช้ใน', 'ในอุตสาหกรรม']),
  ja: new Set(['向け', '向けの', '向けに', '用の']),
  en: new Set([' for ', ' to ', ' used in ', ' for use in ']),
};
/**
 * A few words may follow the "for" word before the customers are named ("สำหรับอุตสาหกรรม", "for the"); English
 * spends more letters on them ("to more than 250 hotels").
 */
const FOR_PHRASE_SLACK = 12;
const ENGLISH_FOR_PHRASE_SLACK = 20;

/**
 * Thai "ให้" alone between goods and customers is "to" ("ผ้าปูที่นอนให้โรงแรม" bed linen to hotels); it begins
 * other words too ("ให้เช่า" to rent out, "ให้บริการ" to provide), so it counts only with nothing after it.
 */
const THAI_TO = 'ให้';

/**
 * Goods the lexicon does not know may sit between the last goods it knows and the "for" word ("bed linen and
 * room amenities to hotels"): up to this many letters, within one clause.
 */
const UNREAD_GOODS_BEFORE_USE = 40;
const CLAUSE_BREAK = /[.;:!?。．、]/u;

function introducesUse(between: string, words: ReadonlySet<string>, slack = FOR_PHRASE_SLACK): boolean {
  return [...words].some((w) => {
    const at = between.startsWith(w) ? 0 : between.lastIndexOf(w);
    if (at < 0 || at > UNREAD_GOODS_BEFORE_USE || CLAUSE_BREAK.test(between.slice(0, at))) return false;
    return between.length - at <= w.length + slack;
  });
}
/** Sections of goods (farming, mining, making): a concept filed there is not a service. */
const GOODS_SECTIONS = new Set(['A', 'B', 'C']);
const THAI = /[\u0E00-\u0E7F]/;
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
  'และ',
  'หรือ',
]);
/** Concepts that say only which way goods cross a border. */
const TRADE_DIRECTION = new Set(['capability.import_export']);
/** TSIC section H: transport and storage (forwarding, customs brokerage, warehousing). */
const TRANSPORT_AND_STORAGE = 'H';
/** Kinds of concept that name a business as a whole even with no verb: processes and exchange sectors. */
const WHOLE_BUSINESS_KINDS = new Set<string>(['capability', 'sector']);
/** How close (in characters) a verb after a product must be to govern it in Thai or English. */
const ADJACENT_VERB_GAP = 3;
/** A product named with no activity at all ("ชิ้นส่วนรถยนต์"): any of its businesses, none of them surely. */
const UNSPECIFIED_ACTIVITY_WEIGHT = 0.4;

const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
const ACTIVITY_KEYS = new Set<string>(BUSINESS_ACTIVITIES);
/** The function-word concept for "parts" (ชิ้นส่วน, 部品, parts), matched with the activity words. */
const PARTS_WORDS = 'activity.parts';
/** How far (in characters) a parts word may stand before the product it is about: "ชิ้นส่วนและอุปกรณ์เสริมอื่นๆ สำหรับ". */
const PARTS_GAP = 30;
// Kinds of concept that can have parts (a car, a machine), as opposed to processes and services.
const PARTS_KINDS = new Set(['product', 'industry', 'sector']);

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
  static readonly VERSION = 3;
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
    // One text for finding the words and for reading what lies between them: their positions must agree.
    const body = style === 'profile' ? withoutWishes(text) : text;
    const mentions = this.mentions(body);
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
    const modifiers = this.qualifiers(body, style, topics);
    // Qualifiers take no place in the order of what a firm says it does.
    const topicOrder = new Map<string, number>();
    for (const t of topics)
      if (!modifiers.has(t) && !topicOrder.has(t.conceptId)) topicOrder.set(t.conceptId, topicOrder.size);

    for (const t of topics) {
      const conceptId = t.conceptId;
      const topicWeight =
        style === 'request' ? 1 : 1 / (1 + LATER_TOPIC_DECAY * (topicOrder.get(conceptId) ?? 0));
      const governing =
        style === 'request' ? mentions.filter((m) => m.activity) : this.governing(mentions, t);
      const own = this.codesFor(conceptId, 'any');
      // Goods named with no verb ("อะไหล่รถยนต์") leave open whether the firm makes, sells or repairs them: in a
      // firm's description each of those counts a little; a service ("โรงแรม"), a process ("งานกลึง") or an
      // exchange's sector label ("ปิโตรเคมีและเคมีภัณฑ์") is its business whatever the verb,
      // and a request for bare goods ("ベアリング") asks for their usual business (the concept's `any`).
      const bare = () => {
        if (
          own &&
          (style === 'request' ||
            this.isService(conceptId) ||
            WHOLE_BUSINESS_KINDS.has(this.lexicon.kindOf(conceptId) ?? ''))
        )
          add(t, own, topicWeight, undefined, [t.hit.term]);
        else
          for (const [activity, codes] of this.allCodes(conceptId))
            add(t, codes, topicWeight * UNSPECIFIED_ACTIVITY_WEIGHT, activity, [t.hit.term]);
      };
      if (governing.length === 0) {
        bare();
        continue;
      }
      let matched = false;
      governing.forEach((a, j) => {
        const codes = this.codesFor(conceptId, a.activity!);
        if (!codes) return;
        matched = true;
        const activityWeight =
          style === 'request'
            ? 1
            : LATER_ACTIVITY_WEIGHTS[Math.min(j, LATER_ACTIVITY_WEIGHTS.length - 1)] *
              (a.activity === 'sell' ? UNSPECIFIED_TRADE_WEIGHT : 1);
        add(t, codes, topicWeight * activityWeight, a.activity, [a.hit.term, t.hit.term]);
      });
      if (!matched) {
        // "ขนส่งสินค้าเกษตร" (transporting farm goods) is a transport firm, not a farm: for these activities the
        // activity's own business comes before the goods' one. "โรงแรม" after "บริการ" is the hotel itself.
        const first = governing[0];
        const activityOwn = ACTIVITY_FIRST.has(first.activity!)
          ? this.codesFor(first.conceptId, 'any')
          : undefined;
        if (activityOwn) add(t, activityOwn, topicWeight, first.activity, [first.hit.term, t.hit.term]);
        else bare();
      }
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
   * A product that only qualifies another names no business of its own: it narrows the head's business when it
   * lies within it (solar → solar power generation) and is dropped otherwise. In a request every such pair counts
   * ("金属の切削加工", "welding of metal parts", "太陽光やバイオマスの発電事業"); in a firm's description only a
   * service qualified by goods ("โลจิสติกส์ชิ้นส่วนยานยนต์" auto-parts logistics, "自動車部品の物流"), since a
   * firm's list of goods ("ชิ้นส่วนรถยนต์ รถจักรยานยนต์") names each of them.
   */
  private qualifiers(text: string, style: 'profile' | 'request', topics: Mention[]): Map<Mention, Mention[]> {
    const form = matchForm(text);
    const ordered = [...topics].sort((a, b) => a.hit.start - b.hit.start);
    const gap = (a: Mention, b: Mention) =>
      b.hit.start >= a.hit.end ? form.slice(a.hit.end, b.hit.start) : undefined;
    const modifiers = new Map<Mention, Mention[]>();
    // `always`: a "for" phrase ("coatings for auto parts", "เครื่องจักรสำหรับอุตสาหกรรมอาหาร", "食品工場向けの機械")
    // names the customers, never the firm's own business; other pairs, in a firm's description, only when a
    // service is qualified by goods.
    const modifies = (modifier: Mention, head: Mention, always = false) => {
      if (
        style === 'profile' &&
        !always &&
        (!this.isService(head.conceptId) || this.isService(modifier.conceptId)) &&
        !this.isTradeDirectionOfTransport(modifier.conceptId, head.conceptId)
      )
        return;
      modifiers.set(modifier, [...(modifiers.get(modifier) ?? []), head]);
    };
    for (let i = 1; i < ordered.length; i++) {
      const between = gap(ordered[i - 1], ordered[i]);
      if (between === undefined) continue;
      const thai = THAI.test(ordered[i - 1].hit.term);
      if (thai && (between === THAI_TO || introducesUse(between, FOR_WORDS.th))) {
        // "ผ้าปูที่นอนให้โรงแรมและสปา": every customer named after the word qualifies the goods.
        for (let m = i; m < ordered.length; m++) {
          if (m > i && !COORDINATION.has(gap(ordered[m - 1], ordered[m]) ?? '-')) break;
          modifies(ordered[m], ordered[i - 1], true);
        }
      } else if (thai && style === 'profile' && THAI_QUALIFIER_GAPS.has(between)) {
        // Thai puts the qualifier after the head: "บริการโลจิสติกส์ ชิ้นส่วนยานยนต์".
        modifies(ordered[i], ordered[i - 1]);
      } else if (!thai && (JOINS_MODIFIER_TO_HEAD.has(between) || FOR_WORDS.ja.has(between))) {
        // "X や Y の Z": X and Y both qualify Z. (Japanese "向け" follows the customers: 食品工場向けの機械.)
        const always = FOR_WORDS.ja.has(between);
        modifies(ordered[i - 1], ordered[i], always);
        for (let k = i - 2; k >= 0 && COORDINATION.has(gap(ordered[k], ordered[k + 1]) ?? '-'); k--)
          modifies(ordered[k], ordered[i], always);
      } else if (between === ' of ' || introducesUse(between, FOR_WORDS.en, ENGLISH_FOR_PHRASE_SLACK)) {
        // "machining, turning and welding of metal parts": the parts qualify each process; "towels … to hotels
        // and spas": each customer qualifies the goods.
        const always = between !== ' of ';
        const heads = [ordered[i - 1]];
        for (let k = i - 2; k >= 0 && COORDINATION.has(gap(ordered[k], ordered[k + 1]) ?? '-'); k--)
          heads.push(ordered[k]);
        for (let m = i; m < ordered.length; m++) {
          if (m > i && !COORDINATION.has(gap(ordered[m - 1], ordered[m]) ?? '-')) break;
          for (const h of heads) modifies(ordered[m], h, always);
        }
      }
    }
    return modifiers;
  }

  /**
   * "Import and export" beside a transport or storage service ("import and export customs clearance",
   * "ชิปปิ้งนำเข้าส่งออก") says which goods the service moves: the firm is a forwarder, not a trading house.
   */
  private isTradeDirectionOfTransport(modifier: string, head: string): boolean {
    if (!TRADE_DIRECTION.has(modifier)) return false;
    const codes = this.codesFor(head, 'any');
    return !!codes && codes.every((c) => this.taxonomy.lineage(c).at(-1) === TRANSPORT_AND_STORAGE);
  }

  /** A concept that is a service business by itself (its own code lies outside farming, mining and making). */
  private isService(conceptId: string): boolean {
    const codes = this.codesFor(conceptId, 'any');
    return !!codes && codes.every((c) => !GOODS_SECTIONS.has(this.taxonomy.lineage(c).at(-1) ?? ''));
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
    // A process ("機械加工" machining) or a service has no parts, even where its parents (machinery) have.
    if (!PARTS_KINDS.has(this.lexicon.kindOf(hit.conceptId) ?? '')) return undefined;
    const parts = [...this.lexicon.ancestors(hit.conceptId)]
      .sort((a, b) => a[1] - b[1])
      .map(([id]) => this.lexicon.get(id)?.parts)
      .find((p) => p !== undefined);
    if (!parts) return undefined;
    const applies = partsHits.some((p) => {
      // The word is part of another product's name ("精密部品" precision parts): it is that product's word.
      if (topicHits.some((t) => t !== hit && t.start <= p.start && t.end >= p.end)) return false;
      if (p.end <= hit.start)
        return (
          // Japanese names the parts after the product ("自動車の部品"), never before it.
          !JAPANESE.test(p.term) &&
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
    // Nothing before: "ชิ้นส่วนยานยนต์ ผลิตและจำหน่าย", "auto parts manufacturing". A verb further on is about
    // something else ("from auto-parts suppliers into production lines").
    return after[0] && after[0].hit.start - topic.hit.end <= ADJACENT_VERB_GAP ? after : [];
  }
}

/**
 * Words that open what a firm is looking for ("…, looking for Japanese makers of towels"): in a description of
 * the firm, what follows is its wish, not its business. Japanese puts the wish before the verb
 * ("日本のメーカーを探しています"), so there the whole sentence holding it goes.
 */
const WISH_FROM_HERE =
  /(?:กำลังมองหา|มองหา|ต้องการหา|กำลังหา|ต้องการพันธมิตร|\blooking for\b|\bseeking\b|\bwe seek\b|\bin search of\b)[^.;!?\n]*/giu;
const WISH_SENTENCE = /[^。．!?！？\n]*(?:を探して|を探す|を募集|を求めて|募集中|を検討中)[^。．!?！？\n]*/gu;

/** A firm's description without the wishes in it, so "a distributor looking for makers" reads as a distributor. */
export function withoutWishes(text: string): string {
  return text.replace(WISH_SENTENCE, ' ').replace(WISH_FROM_HERE, ' ');
}
