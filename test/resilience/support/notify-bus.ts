import { EventEmitter } from 'node:events';
import type { Pool } from 'pg';

/**
 * PostgreSQL's LISTEN/NOTIFY for several app instances in one test process, in front of real pools.
 *
 * Why: PGlite served over the wire (@electric-sql/pglite-socket) runs every connection on one backend, and
 * delivers a notification to the connection that sent it, never to another connection that LISTENs (measured:
 * docs/scaling.md). socket.io's PostgreSQL adapter therefore cannot be exercised against it. This bus keeps
 * everything else real (the adapter's code, its attachment table, the instances' pools over the wire) and
 * replaces only the delivery of notifications, with PostgreSQL's semantics: every session listening on the
 * channel gets each notification once, the sender's own session included.
 *
 * Only the fallback of test/e2e/ops-scale-out-postgres.e2e.spec.ts when PostgreSQL is not installed: that spec
 * runs the adapter on a real PostgreSQL server otherwise. A NOTIFY here is done at once and never lost, so the
 * bus cannot show what a server shows (NOTIFYs finishing out of order, a listener's connection dropping).
 */
export class NotifyBus {
  private readonly emitter = new EventEmitter().setMaxListeners(100);
  notifications = 0;

  /** A Pool-shaped object for `createAdapter(pool)`: NOTIFY and LISTEN go through the bus, the rest to `pool`. */
  wrap(pool: Pool): Pool {
    const emitter = this.emitter;
    const count = () => this.notifications++;
    const query = (text: unknown, params?: unknown[]) => {
      if (typeof text === 'string' && /^\s*SELECT pg_notify\(\$1, \$2\)/i.test(text)) {
        const [channel, payload] = params as [string, string];
        count();
        setImmediate(() => emitter.emit(channel, payload));
        return Promise.resolve({ rows: [], rowCount: 1 });
      }
      return pool.query(text as string, params);
    };
    const connect = () => {
      const session = new EventEmitter();
      const listening = new Map<string, (payload: string) => void>();
      const client = Object.assign(session, {
        query: (text: unknown, params?: unknown[]) => {
          const m = typeof text === 'string' ? /^\s*LISTEN\s+"([^"]+)"/i.exec(text) : null;
          if (m) {
            const channel = m[1];
            if (!listening.has(channel)) {
              const deliver = (payload: string) => session.emit('notification', { channel, payload });
              listening.set(channel, deliver);
              emitter.on(channel, deliver);
            }
            return Promise.resolve({ rows: [] });
          }
          return query(text, params);
        },
        release: () => {
          for (const [channel, deliver] of listening) emitter.off(channel, deliver);
          listening.clear();
        },
      });
      return Promise.resolve(client);
    };
    return { query, connect } as unknown as Pool;
  }
}
