import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.tokens';

export interface RateDecision {
  allowed: boolean;
  /** Tokens left after this take (allowed), or available now (refused). */
  tokens: number;
  /** When refused: how long until `cost` tokens are there again. */
  retryAfterMs: number;
}

/**
 * Token buckets in the database (table rate_limit_buckets), so a limit holds across every app instance:
 * a model provider's requests per second (Typhoon: 5 for the whole deployment, not per instance), a visitor's
 * messages whichever instance their sockets reach. One statement per granted take (a second reads the bucket
 * for a refusal's wait); the row lock of INSERT … ON CONFLICT DO UPDATE serializes concurrent takes of one key,
 * across instances.
 */
@Injectable()
export class SharedRateLimitRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async take(key: string, capacity: number, refillPerSecond: number, cost = 1): Promise<RateDecision> {
    const taken = await this.pool.query<{ tokens: number }>(
      `INSERT INTO rate_limit_buckets AS b (key, tokens, updated_at) VALUES ($1, $2::float8 - $4::float8, now())
       ON CONFLICT (key) DO UPDATE SET
         tokens = least($2::float8, b.tokens + extract(epoch FROM now() - b.updated_at) * $3::float8) - $4::float8,
         updated_at = now()
       WHERE least($2::float8, b.tokens + extract(epoch FROM now() - b.updated_at) * $3::float8) >= $4::float8
       RETURNING tokens`,
      [key, capacity, refillPerSecond, cost],
    );
    if (taken.rows[0]) return { allowed: true, tokens: taken.rows[0].tokens, retryAfterMs: 0 };
    // Refused. The bucket is read in a statement of its own: the one above sees the table as it was when it
    // began, before the concurrent take that emptied the bucket committed (found on a real server: 40 takes at
    // once, some refused with "retry after 0 ms"); a new statement sees that take.
    const { rows } = await this.pool.query<{ tokens: number }>(
      `SELECT least($2::float8, tokens + extract(epoch FROM now() - updated_at) * $3::float8) AS tokens
       FROM rate_limit_buckets WHERE key = $1`,
      [key, capacity, refillPerSecond],
    );
    const tokens = rows[0]?.tokens ?? 0;
    const wait = (Math.max(0, cost - tokens) / Math.max(refillPerSecond, 1e-9)) * 1000;
    // A refusal always asks for some wait, even if the bucket refilled in between.
    return { allowed: false, tokens, retryAfterMs: Math.max(1, Math.ceil(wait)) };
  }

  /**
   * Deletes the buckets under `keyPrefix` untouched for `idleSeconds`. A missing bucket starts full, so with
   * `idleSeconds` at least the time a bucket needs to refill completely this changes no decision; it only keeps
   * one-off keys (a visitor's) from piling up. A take racing the delete is safe: the row is re-checked under
   * its lock. Returns the number of rows deleted.
   */
  async purgeIdle(keyPrefix: string, idleSeconds: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM rate_limit_buckets
       WHERE starts_with(key, $1) AND updated_at < now() - $2::float8 * interval '1 second'`,
      [keyPrefix, idleSeconds],
    );
    return rowCount ?? 0;
  }
}
