import * as fs from 'node:fs';
import type { RunningApp } from '../../src/bootstrap/start-app';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { type Delivery, type FakeLineApi, deliveredText, startFakeLineApi } from '../support/fake-line-api';
import {
  eventually,
  forgetChats,
  lineEnv,
  lineQueueCounts,
  lineQueuesSettled,
  postWebhook,
} from '../support/line-test-app';
import { hasShared, sharedPath } from '../support/shared-data';
import { startTestApp } from '../support/test-app';

/**
 * Every webhook body in LINE's own SDK fixtures (../shared/data/line-webhooks, never copied here) is signed,
 * posted as the exact bytes of the file, stored, and handled the way the product says it should be. The
 * fixtures' timestamps are from 2016, so every answer is pushed (reply tokens that old are long dead).
 */
const DIR = ['data', 'line-webhooks'];
const USER = 'u206d25c2ea6bd87c17655609a1c37cb8';
const GROUP = 'cxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';

interface Expectation {
  /** Final inbox statuses, in event order. */
  inbox: string[];
  /** Where answers were pushed (one entry per delivery). */
  pushedTo: string[];
  check?: (ctx: { deliveries: Delivery[]; running: RunningApp }) => Promise<void> | void;
}

const NOTE = (d: Delivery[]) => expect(deliveredText(d[0])).toMatch(/.{10,}/);

const EXPECTED: Record<string, Expectation> = {
  'account_link.json': { inbox: ['ignored'], pushedTo: [] },
  'beacon.json': { inbox: ['ignored'], pushedTo: [] },
  'beacon_with_dm.json': { inbox: ['ignored'], pushedTo: [] },
  'file.json': { inbox: ['done'], pushedTo: [USER], check: ({ deliveries }) => NOTE(deliveries) },
  'image.json': { inbox: ['done'], pushedTo: [USER], check: ({ deliveries }) => NOTE(deliveries) },
  'video.json': {
    inbox: ['done'],
    pushedTo: ['U4af4980629...'],
    check: ({ deliveries }) => NOTE(deliveries),
  },
  'location.json': { inbox: ['done'], pushedTo: [USER], check: ({ deliveries }) => NOTE(deliveries) },
  'sticker.json': { inbox: ['done'], pushedTo: [USER], check: ({ deliveries }) => NOTE(deliveries) },
  'sticker-keywords-array.json': { inbox: ['done'], pushedTo: [USER] },
  'sticker-keywords-remove.json': { inbox: ['done'], pushedTo: [USER] },
  'sticker-with-text.json': { inbox: ['done'], pushedTo: [USER] },
  'follow.json': {
    inbox: ['done'],
    pushedTo: [USER],
    check: async ({ deliveries, running }) => {
      // The greeting in ja, th and en, with a language choice.
      const text = deliveredText(deliveries[0]);
      expect(text).toMatch(/[ぁ-んァ-ン]/);
      expect(text).toMatch(/[\u0e00-\u0e7f]/);
      expect(text).toMatch(/[A-Za-z]{4,}/);
      const last = deliveries[0].messages[deliveries[0].messages.length - 1];
      expect(last.quickReply.items.map((i: { action: { data: string } }) => i.action.data)).toEqual(
        expect.arrayContaining(['action=lang&lang=ja', 'action=lang&lang=th', 'action=lang&lang=en']),
      );
      const { rows } = await running.database.pool.query('SELECT active FROM line_users WHERE user_id = $1', [
        USER,
      ]);
      expect(rows).toEqual([{ active: true }]);
    },
  },
  'unfollow.json': {
    inbox: ['done'],
    pushedTo: [],
    check: async ({ running }) => {
      const { rows } = await running.database.pool.query(
        'SELECT active, unfollowed_at IS NOT NULL AS unfollowed FROM line_users WHERE user_id = $1',
        [USER],
      );
      expect(rows).toEqual([{ active: false, unfollowed: true }]);
    },
  },
  'join.json': {
    inbox: ['done'],
    pushedTo: [GROUP],
    check: async ({ deliveries, running }) => {
      expect(deliveredText(deliveries[0])).toMatch(/Kakehashi/);
      const { rows } = await running.database.pool.query('SELECT kind, active FROM line_groups');
      expect(rows).toEqual([{ kind: 'group', active: true }]);
    },
  },
  'leave.json': {
    inbox: ['done'],
    pushedTo: [],
    check: async ({ running }) => {
      const { rows } = await running.database.pool.query('SELECT kind, active FROM line_groups');
      expect(rows).toEqual([{ kind: 'group', active: false }]);
    },
  },
  'member_joined.json': { inbox: ['ignored'], pushedTo: [] },
  'member_left.json': { inbox: ['ignored'], pushedTo: [] },
  'postback.json': { inbox: ['done'], pushedTo: [USER] },
  'text-user.json': { inbox: ['done'], pushedTo: [USER] },
  'text-emojis.json': { inbox: ['done'], pushedTo: [USER] },
  // A 1:1 chat: mentions of other people do not matter, the bot answers.
  'text-mention.json': { inbox: ['done'], pushedTo: [USER] },
  // mode "standby": another channel holds the chat, the bot must stay silent.
  'text-group.json': { inbox: ['ignored'], pushedTo: [] },
  'webhook-redelivery.json': { inbox: ['done'], pushedTo: [USER] },
  'video-play-complete.json': { inbox: ['ignored'], pushedTo: [] },
  'unknown.json': { inbox: ['ignored', 'ignored'], pushedTo: [] },
  // Needs the message it edits / unsends: see `before` below.
  'message-edited.json': {
    inbox: ['done', 'done'],
    pushedTo: [USER],
    check: async ({ running }) => {
      const { rows } = await running.database.pool.query(
        `SELECT status, text FROM chat_messages WHERE channel_message_id = '325708'`,
      );
      expect(rows).toEqual([{ status: 'edited', text: 'Hello, edited world' }]);
    },
  },
  'unsend.json': {
    inbox: ['done', 'done'],
    pushedTo: [USER],
    check: async ({ running }) => {
      const { rows } = await running.database.pool.query(
        `SELECT status, text, payload FROM chat_messages WHERE channel_message_id = '325708'`,
      );
      expect(rows).toEqual([{ status: 'unsent', text: null, payload: null }]);
      // The stored webhook of the original message lost its text too.
      const { rows: inbox } = await running.database.pool.query(
        `SELECT payload->'message' AS message FROM line_inbox WHERE message_id = '325708'`,
      );
      expect(inbox).toEqual([{ message: { id: '325708', type: 'text' } }]);
    },
  },
};

