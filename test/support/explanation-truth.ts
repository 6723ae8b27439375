import { type PublicProfile, withProfileDefaults } from '../../src/companies/company.model';
import { LANGS } from '../../src/companies/company-profile.schema';
import type { Lexicon } from '../../src/matching/lexicon/lexicon';
import type { MatchItem } from '../../src/matching/match.service';
import { readProfileBusinesses } from '../../src/matching/taxonomy/profile-businesses';

type DatasetProfile = Partial<PublicProfile> & { externalId: string; country: 'JP' | 'TH' };

/**
 * What an explanation may name, worked out again from the profile as it was imported (not from what the index
 * stored): the concepts its public text or curated industries hold, and the kinds of business its text or its
 * curated codes give. Returns one line per thing an explanation names that the profile does not say. (The
 * explanation is written from matchedBusinesses and matchedConcepts only, so checking them checks it.)
 */
export function untruthfulClaims(item: MatchItem, profile: DatasetProfile, lexicon: Lexicon): string[] {
  const texts: string[] = [];
  for (const lang of LANGS) {
    for (const field of ['summary', 'description', 'location'] as const) {
      const v = profile[field]?.[lang];
      if (v) texts.push(v);
    }
    for (const field of ['offerings', 'seeking'] as const) texts.push(...(profile[field]?.[lang] ?? []));
    for (const industry of profile.industries ?? []) {
      const label = industry.label?.[lang];
      if (label) texts.push(label);
    }
  }
  texts.push(...(profile.certifications ?? []));
  const said = new Set(texts.flatMap((t) => lexicon.find(t).map((h) => h.conceptId)));
  for (const industry of profile.industries ?? [])
    if (industry.code) for (const c of lexicon.byCode(industry.scheme, industry.code)) said.add(c.id);
  for (const type of profile.partnershipTypes ?? []) {
    const c = lexicon.partnershipConcept(type);
    if (c) said.add(c.id);
  }
  const businesses = new Set(readProfileBusinesses(withProfileDefaults(profile), lexicon).map((b) => b.code));
  const problems: string[] = [];
  for (const c of item.matchedConcepts)
    if (!said.has(c.id))
      problems.push(`${item.externalId}: concept ${c.id} (${c.label}) is not in its profile`);
  for (const b of item.matchedBusinesses)
    if (!businesses.has(b.code))
      problems.push(`${item.externalId}: business ${b.code} (${b.label}) is not read from its profile`);
  return problems;
}
