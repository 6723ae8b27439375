import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { createAdapter } from '@socket.io/postgres-adapter';
import type { Pool } from 'pg';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PG_POOL } from '../database/database.tokens';
import { WebChatGateway } from '../web-chat/web-chat.gateway';

/** Large packets go through this table (the adapter's own format); NOTIFY payloads are limited to 8 kB. */
const ATTACHMENTS_TABLE = 'socket_io_attachments';

/**
 * Web chat across several app instances: socket.io's PostgreSQL adapter (@socket.io/postgres-adapter) relays
 * every room broadcast through LISTEN/NOTIFY, so a visitor whose tabs (or a room's members) are connected to
 * different instances gets each message once on every socket. On with WEB_CHAT_CLUSTER_ADAPTER=postgres (the
 * default when DATABASE_URL is set). It needs a real PostgreSQL: PGlite, even served over the wire, delivers a
 * notification to the connection that sent it, not to listeners, and its in-process pool has one connection.
 */
@Injectable()
export class WebChatClusterService implements OnApplicationBootstrap {
  private readonly logger = new Logger('WebChatCluster');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.operations.webChatClusterAdapter !== 'postgres') return;
    await this.attach(this.pool);
  }

  /** Installs the adapter on the web chat server, with `pool` for LISTEN/NOTIFY (tests pass their own). */
  async attach(pool: Pool): Promise<boolean> {
    let gateway: WebChatGateway;
    try {
      gateway = this.moduleRef.get(WebChatGateway, { strict: false });
    } catch {
      return false;
    }
    await pool.query(`CREATE TABLE IF NOT EXISTS ${ATTACHMENTS_TABLE} (
      id bigserial PRIMARY KEY,
      created_at timestamptz NOT NULL DEFAULT now(),
      payload bytea
    )`);
    const onLost = (err: Error) =>
      this.logger.warn({ msg: 'web chat cluster adapter: listener connection lost', error: err.message });
    const attached = gateway.useClusterAdapter(
      createAdapter(adapterPool(pool, onLost), {
        tableName: ATTACHMENTS_TABLE,
        errorHandler: (err: Error) =>
          this.logger.warn({ msg: 'web chat cluster adapter error', error: err.message }),
      }),
    );
    if (attached) this.logger.log({ msg: 'web chat cluster adapter: postgres (LISTEN/NOTIFY)' });
    return attached;
  }
}

/**
 * The pool as the adapter (0.5.0) should see it:
 * - It keeps one pooled client for LISTEN; when its connection drops it takes a new one but never releases the
 *   dead one, so each database blip leaks a pool slot, and closing the pool then waits forever. Clients handed
 *   to it release themselves (as broken) when their connection ends. It does not listen for their 'error'
 *   either, which a dropped connection emits before 'end': unheard, it would end the process (unless the pool's
 *   owner added a listener to every client, as openDatabase does), so these clients report it instead.
 * - Each broadcast waits for its NOTIFY before reaching this instance's sockets, and NOTIFYs sent at once run
 *   on different connections and finish in any order: a burst (a streamed reply, a deal room's backlog) then
 *   reached the sockets out of order, here and on the other instances (PostgreSQL 15: 36 to 70 of 300
 *   back-to-back events, test/e2e/ops-scale-out-postgres.e2e.spec.ts). Publishing one NOTIFY (or attachment
 *   insert) at a time keeps each instance's events in the order they were emitted, everywhere. A payload over
 *   8 kB is fetched by the receivers before delivery and may still be overtaken there.
 */
function adapterPool(pool: Pool, onLost: (err: Error) => void): Pool {
  let publishing: Promise<unknown> = Promise.resolve();
  return new Proxy(pool, {
    get(target, prop) {
      if (prop === 'connect') {
        return async () => {
          const client = await target.connect();
          let lost = false;
          client.on('error', (err: Error) => {
            if (!lost) onLost(err);
            lost = true;
          });
          client.once('end', () => {
            try {
              client.release(new Error('connection ended'));
            } catch {
              // already released by the adapter (it was closing)
            }
          });
          return client;
        };
      }
      if (prop === 'query') {
        return (text: string, values?: unknown[]) => {
          if (!/^\s*(SELECT pg_notify|INSERT INTO)\b/i.test(text)) return target.query(text, values);
          const result = publishing.then(() => target.query(text, values));
          publishing = result.catch(() => undefined);
          return result;
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
