import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Lang } from '../companies/company-profile.schema';
import { PG_POOL } from '../database/database.tokens';

export interface LineUserState {
  active: boolean;
  profileLanguage?: string;
  profileCheckedAt?: Date;
  replyLang?: Lang;
}

/**
 * What LINE tells us about its users and groups: following or not (follow/unfollow), the profile language
 * (fetched at most once a day), the language the bot last answered in, groups the bot is in (join/leave).
 * Messages themselves are stored by the conversation engine.
 */
@Injectable()
export class LineStateRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async getUser(userId: string): Promise<LineUserState | undefined> {
    const { rows } = await this.pool.query<{
      active: boolean;
      profile_language: string | null;
      profile_checked_at: Date | null;
      reply_lang: Lang | null;
    }>('SELECT active, profile_language, profile_checked_at, reply_lang FROM line_users WHERE user_id = $1', [
      userId,
    ]);
    const r = rows[0];
    if (!r) return undefined;
    return {
      active: r.active,
      profileLanguage: r.profile_language ?? undefined,
      profileCheckedAt: r.profile_checked_at ?? undefined,
      replyLang: r.reply_lang ?? undefined,
    };
  }

  /** Records the profile language LINE gave (or that it gave none: no consent, or no profile). */
  async saveProfileLanguage(userId: string, language: string | undefined): Promise<void> {
    await this.pool.query(
      `INSERT INTO line_users (user_id, profile_language, profile_checked_at) VALUES ($1, $2, now())
       ON CONFLICT (user_id) DO UPDATE
         SET profile_language = EXCLUDED.profile_language, profile_checked_at = now(), updated_at = now()`,
      [userId, language ?? null],
    );
  }

  async setFollowing(userId: string, following: boolean, at: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO line_users (user_id, active, followed_at, unfollowed_at)
       VALUES ($1, $2, CASE WHEN $2 THEN $3::timestamptz END, CASE WHEN $2 THEN NULL ELSE $3::timestamptz END)
       ON CONFLICT (user_id) DO UPDATE
         SET active = $2,
             followed_at = CASE WHEN $2 THEN $3::timestamptz ELSE line_users.followed_at END,
             unfollowed_at = CASE WHEN $2 THEN line_users.unfollowed_at ELSE $3::timestamptz END,
             updated_at = now()`,
      [userId, following, at.toISOString()],
    );
  }

  /** The language the bot last answered in: notes (sticker, image…) are written in it. */
  async saveReplyLang(userId: string, lang: Lang): Promise<void> {
    await this.pool.query(
      `INSERT INTO line_users (user_id, reply_lang) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET reply_lang = $2, updated_at = now()
       WHERE line_users.reply_lang IS DISTINCT FROM $2`,
      [userId, lang],
    );
  }

  async setGroupMembership(
    groupId: string,
    kind: 'group' | 'room',
    member: boolean,
    at: Date,
  ): Promise<void> {
    await this.pool.query(
      `INSERT INTO line_groups (group_id, kind, active, joined_at, left_at)
       VALUES ($1, $2, $3, CASE WHEN $3 THEN $4::timestamptz END, CASE WHEN $3 THEN NULL ELSE $4::timestamptz END)
       ON CONFLICT (group_id) DO UPDATE
         SET active = $3,
             joined_at = CASE WHEN $3 THEN $4::timestamptz ELSE line_groups.joined_at END,
             left_at = CASE WHEN $3 THEN line_groups.left_at ELSE $4::timestamptz END,
             updated_at = now()`,
      [groupId, kind, member, at.toISOString()],
    );
  }
}
