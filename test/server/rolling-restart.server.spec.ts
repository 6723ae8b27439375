import type { RunningApp } from '../../src/bootstrap/start-app';
import { startApp } from '../../src/bootstrap/start-app';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { type FakeLineApi, startFakeLineApi } from '../support/fake-line-api';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../support/fake-openai-server';
import { eventually, lineEnv, postWebhook, textEvent, webhookBody } from '../support/line-test-app';
import { openWebRoom, relayEnv, relayModel, sleep, widgetUser } from '../support/relay-kit';
import { testConfig } from '../support/test-app';
import { serveSharedTestDatabase } from '../support/test-database';
import { type ChatClient, connectChat, createSession } from '../support/web-chat-client';

/**
 * Two instances of the product on one PostgreSQL server, restarted one after the other while traffic flows, as a
 * rolling deploy does: LINE events spread over both (an event refused by an instance that is going down is sent
 * again to the other, as LINE redelivers), a web-chat visitor and a deal room whose members sit on different
 * instances and move to the live one when theirs goes (resuming from the last message they saw). Counted at the
 * end, for every channel: lost, duplicated, out of order, all 0.
 */
const LINE_USERS = ['Uroll0', 'Uroll1', 'Uroll2', 'Uroll3'];

interface Slot {
  app: RunningApp;
  port: number;
}

interface WebMember {
  name: string;
  token: string;
  client: ChatClient;
  /** Index of the instance its socket is on. */
  on: number;
}

