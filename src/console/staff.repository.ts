import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.tokens';
import { type Queryable, withTransaction } from '../database/transaction';
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
  /**
   * Counts a sign-in attempt before its password is checked, so guesses sent together cannot all be checked
   * (they were: the lock was read before hashing and the failure written after). In one transaction, with the
   * address's row locked: a locked address is refused (`refusedFor` seconds left, nothing counted); otherwise
   * the attempt counts as a failure (a quiet day resets the count) and from `threshold` on the address is locked
   * for base·2^(failures−threshold) seconds, capped (`lockedFor`: what to tell this attempt if it fails). A
   * successful attempt then clears the count. Kept in the database, so every instance shares it.
   */
  async claimSignInAttempt(
    email: string,
    lockout: { threshold: number; baseSeconds: number; maxSeconds: number },
  ): Promise<{ refusedFor: number; lockedFor: number }> {
    return withTransaction(this.pool, async (tx) => {
      await tx.query(
        `INSERT INTO staff_sign_in_failures (email, failures, last_failure_at) VALUES ($1, 0, now())
         ON CONFLICT (email) DO NOTHING`,
        [email],
      );
      const { rows } = await tx.query<{ left: number }>(
        `SELECT coalesce(ceil(extract(epoch FROM locked_until - now())), 0)::int AS left
         FROM staff_sign_in_failures WHERE email = $1 FOR UPDATE`,
        [email],
      );
      if (rows[0].left > 0) return { refusedFor: rows[0].left, lockedFor: 0 };
      const counted = await tx.query<{ lock_seconds: number }>(
        `UPDATE staff_sign_in_failures AS f
         SET failures = n.failures,
           locked_until = CASE WHEN n.failures >= $2 THEN now() + make_interval(secs => least($4::float8,
             $3::float8 * power(2, least(n.failures - $2, 30)))) END,
           last_failure_at = now()
         FROM (SELECT CASE WHEN last_failure_at < now() - interval '1 day' THEN 1 ELSE failures + 1 END AS failures
               FROM staff_sign_in_failures WHERE email = $1) AS n
         WHERE f.email = $1
         RETURNING coalesce(ceil(extract(epoch FROM f.locked_until - now())), 0)::int AS lock_seconds`,
        [email, lockout.threshold, lockout.baseSeconds, lockout.maxSeconds],
      );
      return { refusedFor: 0, lockedFor: counted.rows[0]?.lock_seconds ?? 0 };
    });
  }

  async clearFailures(email: string): Promise<void> {
    await this.pool.query('DELETE FROM staff_sign_in_failures WHERE email = $1', [email]);
  }
}
