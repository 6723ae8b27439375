import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.tokens';
import type { Role } from './principal';

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export interface ApiTokenRow {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

@Injectable()
export class ApiTokenRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Creates a token and returns it in clear: the only time it is ever visible. */
  async create(name: string, role: Role): Promise<{ id: string; token: string }> {
    const token = `kkh_${randomBytes(32).toString('base64url')}`;
    const { rows } = await this.pool.query<{ id: string }>(
      'INSERT INTO api_tokens (name, role, token_hash) VALUES ($1, $2, $3) RETURNING id',
      [name, role, hashToken(token)],
    );
    return { id: rows[0].id, token };
  }

  async findActiveByToken(token: string): Promise<{ id: string; name: string; role: Role } | undefined> {
    const { rows } = await this.pool.query<{ id: string; name: string; role: Role }>(
      'SELECT id, name, role FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL',
      [hashToken(token)],
    );
    return rows[0];
  }

  async touch(id: string): Promise<void> {
    await this.pool.query(
      `UPDATE api_tokens SET last_used_at = now() WHERE id = $1
       AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }

  async list(): Promise<ApiTokenRow[]> {
    const { rows } = await this.pool.query<{
      id: string;
      name: string;
      role: Role;
      created_at: Date;
      last_used_at: Date | null;
      revoked_at: Date | null;
    }>('SELECT id, name, role, created_at, last_used_at, revoked_at FROM api_tokens ORDER BY created_at');
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      role: r.role,
      createdAt: r.created_at.toISOString(),
      lastUsedAt: r.last_used_at?.toISOString() ?? null,
      revokedAt: r.revoked_at?.toISOString() ?? null,
    }));
  }

  async revoke(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
      [id],
    );
    return (rowCount ?? 0) > 0;
  }
}
