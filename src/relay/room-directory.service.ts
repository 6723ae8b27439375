import { Injectable } from '@nestjs/common';
import type { Lang, LocalizedText } from '../companies/company-profile.schema';
import { CompanyRepository } from '../companies/company.repository';
import { nameIn } from '../conversation/reply-builder';
import type { Side } from './room.repository';

const TTL_MS = 5 * 60_000;

/**
 * Company names of rooms' sides, in every language the profile has, cached for a few minutes: every relayed
 * message is labelled with its sender's company in the reader's language, and names rarely change.
 */
@Injectable()
export class RoomDirectory {
  private readonly cache = new Map<string, { names?: LocalizedText; at: number }>();

  constructor(private readonly companies: CompanyRepository) {}

  async load(externalIds: Array<string | undefined>): Promise<void> {
    const now = Date.now();
    const wanted = [...new Set(externalIds.filter((id): id is string => !!id))].filter(
      (id) => (this.cache.get(id)?.at ?? 0) + TTL_MS < now,
    );
    if (wanted.length === 0) return;
    const found = await this.companies.findManyByExternalIds(wanted);
    for (const id of wanted) this.cache.set(id, { names: found.get(id)?.names, at: now });
  }

  name(externalId: string | undefined, lang: Lang): string | undefined {
    if (!externalId) return undefined;
    const names = this.cache.get(externalId)?.names;
    return names ? nameIn(names, lang, externalId) : undefined;
  }

  /** A `companyName(side, lang)` for rendering a room (load() its companies first). */
  namer(room: { aCompany?: string; bCompany: string }): (side: Side, lang: Lang) => string | undefined {
    return (side, lang) => this.name(side === 'a' ? room.aCompany : room.bCompany, lang);
  }
}
