import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.tokens';
import type { Queryable } from '../database/transaction';
import type { StaffRole, UiLang } from './console.types';

export interface StaffAccount {
  id: string;
  email: string;
  displayName: string;
  role: StaffRole;
  uiLang: UiLang;
  disabled: boolean;
  lastSignInAt: string | null;
  createdAt: string;
  updatedAt: string;
}

interface StaffRow {
  id: string;
  email: string;
  display_name: string;
  role: StaffRole;
  ui_lang: UiLang;
  disabled_at: Date | null;
  last_sign_in_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'id, email, display_name, role, ui_lang, disabled_at, last_sign_in_at, created_at, updated_at';

const toAccount = (r: StaffRow): StaffAccount => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  uiLang: r.ui_lang,
  disabled: r.disabled_at !== null,
  lastSignInAt: r.last_sign_in_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export interface StaffChanges {
  displayName?: string;
  role?: StaffRole;
  disabled?: boolean;
  passwordHash?: string;
  uiLang?: UiLang;
}

/** Staff accounts and the sign-in failure counters behind lockout. Password hashes never leave this file. */
@Injectable()
export class StaffRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async create(
    db: Queryable,
    account: { email: string; displayName: string; role: StaffRole; passwordHash: string },
  ): Promise<StaffAccount> {
    const { rows } = await db.query<StaffRow>(
      `INSERT INTO staff_accounts (email, display_name, role, password_hash) VALUES ($1, $2, $3, $4)
       RETURNING ${COLUMNS}`,
      [account.email, account.displayName, account.role, account.passwordHash],
    );
    return toAccount(rows[0]);
  }

  async findById(
    id: string,
    db: Queryable = this.pool,
    forUpdate = false,
  ): Promise<StaffAccount | undefined> {
    const { rows } = await db.query<StaffRow>(
      `SELECT ${COLUMNS} FROM staff_accounts WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? toAccount(rows[0]) : undefined;
  }

  async existsByEmail(email: string, db: Queryable = this.pool): Promise<boolean> {
    const { rows } = await db.query('SELECT 1 FROM staff_accounts WHERE email = $1', [email]);
    return rows.length > 0;
  }

  /** The account and its hash, for sign-in only. */
  async findCredentials(email: string): Promise<{ account: StaffAccount; passwordHash: string } | undefined> {
    const { rows } = await this.pool.query<StaffRow & { password_hash: string }>(
      `SELECT ${COLUMNS}, password_hash FROM staff_accounts WHERE email = $1`,
      [email],
    );
    return rows[0] ? { account: toAccount(rows[0]), passwordHash: rows[0].password_hash } : undefined;
  }

  async list(): Promise<StaffAccount[]> {
    const { rows } = await this.pool.query<StaffRow>(`SELECT ${COLUMNS} FROM staff_accounts ORDER BY email`);
    return rows.map(toAccount);
  }

  async countActiveAdmins(db: Queryable = this.pool): Promise<number> {
    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM staff_accounts WHERE role = 'admin' AND disabled_at IS NULL`,
    );
    return Number(rows[0].n);
  }

  async update(db: Queryable, id: string, changes: StaffChanges): Promise<StaffAccount> {
    const { rows } = await db.query<StaffRow>(
      `UPDATE staff_accounts SET
         display_name = coalesce($2, display_name),
         role = coalesce($3, role),
         disabled_at = CASE WHEN $4::boolean IS NULL THEN disabled_at
                            WHEN $4::boolean THEN coalesce(disabled_at, now()) ELSE NULL END,
         password_hash = coalesce($5, password_hash),
         ui_lang = coalesce($6, ui_lang),
         updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        id,
        changes.displayName ?? null,
        changes.role ?? null,
        changes.disabled ?? null,
        changes.passwordHash ?? null,
        changes.uiLang ?? null,
      ],
    );
    return toAccount(rows[0]);
  }

  async markSignedIn(id: string): Promise<void> {
    await this.pool.query('UPDATE staff_accounts SET last_sign_in_at = now() WHERE id = $1', [id]);
  }

  /** Current lock on an e-mail address, if any (seconds left). */
  async lockedFor(email: string): Promise<number> {
    const { rows } = await this.pool.query<{ left: number | null }>(
      `SELECT ceil(extract(epoch FROM locked_until - now()))::int AS left FROM staff_sign_in_failures
       WHERE email = $1 AND locked_until > now()`,
      [email],
    );
    return rows[0]?.left ?? 0;
  }

  /**
   * Counts one more failure (a quiet day resets the count) and, from `threshold` on, locks the address for
   * base·2^(failures−threshold) seconds, capped. Returns the lock length in seconds (0 = not locked).
   */
  async recordFailure(
    email: string,
    lockout: { threshold: number; baseSeconds: number; maxSeconds: number },
  ): Promise<number> {
    // The lock is computed from the new count in the same statement, so concurrent failures cannot race.
    const lockFor = (n: string) =>
      `CASE WHEN ${n} >= $2 THEN now() + make_interval(secs => least($4::float8,
         $3::float8 * power(2, least(${n} - $2, 30)))) END`;
    const next = `CASE WHEN f.last_failure_at < now() - interval '1 day' THEN 1 ELSE f.failures + 1 END`;
    const { rows } = await this.pool.query<{ lock_seconds: number }>(
      `INSERT INTO staff_sign_in_failures AS f (email, failures, locked_until, last_failure_at)
       VALUES ($1, 1, ${lockFor('1')}, now())
       ON CONFLICT (email) DO UPDATE SET failures = ${next}, locked_until = ${lockFor(next)},
         last_failure_at = now()
       RETURNING coalesce(ceil(extract(epoch FROM f.locked_until - now())), 0)::int AS lock_seconds`,
      [email, lockout.threshold, lockout.baseSeconds, lockout.maxSeconds],
    );
    return rows[0]?.lock_seconds ?? 0;
  }

  async clearFailures(email: string): Promise<void> {
    await this.pool.query('DELETE FROM staff_sign_in_failures WHERE email = $1', [email]);
  }
}
