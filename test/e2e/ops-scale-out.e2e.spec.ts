import type { RunningApp } from '../../src/bootstrap/start-app';
import { SharedRateLimitRepository } from '../../src/observability/shared-rate-limit.repository';
import { type FakeLineApi, startFakeLineApi } from '../support/fake-line-api';
import {
  LINE_SECRET,
  LINE_TOKEN,
  eventually,
  lineQueuesSettled,
  postWebhook,
  textEvent,
  webhookBody,
} from '../support/line-test-app';
import { type SharedDatabaseInstances, startInstances } from '../support/shared-database-instances';

/**
 * Two app instances sharing one database, as several machines share one PostgreSQL: PGlite served over the
 * wire protocol, each instance with DATABASE_URL pointing at it and its own pg Pool. LINE workers of both
 * instances drain one inbox (FOR UPDATE SKIP LOCKED); a rate limit kept in the database holds across both.
 * Web chat across instances (socket.io's PostgreSQL adapter, on a real PostgreSQL server for LISTEN/NOTIFY):
 * ops-scale-out-postgres.e2e.spec.ts.
 */
describe('scale-out: two instances on one database', () => {
  let fake: FakeLineApi;
  let instances: SharedDatabaseInstances | undefined;
  let apps: RunningApp[] = [];

  beforeAll(async () => {
    fake = await startFakeLineApi();
    instances = await startInstances(2, {
      LINE_CHANNEL_SECRET: LINE_SECRET,
      LINE_CHANNEL_ACCESS_TOKEN: LINE_TOKEN,
      LINE_API_BASE_URL: fake.url,
      LINE_DATA_API_BASE_URL: fake.url,
      LINE_WORKER_POLL_MS: '100',
      LINE_RETRY_BASE_MS: '50',
      LINE_WORKER_CONCURRENCY: '2',
      WEB_CHAT_SECRET: 'scale-out-shared-web-chat-secret-0123456789',
      WEB_CHAT_RATE_BURST: '100',
      // PGlite cannot deliver NOTIFY across connections: web chat across instances has its own spec.
      WEB_CHAT_CLUSTER_ADAPTER: 'none',
      LLM_AUTO_TRANSLATE_PROFILES: 'false',
    });
    apps = instances.apps;
  });
  afterAll(async () => {
    await instances?.close();
    await fake?.close();
  });

  it('LINE webhooks spread over both instances: every event handled and answered once', async () => {
    const [a, b] = apps;
    const users = Array.from({ length: 6 }, (_, i) => `Uscale${i}`);
    const events = Array.from({ length: 48 }, (_, i) =>
      textEvent(users[i % users.length], i % 2 ? 'help' : 'もっと'),
    );
    await Promise.all(
      events.map((e, i) =>
        postWebhook((i % 2 ? a : b).url, webhookBody([e])).then((r) => expect(r.status).toBe(200)),
      ),
    );
    await eventually(() => lineQueuesSettled(a.database), 'both instances drained the inbox', 30_000);
    const { rows } = await a.database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM line_inbox WHERE status = 'done'`,
    );
    const replied = fake
      .calls('reply')
      .filter((r) => r.status === 200)
      .map((r) => String(r.body.replyToken));
    expect([...replied].sort()).toEqual(events.map((e) => String(e.replyToken)).sort());
    expect(new Set(replied).size).toBe(events.length);
    expect(rows[0].n).toBe(events.length);
    process.stdout.write(
      `scale-out LINE: ${events.length} events over 2 instances, processed ${rows[0].n}, ` +
        `answered ${replied.length}, duplicated ${replied.length - new Set(replied).size}\n`,
    );
  });

  it('a rate limit kept in the database holds across instances', async () => {
    const [a, b] = apps;
    const limits = [a, b].map((x) => x.app.get(SharedRateLimitRepository));
    // 10 tokens, refilled at 1 per second: 40 takes at once, half on each instance, let ~10 through in total.
    const decisions = await Promise.all(
      Array.from({ length: 40 }, (_, i) => limits[i % 2].take('llm:typhoon', 10, 1)),
    );
    const allowed = decisions.filter((d) => d.allowed).length;
    expect(allowed).toBeGreaterThanOrEqual(10);
    expect(allowed).toBeLessThanOrEqual(11);
    expect(decisions.find((d) => !d.allowed)?.retryAfterMs).toBeGreaterThan(0);
  });
});
