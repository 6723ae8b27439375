import {
  type CompanyProfileInput,
  type Country,
  type Lang,
  PARTNERSHIP_TYPES,
  type PartnershipType,
} from '../companies/company-profile.schema';
import type { PublicProfile } from '../companies/company.model';
import { normalizeForRules } from '../conversation/understanding/rule-understanding';
import { PARTNERSHIP_WORDS } from '../conversation/understanding/vocabulary';
import { type InterviewStep, STEPS, registrationTexts } from './registration-texts';

/**
 * The registration interview without its storage or channel: what each answer means, where the interview goes
 * next, and the profile the answers make. Pure, so every phrasing is unit-tested.
 */

export interface RegistrationContact {
  email?: string;
  phone?: string;
  person?: string;
}

export interface RegistrationAnswers {
  country?: Country;
  name?: string;
  offers?: string;
  seeks?: string;
  partnershipTypes?: PartnershipType[];
  region?: string;
  employees?: number;
  website?: string;
  contact?: RegistrationContact;
  /** Set while one answer is being corrected from the review: answering it returns to the review. */
  editing?: boolean;
}

export type InterviewCommand = 'back' | 'skip' | 'cancel' | 'later' | 'done' | 'submit';

const COMMAND_WORDS: Array<[InterviewCommand, RegExp]> = [
  ['back', /^(back|go back|previous|戻る|もどる|前へ|前に戻る|ひとつ前|ย้อนกลับ|กลับ|ก่อนหน้า)$/],
  ['skip', /^(skip|pass|none|n\/a|スキップ|飛ばす|とばす|なし|無し|特になし|ข้าม|ไม่มี|ผ่าน)$/],
  ['cancel', /^(cancel|quit|stop|キャンセル|やめる|やめます|中止|取り消し|取消|ยกเลิก|หยุด)$/],
  ['later', /^(later|pause|not now|あとで|後で|また今度|あとにする|ไว้ทีหลัง|ทีหลัง|ไว้ก่อน)$/],
  ['done', /^(done|finish|finished|that'?s all|完了|以上|決定|おわり|終わり|เสร็จ|เสร็จแล้ว|แค่นี้)$/],
  ['submit', /^(submit|send|send it|送信|提出|送る|ส่ง|ส่งเลย)$/],
];

/** A word that steers the interview rather than answers it ("back", "スキップ", "ยกเลิก"). */
export function interviewCommandIn(text: string): InterviewCommand | undefined {
  const said = normalizeForRules(text).replace(/[\s!！。.?？]+$/u, '');
  return COMMAND_WORDS.find(([, re]) => re.test(said))?.[0];
}

/**
 * "Register my company" in the firm's words. Kept to short messages that say so outright, so that a search for
 * companies that are registered somewhere ("登録されている会社", "registered exporters") stays a search.
 */
const REGISTER_WORDS = [
  /\b(register|sign ?up|enrol+|list|add|join)\b[^.?!]{0,30}\b(my|our)\s+(own\s+)?(company|firm|business|factory)\b/,
  /^(register|registration|sign ?up|join)( (a|the) (company|firm|business))?( please)?$/,
  /\bregister (a|the|my|our) (company|firm|business)\b/,
  /(会社|企業|弊社|当社|自社|うち|わが社|我が社)(の(情報|プロフィール))?(を|も)?(新規)?(登録|掲載)/,
  /^(新規|企業|会社|自社)?(登録|掲載)(したい(です)?|します|する|希望|をお願いします?|をしたい(です)?|お願いします|方法は?|の仕方|手続き)?$/,
  /(登録|掲載)(したい|させて|してほしい|をお願い|を希望|をしたい)/,
  /ลงทะเบียน/,
  /สมัคร(สมาชิก|บริษัท|เข้าร่วม)/,
  /(เพิ่ม|ลง)(ข้อมูล)?(บริษัท|กิจการ|ธุรกิจ|โรงงาน)(ของ)?(เรา|ฉัน|ผม|ดิฉัน)/,
];
const MY_COMPANY_WORDS =
  /^(my company|our company|my profile|自社|自社情報|うちの会社|弊社の情報|บริษัทของฉัน|บริษัทของเรา|บริษัทของผม|ข้อมูลบริษัทของเรา)$/;

export function asksToRegister(text: string): boolean {
  if ([...text].length > 80) return false;
  const said = normalizeForRules(text).replace(/[\s!！。.?？]+$/u, '');
  if (/登録されて|登録済|registered\b/.test(said)) return false;
  return REGISTER_WORDS.some((re) => re.test(said));
}

export function asksForOwnCompany(text: string): boolean {
  return MY_COMPANY_WORDS.test(normalizeForRules(text).replace(/[\s!！。.?？]+$/u, ''));
}

/** The question after `step`: the next one, or the review once every question was asked (or one corrected). */
export function stepAfter(step: InterviewStep, answers: RegistrationAnswers): InterviewStep | 'review' {
  if (answers.editing) return 'review';
  return STEPS[STEPS.indexOf(step) + 1] ?? 'review';
}

export type Parsed = { ok: true; answers: RegistrationAnswers } | { ok: false; problem: string };

const NAME_MAX = 200;
const TEXT_MAX = 2000;
const REGION_MAX = 200;

/** What a typed answer means for this step (`lang` words the problem when it means nothing). */
export function parseAnswer(
  step: InterviewStep,
  raw: string,
  answers: RegistrationAnswers,
  lang: Lang,
): Parsed {
  const t = registrationTexts(lang);
  const text = raw.trim();
  const said = normalizeForRules(text);
  const within = (max: number) => [...text].length <= max;
  const set = (patch: RegistrationAnswers): Parsed => ({ ok: true, answers: { ...answers, ...patch } });
  switch (step) {
    case 'country': {
      const country = countryIn(said);
      return country ? set({ country }) : { ok: false, problem: t.invalid.country };
    }
    case 'name':
      if (!text) return { ok: false, problem: t.invalid.name };
      return within(NAME_MAX) ? set({ name: text }) : { ok: false, problem: t.invalid.tooLong(NAME_MAX) };
    case 'offers':
    case 'seeks':
      if (!within(TEXT_MAX)) return { ok: false, problem: t.invalid.tooLong(TEXT_MAX) };
      return set({ [step]: text });
    case 'partnership': {
      const found = PARTNERSHIP_WORDS.filter(([, re]) => re.test(said)).map(([type]) => type);
      const types = orderedTypes([...(answers.partnershipTypes ?? []), ...found]);
      return set({ partnershipTypes: types.length ? types : answers.partnershipTypes });
    }
    case 'region':
      return within(REGION_MAX)
        ? set({ region: text })
        : { ok: false, problem: t.invalid.tooLong(REGION_MAX) };
    case 'size': {
      const employees = employeesIn(said);
      return employees === undefined ? { ok: false, problem: t.invalid.size } : set({ employees });
    }
    case 'website': {
      const website = websiteIn(text);
      return website ? set({ website }) : { ok: false, problem: t.invalid.website };
    }
    case 'contact': {
      const contact = contactIn(text);
      return contact ? set({ contact }) : { ok: false, problem: t.invalid.contact };
    }
  }
}

export function countryIn(said: string): Country | undefined {
  const jp = /日本|japan|ญี่ปุ่น|\bjp\b/.test(said);
  const th = /タイ|thai|ไทย|\bth\b/.test(said);
  if (jp === th) return undefined;
  return jp ? 'JP' : 'TH';
}

/** A head count: "120", "約120人", "ประมาณ 1,200 คน", "about 50 people". Ranges take their upper end. */
export function employeesIn(said: string): number | undefined {
  const numbers = [...said.replace(/(\d),(?=\d{3})/g, '$1').matchAll(/\d+/g)].map((m) => Number(m[0]));
  if (numbers.length === 0) return undefined;
  const n = Math.max(...numbers);
  return Number.isSafeInteger(n) && n > 0 && n <= 10_000_000 ? n : undefined;
}

/** A web address as typed ("example.co.th", "https://…"), as an http(s) URL; undefined if it is not one. */
export function websiteIn(text: string): string | undefined {
  const t = text.trim();
  if (/\s/.test(t) || [...t].length > 300) return undefined;
  const withScheme = /^https?:\/\//i.test(t) ? t : `https://${t}`;
  try {
    const url = new URL(withScheme);
    if (!/^https?:$/.test(url.protocol) || !/^[^.]+(\.[^.]+)+$/.test(url.hostname)) return undefined;
    if (!/\.[a-z\u0e00-\u0e7f-]{2,}$/i.test(url.hostname) && !/^xn--/.test(url.hostname.split('.').pop()!))
      return undefined;
    return url.toString();
  } catch {
    return undefined;
  }
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const PHONE = /\+?\d[\d\s()-]{6,}\d/;

/** An e-mail address and/or phone number, with whatever else was written taken as the person's name. */
export function contactIn(text: string): RegistrationContact | undefined {
  const t = text.normalize('NFKC');
  const email = EMAIL.exec(t)?.[0];
  const phone = PHONE.exec(t.replace(EMAIL, ' '))?.[0];
  if (!email && !phone) return undefined;
  const rest = t
    .replace(EMAIL, ' ')
    .replace(PHONE, ' ')
    .replace(
      /(e-?mail|mail|メール|アドレス|電話|tel|phone|อีเมล|โทร(ศัพท์)?|เบอร์|担当(者)?|ชื่อ|name)\s*[:：]?/gi,
      ' ',
    )
    .replace(/[、,，/／;；:：()（）]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const digits = phone?.replace(/[^\d+]/g, '');
  return {
    ...(email ? { email } : {}),
    ...(digits ? { phone: digits } : {}),
    ...(rest && [...rest].length <= 100 ? { person: rest } : {}),
  };
}

export function orderedTypes(types: PartnershipType[]): PartnershipType[] {
  return PARTNERSHIP_TYPES.filter((p) => types.includes(p));
}

/** Splits "brake pads, clutch discs / rubber parts" into a list (one item when it does not read as a list). */
export function listOf(text: string): string[] {
  const items = text
    .split(/[、,，・\n;；]|\s\/\s/)
    .map((s) => s.trim())
    .filter(Boolean);
  const list = items.length >= 2 && items.every((i) => [...i].length <= 200) ? items : [text.trim()];
  return list.map((i) => [...i].slice(0, 200).join('')).slice(0, 50);
}

/** The profile the answers make, as the interchange format has it (staff approve this, contact included). */
export function profileFrom(
  answers: RegistrationAnswers,
  lang: Lang,
  externalId: string,
): CompanyProfileInput {
  const at = (value: string | undefined) => (value ? { [lang]: value } : undefined);
  const listAt = (value: string | undefined) => (value ? { [lang]: listOf(value) } : undefined);
  const contact = answers.contact;
  return {
    externalId,
    country: answers.country ?? 'TH',
    names: { [lang]: answers.name ?? externalId },
    ...(answers.offers ? { summary: at(answers.offers), offerings: listAt(answers.offers) } : {}),
    ...(answers.seeks ? { seeking: listAt(answers.seeks) } : {}),
    ...(answers.partnershipTypes?.length ? { partnershipTypes: answers.partnershipTypes } : {}),
    ...(answers.region ? { location: at(answers.region) } : {}),
    ...(answers.employees !== undefined ? { employees: answers.employees } : {}),
    ...(answers.website ? { website: answers.website } : {}),
    languages: [lang],
    ...(contact && (contact.email || contact.phone)
      ? {
          contact: {
            ...(contact.person ? { person: contact.person } : {}),
            ...(contact.email ? { email: contact.email } : {}),
            ...(contact.phone ? { phone: contact.phone } : {}),
          },
        }
      : {}),
    status: 'published',
  };
}

/** The same profile as another firm would read it (no contact): what the card preview shows. */
export function publicPreview(answers: RegistrationAnswers, lang: Lang): PublicProfile {
  const { contact: _contact, ...p } = profileFrom(answers, lang, 'registration-preview');
  return {
    ...p,
    status: 'draft',
    industries: [],
    partnershipTypes: p.partnershipTypes ?? [],
    certifications: [],
    languages: p.languages ?? [lang],
  };
}

/** The contact as the firm wrote it, for its own review (never shown to anyone else). */
export function contactLine(contact: RegistrationContact | undefined): string | undefined {
  if (!contact) return undefined;
  return [contact.person, contact.email, contact.phone].filter(Boolean).join(' / ') || undefined;
}

/** The answers a published profile gives, in `lang` (a linked firm's edit starts from them). */
export function answersFromProfile(p: PublicProfile, lang: Lang): RegistrationAnswers {
  const pick = <T>(v: Partial<Record<Lang, T>> | undefined): T | undefined =>
    v ? (v[lang] ?? v.en ?? v.ja ?? v.th) : undefined;
  const offers = pick(p.summary) ?? pick(p.offerings)?.join(', ');
  const seeks = pick(p.seeking)?.join(', ');
  return {
    country: p.country,
    ...(pick(p.names) ? { name: pick(p.names) } : {}),
    ...(offers ? { offers } : {}),
    ...(seeks ? { seeks } : {}),
    ...(p.partnershipTypes.length ? { partnershipTypes: p.partnershipTypes } : {}),
    ...(pick(p.location) ? { region: pick(p.location) } : {}),
    ...(p.employees !== undefined ? { employees: p.employees } : {}),
    ...(p.website ? { website: p.website } : {}),
  };
}

/**
 * A linked firm's edit as a JSON Merge Patch of its profile: the fields it answered, in its language (the other
 * languages of a field stay as they are).
 */
export function changePatch(answers: RegistrationAnswers, lang: Lang): Record<string, unknown> {
  const {
    externalId: _id,
    status: _status,
    languages: _languages,
    country: _country,
    ...fields
  } = profileFrom(answers, lang, 'change');
  return fields;
}
