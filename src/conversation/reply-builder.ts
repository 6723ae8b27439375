import type { Country, Lang, PartnershipType } from '../companies/company-profile.schema';
import type { PublicProfile } from '../companies/company.model';
import type { MatchItem } from '../matching/match.service';
import { LANG_NAMES, type Messages, messagesFor } from './conversation-messages';
import type { SearchFilters } from './conversation-state';
import type { BotReply, ReplyAction, ReplyCard } from './conversation.types';
import { PLACES } from './understanding/vocabulary';

/** Channel-neutral building blocks of replies: company cards, the details view, quick-reply menus. */

const CARD_TEXT_MAX = 160;

export function postback(action: string, params: Record<string, string> = {}): string {
  return new URLSearchParams({ action, ...params }).toString();
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export function cardOf(item: MatchItem, lang: Lang): ReplyCard {
  const m = messagesFor(lang);
  const subtitle = [item.industry, item.location].filter(Boolean).join(' · ');
  return {
    externalId: item.externalId,
    title: item.name,
    subtitle: subtitle || undefined,
    text: clip(item.explanation || m.details.country[item.country], CARD_TEXT_MAX),
    country: item.country,
    buttons: [
      {
        label: m.labels.details,
        postback: postback('details', { id: item.externalId }),
        displayText: `${m.labels.details}: ${item.name}`,
      },
      {
        label: m.labels.introduce,
        postback: postback('intro', { id: item.externalId }),
        displayText: `${m.labels.introduce}: ${item.name}`,
      },
    ],
  };
}

export function action(label: string, data: string, displayText = label): ReplyAction {
  return { label, postback: data, displayText };
}

export function languageChoices(): ReplyAction[] {
  return [
    action('日本語', postback('lang', { lang: 'ja' })),
    action('ภาษาไทย', postback('lang', { lang: 'th' })),
    action('English', postback('lang', { lang: 'en' })),
  ];
}

/** The general menu: what a user can do next when nothing more specific applies. */
export function mainMenu(lang: Lang): ReplyAction[] {
  const m = messagesFor(lang);
  return [
    action(m.labels.newSearch, postback('new-search')),
    action(m.labels.help, postback('help')),
    action(m.labels.human, postback('human')),
    action(m.labels.language, postback('lang')),
    action(m.labels.register, postback('reg-start')),
  ];
}

export function subjectExamples(lang: Lang): ReplyAction[] {
  return messagesFor(lang).subjectExamples.map((s) => action(s, postback('search', { q: s })));
}

/** After a page of results: more, narrowing by the partnership types the results offer, new search, staff. */
export function resultMenu(
  lang: Lang,
  items: MatchItem[],
  filters: SearchFilters,
  hasMore: boolean,
): ReplyAction[] {
  const m = messagesFor(lang);
  const out: ReplyAction[] = [];
  if (hasMore) out.push(action(m.labels.more, postback('more')));
  const counts = new Map<PartnershipType, number>();
  for (const item of items)
    for (const t of item.partnershipTypes as PartnershipType[])
      if (t !== 'other' && t !== filters.partnershipType) counts.set(t, (counts.get(t) ?? 0) + 1);
  const types = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3);
  for (const [t] of types) out.push(action(m.partnership[t], postback('refine', { partnership: t })));
  if (filters.partnershipType) out.push(action(m.labels.anyType, postback('refine', { partnership: 'any' })));
  out.push(action(m.labels.alert, postback('alert-save')));
  out.push(action(m.labels.newSearch, postback('new-search')));
  out.push(action(m.labels.human, postback('human')));
  return out;
}

function pick<T>(value: Partial<Record<Lang, T>> | undefined, lang: Lang): T | undefined {
  return value ? (value[lang] ?? value.en ?? value.ja ?? value.th) : undefined;
}

export function nameIn(names: Partial<Record<Lang, string>>, lang: Lang, fallback: string): string {
  return pick(names, lang) ?? fallback;
}

/** A company's public profile in the reader's language (English, then any, when a field lacks it). */
export function detailsReply(profile: PublicProfile, lang: Lang): BotReply {
  const m = messagesFor(lang);
  const d = m.details;
  const name = nameIn(profile.names, lang, profile.externalId);
  const country = d.country[profile.country];
  const lines: string[] = [lang === 'ja' ? `${name}（${country}）` : `${name} (${country})`];
  const summary = pick(profile.summary, lang);
  if (summary) lines.push(summary);
  const industries = profile.industries.map((i) => pick(i.label, lang)).filter(Boolean);
  if (industries.length) lines.push(`${d.industry}: ${industries.join(m.listSep)}`);
  const location = pick(profile.location, lang);
  if (location) lines.push(`${d.location}: ${location}`);
  const offers = pick(profile.offerings, lang);
  if (offers?.length) lines.push(`${d.offers}: ${offers.slice(0, 6).join(m.listSep)}`);
  const seeks = pick(profile.seeking, lang);
  if (seeks?.length) lines.push(`${d.seeks}: ${seeks.slice(0, 6).join(m.listSep)}`);
  if (profile.partnershipTypes.length)
    lines.push(`${d.partnership}: ${profile.partnershipTypes.map((t) => m.partnership[t]).join(m.listSep)}`);
  if (profile.employees !== undefined)
    lines.push(`${d.employees}: ${profile.employees.toLocaleString('en-US')}`);
  if (profile.foundedYear !== undefined) lines.push(`${d.founded}: ${profile.foundedYear}`);
  if (profile.certifications.length)
    lines.push(`${d.certifications}: ${profile.certifications.join(m.listSep)}`);
  const buttons: ReplyAction[] = [
    {
      label: m.labels.introduce,
      postback: postback('intro', { id: profile.externalId }),
      displayText: `${m.labels.introduce}: ${name}`,
    },
  ];
  if (profile.website && /^https?:\/\//.test(profile.website))
    buttons.push({ label: m.labels.website, url: profile.website });
  return {
    lang,
    texts: [lines.join('\n')],
    quickReplies: [
      action(
        m.labels.introduce,
        postback('intro', { id: profile.externalId }),
        `${m.labels.introduce}: ${name}`,
      ),
      action(m.labels.more, postback('more')),
      action(m.labels.newSearch, postback('new-search')),
      action(m.labels.human, postback('human')),
    ],
    cards: [
      {
        externalId: profile.externalId,
        title: name,
        subtitle: [industries[0], location].filter(Boolean).join(' · ') || undefined,
        text: clip(summary ?? d.country[profile.country], CARD_TEXT_MAX),
        country: profile.country,
        buttons,
      },
    ],
  };
}

/** The words of the active filters, for "narrowed down to OEM, Bangkok". */
export function describeFilters(
  filters: SearchFilters,
  lang: Lang,
  regionLabel: (id: string) => string | undefined,
): string {
  const m: Messages = messagesFor(lang);
  const parts: string[] = [];
  if (filters.partnershipType) parts.push(m.partnership[filters.partnershipType]);
  const region = filters.region
    ? regionLabel(filters.region)
    : PLACES.find((p) => p.id === filters.regionWords)?.label[lang];
  if (region) parts.push(region);
  return parts.join(m.listSep);
}

export function languageName(of: Lang, inLang: Lang): string {
  return LANG_NAMES[inLang][of];
}

export function countryName(c: Country, lang: Lang): string {
  return messagesFor(lang).details.country[c];
}
