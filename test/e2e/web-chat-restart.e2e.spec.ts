import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type RunningApp, startApp } from '../../src/bootstrap/start-app';
import { createStaff, signIn } from '../support/console-session';
import { eventually } from '../support/line-test-app';
import { testConfig } from '../support/test-app';
import { type ChatClient, connectChat, createSession } from '../support/web-chat-client';

/**
 * A restart keeps every web-chat visitor: with no WEB_CHAT_SECRET configured the product makes its visitor-token
 * key once and keeps it with its data, so the next start on the same data directory accepts the tokens the first
 * issued. The visitor keeps its conversation, and staff who take it over after the restart reach the visitor.
 */
const botMessages = (client: ChatClient) =>
  client.events.filter((e) => e.event === 'bot_message').map((e) => e.payload);

describe('web chat across a restart, without WEB_CHAT_SECRET', () => {
  let dataDir: string;
  let app: RunningApp | undefined;
  let client: ChatClient | undefined;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kakehashi-restart-'));
  });
  afterAll(async () => {
    client?.close();
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  // The embedded database on disk, as `npm start` opens it; no secret in the environment.
  const start = () => startApp(testConfig({ DATA_DIR: dataDir }), { seed: false });

  it('accepts the visitor’s token after a restart, keeps its conversation and delivers a staff reply', async () => {
    expect(testConfig({ DATA_DIR: dataDir }).webChat.secret).toBeUndefined();
    app = await start();
    const { token } = await createSession(app.url, { lang: 'ja' });
    client = await connectChat(app.url, { token });
    expect((await client.request('user_message', { text: 'こんにちは', clientMessageId: 'r1' })).ok).toBe(
      true,
    );
    expect((await client.request('postback', { data: 'action=human', clientMessageId: 'r2' })).ok).toBe(true);
    await eventually(() => botMessages(client!).length >= 2, 'the bot answered');
    const lastSeenId = botMessages(client).at(-1).id;
    await createStaff(app, 'cura@k.test', 'curator');
    client.close();
    await app.close();

    app = await start();
    // The same token opens the chat again: the visitor is not turned away, nor made a new chat user.
    client = await connectChat(app.url, { token, lastSeenId });
    const conversations = await app.database.pool.query<{ id: string }>(
      `SELECT id FROM chat_conversations WHERE channel = 'web'`,
    );
    expect(conversations.rows).toHaveLength(1);
    const id = conversations.rows[0].id;
    // Its next message continues the same conversation.
    expect((await client.request('user_message', { text: 'まだいますか', clientMessageId: 'r3' })).ok).toBe(
      true,
    );
    const users = await app.database.pool.query(
      `SELECT count(*)::int AS n FROM chat_messages m JOIN chat_conversations c ON c.id = m.conversation_id
       WHERE c.id = $1 AND m.direction = 'in' AND m.kind = 'text'`,
      [id],
    );
    expect(users.rows[0].n).toBe(2);

    // Staff take the conversation over after the restart and reply: the visitor's open widget shows it.
    const curator = await signIn(app, 'cura@k.test');
    expect(
      (await curator.call(`/api/console/conversations/${id}/take-over`, { method: 'POST' })).status,
    ).toBe(200);
    const sent = await curator.call(`/api/console/conversations/${id}/messages`, {
      method: 'POST',
      body: JSON.stringify({ text: 'コーディネーターの田中です。', lang: 'ja' }),
    });
    expect(sent.status).toBe(201);
    await eventually(
      () => botMessages(client!).some((m) => m.from === 'staff' && m.text.includes('田中')),
      'the staff reply reached the visitor',
    );
  });
});
