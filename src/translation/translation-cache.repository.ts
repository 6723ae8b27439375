import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.tokens';
import type { AppliedTerm } from '../glossary/glossary-matcher';
import type { Violation } from './translation-checks';

export interface CachedTranslation {
  translation: string;
  model: string;
  termsApplied: AppliedTerm[];
  violations: Violation[];
}

export interface CacheEntry extends CachedTranslation {
  key: string;
  sourceLang: string;
  targetLang: string;
  promptVersion: string;
  glossaryVersion: number;
}

/** The translation cache table. Keys are hashes; the source text is not stored. */
@Injectable()
export class TranslationCacheRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async get(key: string): Promise<CachedTranslation | undefined> {
    const { rows } = await this.pool.query<{
      translation: string;
      model: string;
      terms_applied: AppliedTerm[];
      violations: Violation[];
    }>('SELECT translation, model, terms_applied, violations FROM translation_cache WHERE cache_key = $1', [
      key,
    ]);
    const r = rows[0];
    return r
      ? {
          translation: r.translation,
          model: r.model,
          termsApplied: r.terms_applied,
          violations: r.violations,
        }
      : undefined;
  }

  async put(e: CacheEntry): Promise<void> {
    await this.pool.query(
      `INSERT INTO translation_cache (cache_key, source_lang, target_lang, translation, model, prompt_version,
         glossary_version, terms_applied, violations)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (cache_key) DO NOTHING`,
      [
        e.key,
        e.sourceLang,
        e.targetLang,
        e.translation,
        e.model,
        e.promptVersion,
        e.glossaryVersion,
        JSON.stringify(e.termsApplied),
        JSON.stringify(e.violations),
      ],
    );
  }

  /** Adds hits counted in memory since the last flush. */
  async addHits(hits: Map<string, number>): Promise<void> {
    if (hits.size === 0) return;
    await this.pool.query(
      `UPDATE translation_cache c SET hits = c.hits + x.n, last_hit_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS x(k text, n integer) WHERE c.cache_key = x.k`,
      [JSON.stringify([...hits].map(([k, n]) => ({ k, n })))],
    );
  }

  async stats(): Promise<{ entries: number; hits: number }> {
    const { rows } = await this.pool.query<{ entries: string; hits: string | null }>(
      'SELECT count(*) AS entries, sum(hits) AS hits FROM translation_cache',
    );
    return { entries: Number(rows[0].entries), hits: Number(rows[0].hits ?? 0) };
  }
}
