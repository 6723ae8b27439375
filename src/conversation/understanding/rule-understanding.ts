import {
  LANGS,
  type Lang,
  PARTNERSHIP_TYPES,
  type PartnershipType,
} from '../../companies/company-profile.schema';
import { keywordTokens, normalizeText } from '../../language';
import { COUNTRY_CONCEPTS } from '../../matching/lexicon/concept';
import type { Lexicon } from '../../matching/lexicon/lexicon';
import type { ConversationState } from '../conversation-state';
import type { CompanyRef, Intent, SearchSlots } from './intent';
import {
  COMMANDS,
  GENERIC_SEARCH_WORDS,
  LANGUAGE_NAMES,
  PARTNERSHIP_WORDS,
  partnershipIn,
  placeIn,
  positionIn,
} from './vocabulary';

export interface RuleInput {
  text?: string;
  postback?: string;
  state: ConversationState;
  lexicon: Lexicon;
}

const SUBJECT_KINDS = new Set(['industry', 'sector', 'product', 'capability', 'certification']);

/** NFKC, lower case, single spaces: the form every rule is written against. */
export function normalizeForRules(text: string): string {
  return normalizeText(text).toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * The rule- and lexicon-based understanding: works with no model at all. Buttons (postbacks) are exact; typed
 * text is matched against command words in ja/th/en, then read as a partner search whose slots come from the
 * lexicon (industries, products, regions, partnership types) and the vocabulary.
 */
export function understandByRules(input: RuleInput): Intent {
  if (input.postback !== undefined) return intentOfPostback(input.postback);
  const raw = input.text ?? '';
  const text = normalizeForRules(raw);
  if (!text) return { kind: 'unknown' };
  const { state } = input;

  if (state.pending?.kind === 'confirm-forget') {
    if (COMMANDS.yes.test(text)) return { kind: 'forget-confirm' };
    if (COMMANDS.no.test(text)) return { kind: 'forget-cancel' };
  }
  if (COMMANDS.forget.test(text)) return { kind: 'forget' };
  if (COMMANDS.translate.test(text)) return translateIntent(raw, text);
  if (state.pending?.kind === 'translate-text')
    return { kind: 'translate', text: raw.trim(), to: state.pending.to };
  if (COMMANDS.help.test(text)) return { kind: 'help' };
  if (COMMANDS.human.test(text) && text.length <= 80) return { kind: 'human' };
  if (COMMANDS.useLanguage.test(text)) return { kind: 'switch-language', lang: languageNamed(text) };
  if (COMMANDS.switchLanguage.test(text) && text.length <= 40) return { kind: 'switch-language' };
  if (COMMANDS.greeting.test(text)) return { kind: 'greeting' };
  if (COMMANDS.newSearch.test(text)) return { kind: 'new-search' };
  if (COMMANDS.more.test(text)) return { kind: 'more' };

  const ref = companyRefIn(text, state);
  if (COMMANDS.introduce.test(text) && (ref || state.lastResults?.length)) return { kind: 'introduce', ref };
  if (COMMANDS.details.test(text) && (ref || state.lastResults?.length)) return { kind: 'details', ref };
  // A bare number or a name from the list just shown: the user points at a company.
  if (ref && state.lastResults?.length && isOnlyReference(text, ref)) return { kind: 'details', ref };

  const slots = searchSlots(raw, text, input.lexicon);
  if (slots.subject) return { kind: 'search', slots };
  if (slots.partnershipType || slots.region || slots.regionWords) {
    return state.search ? { kind: 'refine', slots } : { kind: 'search', slots };
  }
  if (state.pending?.kind === 'search-subject' || isSearchRequest(text)) return { kind: 'search', slots };
  return { kind: 'unknown' };
}

/** Postback data is `action=...&...` (LINE postback.data, widget buttons). Unknown data is "unknown". */
export function intentOfPostback(data: string): Intent {
  const params = new URLSearchParams(data);
  const id = params.get('id') ?? undefined;
  const lang = params.get('lang');
  switch (params.get('action')) {
    case 'details':
      return { kind: 'details', ref: id ? { externalId: id } : undefined };
    case 'intro':
      return { kind: 'introduce', ref: id ? { externalId: id } : undefined };
    case 'more':
      return { kind: 'more' };
    case 'lang':
      return { kind: 'switch-language', lang: isLang(lang) ? lang : undefined };
    case 'help':
      return { kind: 'help' };
    case 'human':
      return { kind: 'human' };
    case 'forget':
      return { kind: 'forget' };
    case 'forget-confirm':
      return { kind: 'forget-confirm' };
    case 'forget-cancel':
      return { kind: 'forget-cancel' };
    case 'new-search':
      return { kind: 'new-search' };
    case 'translate':
      return { kind: 'translate' };
    case 'refine': {
      const p = params.get('partnership');
      const partnershipType = PARTNERSHIP_TYPES.find((t) => t === p);
      const region = params.get('region') ?? undefined;
      if (p === 'any') return { kind: 'refine', slots: { anyPartnership: true } };
      return { kind: 'refine', slots: { partnershipType, region } };
    }
    case 'search': {
      const q = params.get('q');
      return q ? { kind: 'search', slots: { subject: q.slice(0, 200) } } : { kind: 'new-search' };
    }
    default:
      return { kind: 'unknown' };
  }
}

/** Slots of a search request: partnership type, region, country, and whether anything names a subject. */
export function searchSlots(raw: string, text: string, lexicon: Lexicon): SearchSlots {
  const slots: SearchSlots = {};
  const hits = lexicon.find(raw);
  let hasSubjectConcept = false;
  for (const hit of hits) {
    // Countries named in the text are left to the matching engine (it weighs which side the user means).
    if (COUNTRY_CONCEPTS[hit.conceptId]) continue;
    const concept = lexicon.get(hit.conceptId);
    if (!concept) continue;
    // Partnership concepts only rank (the matching engine weighs them); a hard filter needs the explicit words
    // of the vocabulary ("OEM", "販売代理店"), since words such as "ผู้ผลิต" (maker) also map to a partnership.
    if (concept.kind === 'region') slots.region ??= concept.id;
    else if (SUBJECT_KINDS.has(concept.kind)) hasSubjectConcept = true;
  }
  const spoken = partnershipIn(text);
  if (!slots.partnershipType && spoken) slots.partnershipType = spoken;
  const place = placeIn(text);
  if (!slots.region && place) slots.regionWords = place.id;

  // What is left once command words, partnership phrases, places and generic words are taken out.
  const covered: string[] = [];
  for (const [, re] of PARTNERSHIP_WORDS) {
    const m = re.exec(text);
    if (m) covered.push(m[0]);
  }
  if (place) covered.push(...place.names.filter((n) => text.includes(n)));
  const meaningful = keywordTokens(raw).filter(
    (t) =>
      !GENERIC_SEARCH_WORDS.has(t) &&
      !covered.some((c) => c.includes(t) || t.includes(c)) &&
      !/^\d+$/.test(t) &&
      [...t].length > 1,
  );
  if (hasSubjectConcept || meaningful.length > 0) slots.subject = meaningful.join(' ') || raw.trim();
  return slots;
}

function translateIntent(raw: string, text: string): Intent {
  // The text to translate follows a colon, a line break, or sits in quotes; what precedes it is the command.
  const quoted = /[「『"“](.+?)[」』"”]/s.exec(raw);
  const afterColon = /^[^:：\n]{0,60}[:：\n]\s*([\s\S]+)$/.exec(raw);
  const body = (quoted?.[1] ?? afterColon?.[1])?.trim();
  const command = body ? text.slice(0, Math.max(0, text.indexOf(normalizeForRules(body).slice(0, 8)))) : text;
  const to = targetLanguageIn(command || text);
  return { kind: 'translate', text: body || undefined, to };
}

/** "into Thai", "タイ語に", "เป็นภาษาญี่ปุ่น": the target of a translation. */
function targetLanguageIn(command: string): Lang | undefined {
  const m =
    /(?:to|into|in)\s+(japanese|thai|english)|(日本語|タイ語|英語)(?:に|へ|で)|เป็น(?:ภาษา)?(ไทย|ญี่ปุ่น|อังกฤษ)/.exec(
      command,
    );
  const name = m?.[1] ?? m?.[2] ?? m?.[3];
  return name ? languageNamed(name) : undefined;
}

function languageNamed(text: string): Lang | undefined {
  return LANGUAGE_NAMES.find(([, re]) => re.test(text))?.[0];
}

function isLang(value: string | null): value is Lang {
  return value !== null && (LANGS as readonly string[]).includes(value);
}

/** A company in the last list named in the text: by position, or by (part of) one of its names. */
export function companyRefIn(text: string, state: ConversationState): CompanyRef | undefined {
  const results = state.lastResults ?? [];
  const position = positionIn(text);
  if (position !== undefined && position >= 1 && position <= Math.max(results.length, 1))
    return { index: position };
  const compact = text.replace(/[\s.,・·]/g, '');
  for (const r of results) {
    for (const name of Object.values(r.names)) {
      const core = nameCore(name);
      if (core.length >= 2 && compact.includes(core)) return { externalId: r.externalId };
      // A Latin name's first word ("Rayong" of "Rayong Brake Parts Co., Ltd.") is how people refer to it.
      const first = normalizeForRules(name).match(/^[a-z]{4,}/)?.[0];
      if (first && new RegExp(`\\b${first}\\b`).test(text)) return { externalId: r.externalId };
    }
  }
  return undefined;
}

/** A company name without its legal form, lower case and without spaces (for loose matching). */
export function nameCore(name: string): string {
  return normalizeForRules(name)
    .replace(
      /株式会社|有限会社|合同会社|\(株\)|（株）|社$|co\.?,? ?ltd\.?|company limited|\bltd\.?|\binc\.?|\bcorp(oration)?\.?|\bplc\b|public company limited|บริษัท|จำกัด|\(มหาชน\)|มหาชน/g,
      '',
    )
    .replace(/[\s.,・·]/g, '');
}

function isOnlyReference(text: string, ref: CompanyRef): boolean {
  if ('index' in ref) return /^(no\.?|#|ที่|อันดับ|บริษัทที่)?\s*\d{1,2}\s*(番目?|社目|つ目)?[\s.。]*$/.test(text);
  return keywordTokens(text).length <= 4;
}

function isSearchRequest(text: string): boolean {
  return /looking for|search|find|partner|探し|探す|パートナー|紹介してほしい|หา|พันธมิตร|คู่ค้า/.test(text);
}

export type { PartnershipType };
