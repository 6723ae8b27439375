/** Injection token for the application's one `pg` Pool. */
export const PG_POOL = Symbol('PG_POOL');

/** Injection token of the database's kind (`embedded` PGlite or a `server`): what maintenance it needs differs. */
export const DATABASE_KIND = Symbol('DATABASE_KIND');
