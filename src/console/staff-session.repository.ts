import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.tokens';
import type { Queryable } from '../database/transaction';
import type { StaffRole, UiLang } from './console.types';

/** A live session joined with the account it belongs to (a disabled account has no live session). */
export interface LiveSession {
  sessionId: string;
  csrfToken: string;
  expiresAt: string;
  staff: { id: string; email: string; displayName: string; role: StaffRole; uiLang: UiLang };
  /** Whether last_seen_at is old enough to be worth refreshing (written at most once a minute). */
  stale: boolean;
}

/** Sessions live in the database so every instance sees them and revoking one takes effect at once. */
@Injectable()
export class StaffSessionRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async create(session: {
    staffId: string;
    tokenHash: string;
    csrfToken: string;
    ttlSeconds: number;
    userAgent?: string;
    ip?: string;
  }): Promise<{ id: string; expiresAt: string }> {
    const { rows } = await this.pool.query<{ id: string; expires_at: Date }>(
      `INSERT INTO staff_sessions (staff_id, token_hash, csrf_token, user_agent, ip, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6)) RETURNING id, expires_at`,
      [
        session.staffId,
        session.tokenHash,
        session.csrfToken,
        session.userAgent?.slice(0, 300) ?? null,
        session.ip ?? null,
        session.ttlSeconds,
      ],
    );
    return { id: rows[0].id, expiresAt: rows[0].expires_at.toISOString() };
  }

  async findLive(tokenHash: string, idleSeconds: number): Promise<LiveSession | undefined> {
    const { rows } = await this.pool.query<{
      id: string;
      csrf_token: string;
      expires_at: Date;
      stale: boolean;
      staff_id: string;
      email: string;
      display_name: string;
      role: StaffRole;
      ui_lang: UiLang;
    }>(
      `SELECT s.id, s.csrf_token, s.expires_at, s.last_seen_at < now() - interval '1 minute' AS stale,
         a.id AS staff_id, a.email, a.display_name, a.role, a.ui_lang
       FROM staff_sessions s JOIN staff_accounts a ON a.id = s.staff_id
       WHERE s.token_hash = $1 AND s.expires_at > now()
         AND s.last_seen_at > now() - make_interval(secs => $2) AND a.disabled_at IS NULL`,
      [tokenHash, idleSeconds],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      sessionId: r.id,
      csrfToken: r.csrf_token,
      expiresAt: r.expires_at.toISOString(),
      stale: r.stale,
      staff: { id: r.staff_id, email: r.email, displayName: r.display_name, role: r.role, uiLang: r.ui_lang },
    };
  }

  async touch(sessionId: string): Promise<void> {
    await this.pool.query('UPDATE staff_sessions SET last_seen_at = now() WHERE id = $1', [sessionId]);
  }

  async delete(sessionId: string): Promise<void> {
    await this.pool.query('DELETE FROM staff_sessions WHERE id = $1', [sessionId]);
  }

  /** Sign out everywhere: every session of the account, on every device. Returns how many ended. */
  async deleteAllFor(staffId: string, db: Queryable = this.pool): Promise<number> {
    const { rowCount } = await db.query('DELETE FROM staff_sessions WHERE staff_id = $1', [staffId]);
    return rowCount ?? 0;
  }

  async countLiveFor(staffId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM staff_sessions WHERE staff_id = $1 AND expires_at > now()',
      [staffId],
    );
    return Number(rows[0].n);
  }

  /** Expired sessions are useless rows; removed opportunistically at sign-in. */
  async deleteExpired(): Promise<void> {
    await this.pool.query('DELETE FROM staff_sessions WHERE expires_at < now()');
  }
}
