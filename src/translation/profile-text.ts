import type { PublicProfile } from '../companies/company.model';
import type { Lang } from '../config/app-config';

/**
 * A company's public profile as plain text for a prompt. Built only from PublicProfile, which has no contact
 * fields: contact data lives in company_contacts and is never read on this path.
 */
export function profileAsText(p: PublicProfile, lang: Lang): string {
  const pick = <T>(v: Partial<Record<Lang, T>> | undefined): T | undefined =>
    v ? (v[lang] ?? v.en ?? v.ja ?? v.th) : undefined;
  const lines: string[] = [];
  const names = Object.values(p.names).filter(Boolean);
  if (names.length) lines.push(`Name: ${[...new Set(names)].join(' / ')}`);
  lines.push(`Country: ${p.country === 'JP' ? 'Japan' : 'Thailand'}`);
  const industries = p.industries
    .map((i) => pick(i.label) ?? (i.code ? `${i.scheme} ${i.code}` : undefined))
    .filter(Boolean);
  if (industries.length) lines.push(`Industries: ${industries.join(', ')}`);
  const location = pick(p.location);
  if (location) lines.push(`Location: ${location}`);
  const summary = pick(p.summary);
  if (summary) lines.push(`Summary: ${summary}`);
  const description = pick(p.description);
  if (description) lines.push(`Description: ${description}`);
  const offerings = pick(p.offerings);
  if (offerings?.length) lines.push(`Offers: ${offerings.join('; ')}`);
  const seeking = pick(p.seeking);
  if (seeking?.length) lines.push(`Seeks: ${seeking.join('; ')}`);
  if (p.partnershipTypes.length) lines.push(`Partnership types: ${p.partnershipTypes.join(', ')}`);
  if (p.employees !== undefined) lines.push(`Employees: ${p.employees}`);
  if (p.foundedYear !== undefined) lines.push(`Founded: ${p.foundedYear}`);
  if (p.certifications.length) lines.push(`Certifications: ${p.certifications.join(', ')}`);
  return lines.join('\n');
}
