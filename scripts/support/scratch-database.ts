import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A fresh database on the server of `url`, with pgvector, for one run; dropped by `drop()`. */
export async function scratchDatabase(
  url: string,
  bench: string,
): Promise<{ url: string; version: string; drop(): Promise<void> }> {
  const name = `kakehashi_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  const version = (await admin.query<{ v: string }>(`SELECT split_part(version(), ',', 1) AS v`)).rows[0].v;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  process.stderr.write(`bench:${bench}: scratch database ${name} on ${version}\n`);
  return {
    url: target.toString(),
    version: `PostgreSQL server (${version})`,
    async drop() {
      const c = new Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
