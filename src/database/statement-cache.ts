import { createHash } from 'node:crypto';
import type { ClientBase, QueryConfig } from 'pg';

/** Distinct statements prepared per database session; past this, new texts run unnamed (still correct). */
export const MAX_PREPARED_STATEMENTS = 400;

/**
 * Makes `client` send every parameterised statement as a named prepared statement, so the embedded database
 * parses and analyses each SQL text once instead of on every call. On PGlite that work runs on the app's own
 * thread for every query; a chat turn's three statements spent about a third of their time on it
 * (`npm run bench:chat`).
 *
 * Only for the in-process PGlite pool: it has one session, and its connection object (which remembers what was
 * prepared) outlives pool clients. Over the wire, PGlite serves every connection from one backend, so two
 * connections preparing the same name would collide; real servers get the plain statements.
 *
 * Statements without parameters (BEGIN, SET LOCAL …) keep the simple protocol. Plans are still made for each
 * call's values (the embedded session runs with `plan_cache_mode = force_custom_plan`, see embedded-postgres.ts),
 * so what is saved is parsing and analysis, not planning.
 */
export function prepareStatementsOn(client: ClientBase, cache = new Map<string, string>()): void {
  const send = client.query.bind(client) as (...args: unknown[]) => unknown;
  const named = (text: string, values: unknown[]): QueryConfig | undefined => {
    let name = cache.get(text);
    if (!name) {
      if (cache.size >= MAX_PREPARED_STATEMENTS) return undefined;
      name = `k_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
      cache.set(text, name);
    }
    return { name, text, values };
  };
  const query = (...args: unknown[]): unknown => {
    const [first, second] = args;
    if (typeof first === 'string' && Array.isArray(second)) {
      const config = named(first, second);
      if (config) return send(config, ...args.slice(2));
    }
    return send(...args);
  };
  (client as { query: unknown }).query = query;
}
