import type { Lang } from '../companies/company-profile.schema';
import { detectLanguage } from '../language';

/**
 * The language a chat message is written in, when that is clear; undefined otherwise (a lone Latin word such
 * as "OK" or a brand name, an emoji): such a message is relayed untouched to every reader.
 */
export function languageOf(text: string): Lang | undefined {
  const d = detectLanguage(text);
  if (d.lang === 'und' || d.confidence < 0.5) return undefined;
  if (d.lang === 'en' && !/[a-z]{2,}[^a-z]+[a-z]{2,}/i.test(text)) return undefined;
  return d.lang;
}
