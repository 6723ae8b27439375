import { Client, Pool } from 'pg';
import type { RunningApp } from '../../src/bootstrap/start-app';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { WebChatClusterService } from '../../src/observability/web-chat-cluster.service';
import { RelayWebSink } from '../../src/relay/relay-web.sink';
import { verifyVisitorToken } from '../../src/web-chat/visitor-token';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../support/fake-openai-server';
import { eventually } from '../support/line-test-app';
import { type PostgresServer, postgresAvailable, startPostgresServer } from '../support/postgres-server';
import { WEB_CHAT_SECRET, openWebRoom, relayEnv, relayModel, sleep, widgetUser } from '../support/relay-kit';
import { type SharedDatabaseInstances, startInstances } from '../support/shared-database-instances';
import { type ChatClient, connectChat, createSession } from '../support/web-chat-client';
import { NotifyBus } from '../resilience/support/notify-bus';

/**
 * Web chat across two app instances, through socket.io's PostgreSQL adapter (LISTEN/NOTIFY), as users notice
 * it: a visitor's tabs, and the members of a deal room, connected to different instances each get every
 * message exactly once; a burst of events (a streamed reply) arrives in order everywhere; after a database
 * blip the adapter listens again and delivery across instances resumes.
 *
 * The data path is the one of test/e2e/ops-scale-out.e2e.spec.ts: both instances share one PGlite served over
 * the wire. PGlite cannot deliver a NOTIFY to another connection, so the adapter's pub/sub runs on a real
 * PostgreSQL server started for this spec (test/support/postgres-server.ts: Debian's `postgresql` package),
 * each instance with its own pool to it, as in production. Without PostgreSQL installed it falls back to an
 * in-process stand-in with PostgreSQL's semantics (test/resilience/support/notify-bus.ts) and skips the
 * database-blip test; KAKEHASHI_REQUIRE_POSTGRES=1 (.ci/run) makes a missing PostgreSQL an error.
 */
const realPostgres = postgresAvailable();