/** Fixtures that change an earlier message get that message first (text-user.json: message 325708). */
const BEFORE: Record<string, string> = {
  'message-edited.json': 'text-user.json',
  'unsend.json': 'text-user.json',
};

const present = hasShared(...DIR);
const files = present
  ? fs
      .readdirSync(sharedPath(...DIR))
      .filter((f) => f.endsWith('.json'))
      .sort()
  : [];

(present ? describe : describe.skip)('LINE webhook fixtures', () => {
  let fake: FakeLineApi;
  let running: RunningApp;

  beforeAll(async () => {
    fake = await startFakeLineApi();
    running = await startTestApp(lineEnv(fake.url), { seed: true });
    await running.app.get(SearchIndexerService).waitUntilIdle();
  });
  afterAll(async () => {
    await running?.close();
    await fake?.close();
  });

  async function post(file: string): Promise<void> {
    const bytes = fs.readFileSync(sharedPath(...DIR, file));
    const res = await postWebhook(running.url, bytes);
    expect(res.status).toBe(200);
    await eventually(() => lineQueuesSettled(running.database), `${file} handled`);
  }

  it('covers every fixture in the folder', () => {
    expect(files.length).toBeGreaterThanOrEqual(27);
    expect(files.filter((f) => !EXPECTED[f])).toEqual([]);
  });

  it.each(files)('%s is signed, posted, stored and handled', async (file) => {
    const expected = EXPECTED[file] ?? { inbox: ['ignored'], pushedTo: [] };
    await forgetChats(running.database);
    fake.reset();
    if (BEFORE[file]) await post(BEFORE[file]);
    await post(file);
    // Posting the same bytes again (a redelivery) stores nothing new and sends nothing more.
    const bytes = fs.readFileSync(sharedPath(...DIR, file));
    expect((await postWebhook(running.url, bytes)).status).toBe(200);
    await eventually(() => lineQueuesSettled(running.database), `${file} settled`);

    const { rows } = await running.database.pool.query<{ status: string }>(
      'SELECT status FROM line_inbox ORDER BY id',
    );
    expect(rows.map((r) => r.status)).toEqual(expected.inbox);
    const deliveries = fake.delivered();
    expect(deliveries.map((d) => d.to)).toEqual(expected.pushedTo);
    // Old events: pushed, each with its outbox row's id as the retry key; nothing was sent as a reply.
    expect(deliveries.every((d) => d.via === 'push' && /^[0-9a-f-]{36}$/.test(d.retryKey ?? ''))).toBe(true);
    expect(fake.calls('reply')).toHaveLength(0);
    const counts = await lineQueueCounts(running.database);
    expect(counts.outbox.failed ?? 0).toBe(0);
    await expected.check?.({ deliveries, running });
  });
});