describe('rolling restart of two instances on one PostgreSQL server', () => {
  let database: { url: string; close(): Promise<void> };
  let fakeLine: FakeLineApi;
  let llm: FakeOpenAiServer;
  const slots: Array<Slot | undefined> = [];
  const env = () =>
    lineEnv(
      fakeLine.url,
      relayEnv(llm.url, {
        SHUTDOWN_DRAIN_MS: '1500',
        WEB_CHAT_RATE_BURST: '100',
        LINE_WORKER_CONCURRENCY: '2',
      }),
    );

  async function start(index: number, port = 0): Promise<void> {
    const config = testConfig({
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: '8',
      PORT: String(port),
      ...env(),
    });
    const app = await startApp(config, { seed: index === 0 && port === 0 });
    slots[index] = { app, port: Number(new URL(app.url).port) };
  }
  const live = () => slots.filter((s): s is Slot => s !== undefined);

  beforeAll(async () => {
    database = await serveSharedTestDatabase();
    fakeLine = await startFakeLineApi();
    llm = await startFakeOpenAiServer();
    llm.onChat(relayModel);
    await start(0);
    await start(1);
    for (const s of live()) await s.app.app.get(SearchIndexerService).waitUntilIdle();
  }, 120_000);

  afterAll(async () => {
    for (const s of live()) await s.app.close().catch(() => undefined);
    await llm?.close();
    await fakeLine?.close();
    await database?.close();
  });

  it('loses, duplicates and reorders nothing on LINE, in web chat and in a deal room', async () => {
    const url = (i: number) => `http://127.0.0.1:${slots[i]!.port}`;

    // --- LINE: each user's events posted one after the other (their order), users side by side.
    const sentLine = new Map<string, string[]>(LINE_USERS.map((u) => [u, []]));
    let redelivered = 0;
    /** `targets`: where the load balancer sends (by default the live instances; during a drain, it too). */
    async function lineRound(round: number, targets: Array<{ app: RunningApp }> = live()): Promise<void> {
      await Promise.all(
        LINE_USERS.map(async (user, u) => {
          for (let k = 0; k < 2; k++) {
            const event = textEvent(user, k % 2 ? 'help' : 'もっと');
            sentLine.get(user)!.push(String(event.replyToken));
            for (let attempt = 0; ; attempt++) {
              const target = targets[(round + u + k + attempt) % targets.length];
              const res = await postWebhook(target.app.url, webhookBody([event])).catch(() => undefined);
              if (res?.status === 200) break;
              // Refused by an instance on its way down: LINE sends the same event again, maybe elsewhere.
              redelivered++;
              if (attempt > 20) throw new Error(`event of ${user} refused ${attempt} times`);
              await sleep(100);
            }
          }
        }),
      );
    }

    // --- Web chat: a visitor, and the two members of a deal room, on different instances.
    const visitorSession = await createSession(url(0), { lang: 'en' });
    const visitor: WebMember = {
      name: 'visitor',
      token: visitorSession.token,
      client: await connectChat(url(0), { token: visitorSession.token }),
      on: 0,
    };
    const jp = await widgetUser(url(0), 'seed:jp-001', 'tanaka', 'ja');
    const th = await widgetUser(url(1), 'seed:th-001', 'wichai', 'th');
    const tanaka: WebMember = { name: 'Tanaka', token: jp.token, client: jp.client, on: 0 };
    const wichai: WebMember = { name: 'Wichai', token: th.token, client: th.client, on: 1 };
    await tanaka.client.request('user_message', { text: 'こんにちは', clientMessageId: 'jp-hello' });
    await wichai.client.request('user_message', { text: 'สวัสดีค่ะ', clientMessageId: 'th-hello' });
    await openWebRoom(tanaka.client, wichai.client, 'seed:th-001');
    const members = [visitor, tanaka, wichai];
    /** Every event a member received, on whichever of its sockets (they come and go with the instances). */
    const received = new Map<string, Array<{ event: string; payload: any }>>(
      members.map((m) => [m.name, []]),
    );
    const harvest = (m: WebMember) => received.get(m.name)!.push(...m.client.events.splice(0));

    const visitorSent: string[] = [];
    const roomSent = { Tanaka: [] as string[], Wichai: [] as string[] };
    let webIds = 0;
    async function webRound(round: number): Promise<void> {
      const id = `v-${++webIds}`;
      const ack = await visitor.client.request('user_message', { text: 'help', clientMessageId: id });
      expect(ack).toMatchObject({ ok: true });
      visitorSent.push(id);
      for (const [member, text] of [
        [tanaka, `金型の件、第${round}便です。`],
        [wichai, `ชิ้นงานล็อตที่ ${100 + round} ครับ`],
      ] as const) {
        const sent = await member.client.request('user_message', {
          text,
          clientMessageId: `room-${++webIds}`,
        });
        expect(sent).toMatchObject({ ok: true });
        roomSent[member.name as 'Tanaka' | 'Wichai'].push(text);
      }
    }

    /** Moves a member whose instance went down to instance `to`, resuming after what it saw. */
    async function move(member: WebMember, to: number): Promise<void> {
      harvest(member);
      const seen = received.get(member.name)!;
      const lastSeenId = seen.filter((e) => e.event === 'bot_message' && e.payload.id).at(-1)?.payload.id;
      const lastRelayId = seen.filter((e) => e.event === 'room_message').at(-1)?.payload.id;
      member.client.close();
      member.client = await connectChat(url(to), {
        token: member.token,
        ...(lastSeenId ? { lastSeenId } : {}),
        ...(lastRelayId ? { lastRelayId } : {}),
      });
      member.on = to;
    }

    async function restart(index: number): Promise<void> {
      const other = 1 - index;
      const { app, port } = slots[index]!;
      // Traffic goes on while the instance drains and stops.
      const going = app.close();
      const draining = [{ app }, slots[other]!];
      slots[index] = undefined;
      await Promise.all([lineRound(10 + index, draining), going]);
      for (const m of members) if (m.on === index) await move(m, other);
      await webRound(10 + index);
      await start(index, port);
      await lineRound(20 + index);
      await webRound(20 + index);
    }

    await lineRound(0);
    await webRound(1);
    await restart(0);
    await restart(1);
    await lineRound(3);
    await webRound(4);

    // --- Settle, then count.
    const expectedLine = [...sentLine.values()].flat();
    const answered = () =>
      fakeLine
        .calls('reply')
        .filter((r) => r.status === 200)
        .map((r) => String(r.body.replyToken));
    await eventually(
      () => new Set(answered()).size >= expectedLine.length,
      'every LINE event answered',
      60_000,
    );
    const botMessagesFor = (m: WebMember) =>
      dedupe(
        received
          .get(m.name)!
          .filter((e) => e.event === 'bot_message')
          .map((e) => e.payload),
        (p) => p.id,
      );
    const roomFor = (m: WebMember) =>
      dedupe(
        received
          .get(m.name)!
          .filter((e) => e.event === 'room_message' && e.payload.kind !== 'notice')
          .map((e) => e.payload),
        (p) => p.id,
      );
    await eventually(
      () => {
        members.forEach(harvest);
        return (
          visitorSent.every((id) => botMessagesFor(visitor).some((p) => p.replyTo === id)) &&
          roomFor(tanaka).length >= roomSent.Wichai.length &&
          roomFor(wichai).length >= roomSent.Tanaka.length
        );
      },
      'every web message answered and relayed',
      30_000,
    );
    await sleep(500);
    members.forEach(harvest);

    const replies = answered();
    const line = {
      lost: expectedLine.filter((t) => !replies.includes(t)).length,
      duplicated: replies.length - new Set(replies).size,
      outOfOrder: LINE_USERS.reduce(
        (n, user) => n + inversions(sentLine.get(user)!.map((t) => replies.indexOf(t))),
        0,
      ),
    };
    // Each socket got each message at most once; a message seen again after a move is the resume's replay.
    const visitorReplies = visitorSent.map(
      (id) => botMessagesFor(visitor).filter((p) => p.replyTo === id).length,
    );
    const web = {
      lost: visitorReplies.filter((n) => n === 0).length,
      duplicated: visitorReplies.filter((n) => n > 1).length,
      outOfOrder: inversions(
        visitorSent.map((id) => botMessagesFor(visitor).findIndex((p) => p.replyTo === id)),
      ),
    };
    const room = { lost: 0, duplicated: 0, outOfOrder: 0 };
    for (const [reader, writer] of [
      [tanaka, 'Wichai'],
      [wichai, 'Tanaka'],
    ] as const) {
      const got = roomFor(reader).map((p) => p.original?.text as string);
      const sent = roomSent[writer];
      room.lost += sent.filter((t) => !got.includes(t)).length;
      room.duplicated += got.length - new Set(got).size;
      room.outOfOrder += inversions(sent.map((t) => got.indexOf(t)));
    }
    process.stdout.write(
      `rolling restart (PostgreSQL server, 2 instances, each restarted once under traffic): ` +
        `LINE ${expectedLine.length} events (${redelivered} refused while draining and sent again): lost ${line.lost}, ` +
        `duplicated ${line.duplicated}, out of order ${line.outOfOrder}; web chat ${visitorSent.length} messages: ` +
        `lost ${web.lost}, duplicated ${web.duplicated}, out of order ${web.outOfOrder}; deal room ` +
        `${roomSent.Tanaka.length + roomSent.Wichai.length} messages: lost ${room.lost}, duplicated ${room.duplicated}, ` +
        `out of order ${room.outOfOrder}\n`,
    );
    expect(line).toEqual({ lost: 0, duplicated: 0, outOfOrder: 0 });
    expect(web).toEqual({ lost: 0, duplicated: 0, outOfOrder: 0 });
    expect(room).toEqual({ lost: 0, duplicated: 0, outOfOrder: 0 });
    for (const m of members) m.client.close();
  }, 240_000);
});

/** First of each key, in order. */
function dedupe<T>(items: T[], key: (t: T) => unknown): T[] {
  const seen = new Set<unknown>();
  return items.filter((t) => (seen.has(key(t)) ? false : (seen.add(key(t)), true)));
}

/** Pairs out of order in a sequence of positions (a missing item, -1, is counted as lost, not here). */
function inversions(positions: number[]): number {
  const present = positions.filter((p) => p >= 0);
  let n = 0;
  for (let i = 0; i < present.length; i++)
    for (let j = i + 1; j < present.length; j++) if (present[i] > present[j]) n++;
  return n;
}