describe('scale-out web chat: two instances, socket.io PostgreSQL adapter', () => {
  let llm: FakeOpenAiServer;
  let pg: PostgresServer | null = null;
  let instances: SharedDatabaseInstances | undefined;
  let apps: RunningApp[] = [];
  /** Each instance's pool to the real server, for the adapter only (empty with the stand-in). */
  const pubsub: Pool[] = [];
  const bus = new NotifyBus();
  const clients: ChatClient[] = [];
  let pubsubLabel = '';

  const track = async (client: Promise<ChatClient>) => {
    const c = await client;
    clients.push(c);
    return c;
  };
  const closeClients = () => {
    for (const c of clients.splice(0)) c.close();
  };

  beforeAll(async () => {
    llm = await startFakeOpenAiServer();
    llm.onChat(relayModel);
    if (realPostgres) pg = await startPostgresServer();
    pubsubLabel = pg
      ? `PostgreSQL server (${pg.version})`
      : 'in-process NotifyBus stand-in (PostgreSQL not installed)';
    process.stdout.write(`scale-out web chat: adapter pub/sub on ${pubsubLabel}\n`);
    instances = await startInstances(
      2,
      {
        // Attached below with the pub/sub chosen for this run.
        WEB_CHAT_CLUSTER_ADAPTER: 'none',
        ...relayEnv(llm.url),
      },
      { seedFirst: true },
    );
    apps = instances.apps;
    for (const a of apps) await a.app.get(SearchIndexerService).waitUntilIdle();
  }, 120_000);
  afterEach(closeClients);
  afterAll(async () => {
    closeClients();
    await instances?.close();
    // Closing the apps released the adapters' listeners: a pool that still holds a client (a dead listener
    // the adapter never released) would make end() wait forever.
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      Promise.all(pubsub.map((p) => p.end())).then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 5_000))),
    ]);
    clearTimeout(timer);
    await pg?.stop();
    await llm?.close();
    expect(ended).toBe(true);
  });

  const bots = (c: ChatClient) => c.events.filter((e) => e.event === 'bot_message');

  /**
   * A visitor with one tab on each instance sends `sent` messages, alternately from each tab: every reply must
   * reach both tabs, once.
   */
  async function visitorAcrossInstances(sent: number, tag: string) {
    const [a, b] = apps;
    const session = await createSession(a.url, { lang: 'en' });
    const tabA = await track(connectChat(a.url, { token: session.token }));
    const tabB = await track(connectChat(b.url, { token: session.token }));
    for (let i = 0; i < sent; i++) {
      const from = i % 2 ? tabB : tabA;
      const ack = await from.request('user_message', {
        text: i % 3 ? 'help' : 'Thai food makers',
        clientMessageId: `${tag}-${i}`,
      });
      expect(ack).toMatchObject({ ok: true });
    }
    await eventually(
      () => bots(tabA).length >= sent && bots(tabB).length >= sent,
      'both tabs got every reply',
      15_000,
    );
    await sleep(300);
    const ids = (c: ChatClient) => bots(c).map((e) => String(e.payload.id));
    const duplicated =
      ids(tabA).length - new Set(ids(tabA)).size + ids(tabB).length - new Set(ids(tabB)).size;
    expect(new Set(ids(tabA)).size).toBe(sent);
    // The same replies on both tabs. Not always in the same order: two replies produced on different instances
    // at the same moment may reach the two tabs in either order (each instance's own events keep theirs).
    expect([...ids(tabA)].sort()).toEqual([...ids(tabB)].sort());
    expect(duplicated).toBe(0);
    return { onA: ids(tabA).length, onB: ids(tabB).length, duplicated };
  }

  it('control: without the adapter, an instance reaches only its own sockets', async () => {
    const [a, b] = apps;
    const session = await createSession(a.url, { lang: 'en' });
    const onA = await track(connectChat(a.url, { token: session.token }));
    const onB = await track(connectChat(b.url, { token: session.token }));
    await onA.request('user_message', { text: 'help', clientMessageId: 'solo-1' });
    await onA.next('bot_message');
    await sleep(300);
    expect(bots(onB)).toHaveLength(0);
  });

  describe('with the adapter', () => {
    beforeAll(async () => {
      for (const [i, app] of apps.entries()) {
        let pool: Pool;
        if (pg) {
          // Its own pool per instance, named so the test can find (and terminate) its backends.
          pool = new Pool({ connectionString: pg.url, max: 4, application_name: `kakehashi-pubsub-${i}` });
          // As openDatabase() does for the app's pool: an idle client losing its server must not end the process.
          pool.on('error', () => undefined);
          pubsub.push(pool);
        } else {
          pool = bus.wrap(app.database.pool);
        }
        expect(await app.app.get(WebChatClusterService).attach(pool)).toBe(true);
      }
      if (pg) await listeners(2);
    });

    /** The adapter's LISTEN backends on the real server, once there are `n` of them (one per instance). */
    async function listeners(n: number, not: number[] = []): Promise<Array<{ pid: number; app: string }>> {
      const admin = new Client({ connectionString: pg!.url });
      await admin.connect();
      try {
        let found: Array<{ pid: number; app: string }> = [];
        await eventually(
          async () => {
            const { rows } = await admin.query<{ pid: number; app: string }>(
              `SELECT pid, application_name AS app FROM pg_stat_activity
                WHERE application_name LIKE 'kakehashi-pubsub-%' AND query LIKE 'LISTEN %'`,
            );
            found = rows.filter((r) => !not.includes(r.pid));
            return found.length === n && new Set(found.map((r) => r.app)).size === n;
          },
          `${n} adapter listeners`,
          15_000,
        );
        return found;
      } finally {
        await admin.end();
      }
    }

    it("a burst from one instance (a streamed reply's chunks) arrives complete and in order on the tabs of both instances", async () => {
      const [a, b] = apps;
      const session = await createSession(a.url, { lang: 'en' });
      const tabA = await track(connectChat(a.url, { token: session.token }));
      const tabB = await track(connectChat(b.url, { token: session.token }));
      for (const tab of [tabA, tabB]) await tab.request('hello');
      const check = verifyVisitorToken(WEB_CHAT_SECRET, session.token);
      if (!check.ok) throw new Error(check.code);
      // 300 chunks emitted back to back to the visitor's room on instance A, as the web chat service streams
      // a model's reply (RelayWebSink is the same room emitter, reachable from outside the gateway).
      const chunks = Array.from({ length: 300 }, (_, n) => `${n} `);
      const sink = a.app.get(RelayWebSink);
      for (const text of chunks) sink.toVisitor(check.claims.vid, 'bot_delta', { replyTo: 'burst', text });
      const got = (c: ChatClient) =>
        c.events.filter((e) => e.event === 'bot_delta').map((e) => String(e.payload.text));
      await eventually(
        () => got(tabA).length >= chunks.length && got(tabB).length >= chunks.length,
        'every chunk on both tabs',
        15_000,
      );
      await sleep(300);
      const outOfOrder = (xs: string[]) =>
        xs.filter((x, i) => i > 0 && parseInt(x) < parseInt(xs[i - 1])).length;
      process.stdout.write(
        `scale-out burst (${pg ? 'PostgreSQL' : 'stand-in'}): ${chunks.length} chunks from instance A, ` +
          `received ${got(tabA).length} on A (out of order ${outOfOrder(got(tabA))}) and ${got(tabB).length} ` +
          `on B (out of order ${outOfOrder(got(tabB))})\n`,
      );
      expect(got(tabA).join('')).toBe(chunks.join(''));
      expect(got(tabB).join('')).toBe(chunks.join(''));
    });

    it("a visitor's tabs on different instances each get every bot message once", async () => {
      const r = await visitorAcrossInstances(20, 'x');
      process.stdout.write(
        `scale-out web chat (${pg ? 'PostgreSQL' : 'stand-in'}): visitor with a tab on each instance, ` +
          `messages sent 20, delivered ${r.onA} on instance A and ${r.onB} on instance B, lost 0, ` +
          `duplicated ${r.duplicated}${pg ? '' : ` (notifications ${bus.notifications})`}\n`,
      );
    });

    it('a deal room whose members are on different instances: every message arrives once on every member socket', async () => {
      const [a, b] = apps;
      // Tanaka (Japanese side) and Wichai (Thai side), each with a tab on each instance.
      const jp = await widgetUser(a.url, 'seed:jp-001', 'tanaka', 'ja');
      const th = await widgetUser(b.url, 'seed:th-001', 'wichai', 'th');
      clients.push(jp.client, th.client);
      const jpOnB = await track(connectChat(b.url, { token: jp.token }));
      const thOnA = await track(connectChat(a.url, { token: th.token }));
      await jp.client.request('user_message', { text: 'こんにちは', clientMessageId: 'jp-hello' });
      await th.client.request('user_message', { text: 'สวัสดีค่ะ', clientMessageId: 'th-hello' });
      // The introduction is asked on instance A and accepted on instance B.
      await openWebRoom(jp.client, th.client, 'seed:th-001');

      const fromJp: string[] = [];
      const fromTh: string[] = [];
      for (let i = 1; i <= 4; i++) {
        const j = `金型の件、第${i}便です。`;
        const t = `ชิ้นงานล็อตที่ ${100 + i} ครับ`;
        // Each side writes from its tab on one instance, then the other.
        for (const [side, client, text, sent] of [
          ['jp', i % 2 ? jp.client : jpOnB, j, fromJp],
          ['th', i % 2 ? th.client : thOnA, t, fromTh],
        ] as const) {
          const ack = await client.request('user_message', { text, clientMessageId: `room-${side}-${i}` });
          expect(ack).toMatchObject({ ok: true });
          sent.push(text);
        }
      }
      const room = (c: ChatClient) =>
        c.events
          .filter((e) => e.event === 'room_message' && e.payload.kind !== 'notice')
          .map((e) => e.payload as { messageId: string; original?: { text: string } });
      const readers: Array<[string, ChatClient, string[]]> = [
        ['Tanaka on A', jp.client, fromTh],
        ['Tanaka on B', jpOnB, fromTh],
        ['Wichai on B', th.client, fromJp],
        ['Wichai on A', thOnA, fromJp],
      ];
      await eventually(
        () => readers.every(([, c, expected]) => room(c).length >= expected.length),
        'every member socket got the other side',
        20_000,
      );
      await sleep(500);
      const summary: string[] = [];
      for (const [name, c, expected] of readers) {
        const got = room(c);
        // The other side's messages, each once (translated, with its original); never one's own.
        expect(got.map((m) => m.original?.text).sort()).toEqual([...expected].sort());
        expect(new Set(got.map((m) => m.messageId)).size).toBe(got.length);
        summary.push(`${name} ${got.length}/${expected.length}`);
      }
      process.stdout.write(
        `scale-out deal room (${pg ? 'PostgreSQL' : 'stand-in'}): ${fromJp.length + fromTh.length} messages, ` +
          `received ${summary.join(', ')}, duplicated 0\n`,
      );
    });

    (realPostgres ? it : it.skip)(
      'a database blip (the listeners terminated): the adapter reconnects and delivery across instances works again',
      async () => {
        const [a, b] = apps;
        // A visitor with a tab on each instance, both up to date before the blip.
        const session = await createSession(a.url, { lang: 'en' });
        const tabA = await track(connectChat(a.url, { token: session.token }));
        const tabB = await track(connectChat(b.url, { token: session.token }));
        await tabA.request('user_message', { text: 'help', clientMessageId: 'pre-blip' });
        await eventually(() => bots(tabB).length === 1, 'the reply on B before the blip');
        const lastSeenOnB = String(bots(tabB)[0].payload.id);

        const before = await listeners(2);
        const admin = new Client({ connectionString: pg!.url });
        await admin.connect();
        const { rows } = await admin.query<{ ok: boolean }>(
          `SELECT pg_terminate_backend(pid) AS ok FROM unnest($1::int[]) AS pid`,
          [before.map((l) => l.pid)],
        );
        await admin.end();
        expect(rows.every((r) => r.ok)).toBe(true);
        const started = Date.now();
        // Sent while no instance listens (the adapter takes a new connection after 1 to 3 s).
        for (const id of ['gap-1', 'gap-2']) {
          const ack = await tabA.request('user_message', { text: 'help', clientMessageId: id });
          expect(ack).toMatchObject({ ok: true });
        }
        const after = await listeners(
          2,
          before.map((l) => l.pid),
        );
        const reconnectMs = Date.now() - started;
        // The dead listener clients went back to their pools (as broken): each holds only the new listener.
        for (const pool of pubsub) {
          expect(pool.totalCount - pool.idleCount).toBe(1);
          expect(pool.waitingCount).toBe(0);
        }
        await eventually(() => bots(tabA).length === 3, 'the replies on A');
        const liveOnB = bots(tabB).length - 1;
        // What the tab on B missed live, it gets when it reconnects (resume from its last seen message), once.
        const tabB2 = await track(connectChat(b.url, { token: session.token, lastSeenId: lastSeenOnB }));
        await eventually(() => bots(tabB2).length >= 2, 'the replies sent during the blip, on resume');
        const ids = (c: ChatClient) => bots(c).map((e) => String(e.payload.id));
        expect(ids(tabB2)).toEqual(ids(tabA).slice(1));

        const r = await visitorAcrossInstances(10, 'blip');
        process.stdout.write(
          `scale-out web chat blip: ${before.length} LISTEN backends terminated, ${after.length} back after ` +
            `${reconnectMs} ms; of 2 replies sent meanwhile, ${liveOnB} reached the tab on the other instance live, ` +
            `2 on its reconnect; then 10 messages, delivered ${r.onA} on A and ${r.onB} on B, ` +
            `duplicated ${r.duplicated}\n`,
        );
      },
    );
  });
});
