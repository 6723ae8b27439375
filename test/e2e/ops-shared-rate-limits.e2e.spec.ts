import type { RunningApp } from '../../src/bootstrap/start-app';
import { LlmService } from '../../src/llm/llm.service';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../support/fake-openai-server';
import { type SharedDatabaseInstances, startInstances } from '../support/shared-database-instances';
import { type ChatClient, connectChat, createSession } from '../support/web-chat-client';

/**
 * Limits that must hold for the whole deployment, with two app instances on one database (PGlite served over the
 * wire protocol, DATABASE_URL pointing at it, so RATE_LIMIT_STORE=auto keeps the buckets in the database):
 * a model provider's requests per second across both instances, and a web chat visitor's message rate
 * whichever instance each of their tabs is connected to.
 */
describe('scale-out: rate limits shared by two instances', () => {
  let fake: FakeOpenAiServer;
  let instances: SharedDatabaseInstances | undefined;
  let apps: RunningApp[] = [];
  const RATE = 5;

  beforeAll(async () => {
    fake = await startFakeOpenAiServer();
    instances = await startInstances(2, {
      WEB_CHAT_SECRET: 'shared-limits-web-chat-secret-0123456789',
      WEB_CHAT_CLUSTER_ADAPTER: 'none',
      WEB_CHAT_RATE_BURST: '3',
      WEB_CHAT_RATE_PER_MINUTE: '6',
      WEB_CHAT_FLOOD_STRIKES: '100',
      LLM_BASE_URL: fake.url + '/v1',
      LLM_MODEL: 'typhoon-fake',
      LLM_MAX_REQUESTS_PER_SECOND: String(RATE),
      LLM_CONCURRENCY: '8',
      LLM_AUTO_TRANSLATE_PROFILES: 'false',
    });
    apps = instances.apps;
  });
  afterAll(async () => {
    await instances?.close();
    await fake?.close();
  });

  it(`a burst of 20 model calls over both instances reaches the provider at ${RATE}/s, none failing`, async () => {
    const vars = { target_language: 'English', profile: 'Name: Acme' };
    // Warm up each instance's client and connections (so the first requests of the burst are not slower than
    // the rest), then let the bucket fill up again.
    for (const app of apps) await app.app.get(LlmService).complete('summarize-profile', vars);
    await new Promise((r) => setTimeout(r, 400));
    fake.reset();
    const t0 = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        apps[i % 2].app.get(LlmService).complete('summarize-profile', vars),
      ),
    );
    const elapsed = Date.now() - t0;
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const seen = fake
      .chatRequests()
      .map((r) => r.receivedAt)
      .sort((a, b) => a - b);
    expect(seen).toHaveLength(20);
    // The bucket holds 1 and refills at 5/s: at most 1 + 5·(b − a)/1000 requests may arrive in any window [a, b],
    // so never more than 5 in a second. SLACK_MS (one request's worth) allows for the trips from the bucket to the
    // server differing between requests.
    const SLACK_MS = 1000 / RATE;
    let worst = -Infinity;
    let busiestSecond = 0;
    for (let i = 0; i < seen.length; i++) {
      busiestSecond = Math.max(busiestSecond, seen.filter((t) => t >= seen[i] && t < seen[i] + 1000).length);
      for (let j = i; j < seen.length; j++)
        worst = Math.max(worst, j - i + 1 - (1 + (RATE * (seen[j] - seen[i] + SLACK_MS)) / 1000));
    }
    expect(worst).toBeLessThanOrEqual(0);
    expect(busiestSecond).toBeLessThanOrEqual(RATE + 1);
    // 19 requests after the first need 3.8 s at 5/s.
    expect(seen[19] - seen[0]).toBeGreaterThanOrEqual(3800 - SLACK_MS);
    const { rows } = await apps[0].database.pool.query<{ key: string }>(
      `SELECT key FROM rate_limit_buckets WHERE key LIKE 'llm:%'`,
    );
    expect(rows.map((r) => r.key)).toEqual([`llm:${fake.url}/v1|typhoon-fake`]);
    process.stdout.write(
      `shared LLM rate limit: 20 calls over 2 instances at ${RATE}/s → 20 answered, 0 failed, provider saw ` +
        `${seen.length} requests over ${seen[19] - seen[0]} ms, busiest second ${busiestSecond}, ` +
        `total ${elapsed} ms\n`,
    );
  });

  it("a visitor's message rate holds across their tabs on different instances", async () => {
    const [a, b] = apps;
    const session = await createSession(a.url, { lang: 'en' });
    const other = await createSession(b.url, { lang: 'en' });
    const clients: ChatClient[] = [];
    try {
      const onA = await connectChat(a.url, { token: session.token });
      const onB = await connectChat(b.url, { token: session.token });
      const otherOnB = await connectChat(b.url, { token: other.token });
      clients.push(onA, onB, otherOnB);
      const acks = [];
      // Burst 3 for the visitor, not per socket: 2 on A and 1 on B pass, the next (on either) is throttled.
      for (const tab of [onA, onB, onA, onB, onA])
        acks.push(await tab.request('postback', { data: 'action=help' }));
      expect(acks.map((x: { ok: boolean }) => x.ok)).toEqual([true, true, true, false, false]);
      expect(acks[3]).toMatchObject({ ok: false, error: 'rate-limited' });
      // Another visitor on the same instance is not affected.
      expect(await otherOnB.request('postback', { data: 'action=help' })).toMatchObject({ ok: true });
      const { rows } = await a.database.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM rate_limit_buckets WHERE key LIKE 'web-chat:visitor:%'`,
      );
      expect(rows[0].n).toBe(2);
    } finally {
      for (const c of clients) c.close();
    }
  });
});
