import type { RunningApp } from '../../src/bootstrap/start-app';
import { type FakeLineApi, startFakeLineApi } from '../support/fake-line-api';
import {
  eventually,
  lineEnv,
  lineQueuesSettled,
  postWebhook,
  textEvent,
  webhookBody,
} from '../support/line-test-app';
import { startTestApp } from '../support/test-app';

/**
 * The webhook as LINE sees it: signature over the raw bytes, status codes, problem+json, and what is (not)
 * logged. The known-answer vector is LINE's own (../shared/data/README.md).
 */
const KNOWN_SECRET = 'test_channel_secret';
const KNOWN_BODY =
  '{"events":[{"message":{"id":"test_event_message_id","text":"this is test message.😄😅😢😞😄😅😢😞","type":"text"},"replyToken":"test_reply_token","source":{"groupId":"test_group_id","type":"group"},"timestamp":0,"mode":"active","type":"message"}],"destination":"Uaaaabbbbccccddddeeeeffff"}';
const KNOWN_SIGNATURE = 'GzU7H3qOXDzDD6cNcS/9otLzlLFxnYYriz62rNu5BDE=';

let fake: FakeLineApi;
let running: RunningApp;
let stdout: string[] = [];
const realWrite = process.stdout.write.bind(process.stdout);

beforeAll(async () => {
  fake = await startFakeLineApi();
  running = await startTestApp(lineEnv(fake.url, { LINE_CHANNEL_SECRET: KNOWN_SECRET, LOG_LEVEL: 'debug' }));
  // Everything the app logs (JSON lines on stdout) is captured, to prove what never appears in it.
  process.stdout.write = (chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  };
});
beforeEach(() => {
  stdout = [];
});
afterAll(async () => {
  process.stdout.write = realWrite;
  await running?.close();
  await fake?.close();
});

describe('POST /webhooks/line signature', () => {
  it("accepts LINE's known-answer vector, sent as exactly those bytes", async () => {
    const res = await postWebhook(running.url, KNOWN_BODY, { signature: KNOWN_SIGNATURE });
    expect(res.status).toBe(200);
    const { rows } = await running.database.pool.query(
      `SELECT event_type, conversation_key, destination FROM line_inbox WHERE payload->'message'->>'id' = 'test_event_message_id'`,
    );
    expect(rows).toEqual([
      {
        event_type: 'message',
        conversation_key: 'group:test_group_id',
        destination: 'Uaaaabbbbccccddddeeeeffff',
      },
    ]);
  });

  it('rejects the same object re-serialised (pretty-printed, \\u-escaped) with 401, logging no body', async () => {
    const pretty = JSON.stringify(JSON.parse(KNOWN_BODY), null, 2);
    const escaped = JSON.stringify(JSON.parse(KNOWN_BODY)).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    for (const variant of [pretty, escaped]) {
      const res = await postWebhook(running.url, variant, { signature: KNOWN_SIGNATURE });
      expect(res.status).toBe(401);
      expect(res.contentType).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.text)).toMatchObject({
        status: 401,
        type: expect.stringMatching(/line-signature$/),
      });
    }
    const logged = stdout.join('');
    expect(logged).toContain('line webhook signature rejected');
    expect(logged).not.toContain('this is test message');
    expect(logged).not.toContain('test_reply_token');
    expect(logged).not.toContain(KNOWN_SIGNATURE);
  });

  it('rejects a missing or forged signature with 401 and stores nothing', async () => {
    const body = webhookBody([textEvent('Uforged', 'forged')]);
    expect((await postWebhook(running.url, body, { signature: null })).status).toBe(401);
    expect((await postWebhook(running.url, body, { secret: 'not-the-secret' })).status).toBe(401);
    const { rows } = await running.database.pool.query(
      `SELECT count(*)::int AS n FROM line_inbox WHERE conversation_key = 'user:Uforged'`,
    );
    expect(rows[0].n).toBe(0);
  });
});

describe('POST /webhooks/line body', () => {
  it('malformed JSON with a valid signature is 400 problem+json', async () => {
    for (const body of ['{"events":[', '"just a string"', '{"destination":"U1"}']) {
      const res = await postWebhook(running.url, body, { secret: KNOWN_SECRET });
      expect(res.status).toBe(400);
      expect(res.contentType).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.text)).toMatchObject({ status: 400, instance: '/webhooks/line' });
    }
  });

  it('the console "Verify" request (no events) is answered 200', async () => {
    const res = await postWebhook(running.url, '{"destination":"Ubot","events":[]}', {
      secret: KNOWN_SECRET,
    });
    expect(res.status).toBe(200);
  });

  it('answers at once, before the event is handled, and logs ids only', async () => {
    const secretText = 'タイの自動車部品メーカーを探しています(秘密)';
    const event = textEvent('Ufast', secretText);
    const res = await postWebhook(running.url, webhookBody([event]), { secret: KNOWN_SECRET });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await eventually(() => fake.delivered().some((d) => d.to === event.replyToken), 'the reply');
    await eventually(() => lineQueuesSettled(running.database), 'queues settled');
    const logged = stdout.join('');
    expect(logged).toContain('line event handled');
    expect(logged).not.toContain(secretText);
    expect(logged).not.toContain(String(event.replyToken));
  });

  it('answers 503 (so LINE redelivers) only when the inbox write itself fails', async () => {
    const pool = running.database.pool;
    await pool.query('ALTER TABLE line_inbox RENAME TO line_inbox_away');
    try {
      const res = await postWebhook(running.url, webhookBody([textEvent('Uoutage', 'hello')]), {
        secret: KNOWN_SECRET,
      });
      expect(res.status).toBe(503);
      expect(JSON.parse(res.text)).toMatchObject({ type: expect.stringMatching(/line-inbox-unavailable$/) });
    } finally {
      await pool.query('ALTER TABLE line_inbox_away RENAME TO line_inbox');
    }
  });
});

describe('with no LINE secret configured', () => {
  it('the route answers 404 and nothing is stored', async () => {
    const off = await startTestApp({});
    try {
      const res = await postWebhook(off.url, webhookBody([textEvent('Uoff', 'hello')]));
      expect(res.status).toBe(404);
      const { rows } = await off.database.pool.query('SELECT count(*)::int AS n FROM line_inbox');
      expect(rows[0].n).toBe(0);
    } finally {
      await off.close();
    }
  });
});
