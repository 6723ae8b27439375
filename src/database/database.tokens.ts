/** Injection token for the application's one `pg` Pool. */
export const PG_POOL = Symbol('PG_POOL');
