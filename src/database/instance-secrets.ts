import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';

/**
 * The product's own key called `name`, made on first use and kept in the database. Two instances starting at once
 * both try to insert; the first wins and both read its value, so they sign and check with the same key.
 */
export async function instanceSecret(pool: Pool, name: string): Promise<string> {
  await pool.query(
    'INSERT INTO instance_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
    [name, randomBytes(32).toString('hex')],
  );
  const { rows } = await pool.query<{ value: string }>('SELECT value FROM instance_secrets WHERE name = $1', [
    name,
  ]);
  return rows[0].value;
}
