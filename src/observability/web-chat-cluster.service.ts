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
    const attached = gateway.useClusterAdapter(
      createAdapter(releasingDeadClients(pool), {
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
 * The adapter (0.5.0) keeps one pooled client for LISTEN; when its connection drops it takes a new one but
 * never releases the dead one, so each database blip leaks a pool slot, and closing the pool then waits
 * forever. This view of the pool hands the adapter clients that release themselves (as broken) when their
 * connection ends.
 */
function releasingDeadClients(pool: Pool): Pool {
  return new Proxy(pool, {
    get(target, prop) {
      if (prop === 'connect') {
        return async () => {
          const client = await target.connect();
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
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
